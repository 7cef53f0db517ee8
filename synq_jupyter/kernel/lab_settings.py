"""The JupyterLab settings of SynQ (*Settings → SynQ*), read by the magics too.

JupyterLab keeps a user's settings in
``{JUPYTERLAB_SETTINGS_DIR or jupyter_config_dir()/lab/user-settings}/synq-jupyter/
plugin.jupyterlab-settings``, as JSON5 (comments allowed). The kernel reads the file on
each cell, so a change in the settings editor applies to the next cell run.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import json5

log = logging.getLogger(__name__)

SETTINGS_FILE = Path("synq-jupyter") / "plugin.jupyterlab-settings"


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


def magic_defaults(directory: Path | None = None) -> MagicDefaults:
    """The user's SynQ settings; the built-in defaults where the file is missing, unreadable
    or holds a value of the wrong kind (a warning is logged; a cell never fails for it)."""
    path = (directory or settings_dir()) / SETTINGS_FILE
    base = MagicDefaults()
    try:
        raw = json5.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return base
    except (OSError, ValueError) as exc:
        log.warning("SynQ: ignoring unreadable settings %s: %s", path, exc)
        return base
    if not isinstance(raw, dict):
        return base
    target = raw.get("defaultTarget", base.target)
    shots = raw.get("shots", base.shots)
    level = raw.get("optimizationLevel", base.optimization_level)
    return MagicDefaults(
        target=target if isinstance(target, str) and target else base.target,
        shots=shots if isinstance(shots, int) and shots > 0 else base.shots,
        optimization_level=level if level in (0, 1, 2, 3) else base.optimization_level,
    )
