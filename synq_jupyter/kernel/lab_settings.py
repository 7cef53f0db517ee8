"""The JupyterLab settings the kernel follows: SynQ's own (*Settings → SynQ*), read by the
magics, and the theme, which picks the plots' template.

JupyterLab (and Notebook 7) keep a user's settings in
``{JUPYTERLAB_SETTINGS_DIR or jupyter_config_dir()/lab/user-settings}/<plugin>.
jupyterlab-settings``, as JSON5 (comments allowed). The kernel reads the files on each
cell, so a change in the settings editor or the theme menu applies to the next cell run
(and to the job widgets' plots at once: ``theme_follower``).
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
    """The user's SynQ settings; the built-in default for a setting that is missing, or
    that no cell could run with (the wrong kind, out of range, an unknown target), so a
    cell never fails for a setting its line does not even show. A bad value is reported
    once, naming the setting (``_ignored``)."""
    from synq_jupyter.quantum.local_sampling import MAX_SHOTS
    from synq_jupyter.quantum.targets import target_names

    raw = _read((directory or settings_dir()) / SETTINGS_FILE)
    base = MagicDefaults()
    target = raw.get("defaultTarget", base.target)
    shots = raw.get("shots", base.shots)
    level = raw.get("optimizationLevel", base.optimization_level)
    if not (isinstance(target, str) and target in target_names()):
        target = _ignored("defaultTarget", target, "not a known target", base.target)
    if isinstance(shots, bool) or not isinstance(shots, int) or not 1 <= shots <= MAX_SHOTS:
        shots = _ignored("shots", shots, f"not a number from 1 to {MAX_SHOTS:,}", base.shots)
    if isinstance(level, bool) or not isinstance(level, int) or level not in (0, 1, 2, 3):
        level = _ignored("optimizationLevel", level, "not 0, 1, 2 or 3", base.optimization_level)
    return MagicDefaults(target=target, shots=shots, optimization_level=level)


_reported: set[tuple[str, str]] = set()
"""The (setting, value) pairs already reported: the settings are read for every cell, and
a warning on each would bury the cells' own output."""


def _ignored(setting: str, value: Any, why: str, default: Any) -> Any:
    """``default``, in place of ``value``, with a warning the first time."""
    if (setting, repr(value)) not in _reported:
        _reported.add((setting, repr(value)))
        log.warning(
            "SynQ: ignoring the setting %s (Settings → SynQ): %r is %s; using %r",
            setting,
            value,
            why,
            default,
        )
    return default


def plot_template(directory: Path | None = None) -> str:
    """``plotly_dark`` under a dark JupyterLab theme (JupyterLab Dark, its high-contrast
    variant, or any theme named "Dark"), else ``plotly_white``."""
    return _template(_read((directory or settings_dir()) / THEME_FILE).get("theme"))


def plot_template_now(directory: Path | None = None) -> str | None:
    """``plot_template`` for a reader that asks again and again: ``None``, silently, when
    the theme file cannot be read right now (JupyterLab empties it before writing it)."""
    try:
        text = ((directory or settings_dir()) / THEME_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return _template(None)
    except OSError:
        return None
    try:
        raw = json5.loads(text)
    except (ValueError, RecursionError):
        return None
    return _template(raw.get("theme") if isinstance(raw, dict) else None)


def _template(theme: Any) -> str:
    return "plotly_dark" if isinstance(theme, str) and "dark" in theme.lower() else "plotly_white"
