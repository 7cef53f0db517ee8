"""SynQ for Jupyter: a quantum-computing platform inside JupyterLab."""

from __future__ import annotations

from typing import Any

from synq_jupyter._version import __version__

__all__ = ["__version__", "load_ipython_extension"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "synq-jupyter"}]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext synq_jupyter``: registers the ``%%synq`` and ``%synq`` magics."""
    from synq_jupyter.kernel.magics import SynqMagics

    ipython.register_magics(SynqMagics)
