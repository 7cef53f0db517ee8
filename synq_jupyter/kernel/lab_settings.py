"""The JupyterLab settings the kernel follows: SynQ's own (*Settings → SynQ*), read by the
magics, and the theme, which picks the plots' template.

JupyterLab (and Notebook 7) keep a user's settings in
``{JUPYTERLAB_SETTINGS_DIR or jupyter_config_dir()/lab/user-settings}/<plugin>.
jupyterlab-settings``, as JSON5 (comments allowed). The kernel reads the files on each
cell, so a change in the settings editor or the theme menu applies to the next cell run.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import json5

log = logging.getLogger(__name__)

SETTINGS_FILE = Path("synq-jupyter") / "plugin.jupyterlab-settings"
THEME_FILE = Path("@jupyterlab") / "apputils-extension" / "themes.jupyterlab-settings"


@dataclass(frozen=True)
class MagicDefaults:
    """What ``%%synq`` uses for an option its line leaves out (the schema's defaults)."""

    target: str = "aer_simulator"
    shots: int = 1024
    optimization_level: int = 2


def settings_dir() -> Path:
    configured = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    if configured:
        return Path(configured)
    from jupyter_core.paths import jupyter_config_dir

    return Path(jupyter_config_dir()) / "lab" / "user-settings"


def _read(path: Path) -> dict[str, Any]:
    """A settings file's values; empty when it is missing, unreadable or not an object (a
    warning is logged: a cell never fails for its settings)."""
    try:
        raw = json5.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("SynQ: ignoring unreadable settings %s: %s", path, exc)
        return {}
    return raw if isinstance(raw, dict) else {}


def magic_defaults(directory: Path | None = None) -> MagicDefaults:
    """The user's SynQ settings; the built-in defaults where the file is missing, unreadable
    or holds a value of the wrong kind."""
    raw = _read((directory or settings_dir()) / SETTINGS_FILE)
    base = MagicDefaults()
    target = raw.get("defaultTarget", base.target)
    shots = raw.get("shots", base.shots)
    level = raw.get("optimizationLevel", base.optimization_level)
    return MagicDefaults(
        target=target if isinstance(target, str) and target else base.target,
        shots=shots if isinstance(shots, int) and shots > 0 else base.shots,
        optimization_level=level if level in (0, 1, 2, 3) else base.optimization_level,
    )


def plot_template(directory: Path | None = None) -> str:
    """``plotly_dark`` under a dark JupyterLab theme (JupyterLab Dark, its high-contrast
    variant, or any theme named "Dark"), else ``plotly_white``."""
    theme = _read((directory or settings_dir()) / THEME_FILE).get("theme")
    return "plotly_dark" if isinstance(theme, str) and "dark" in theme.lower() else "plotly_white"
