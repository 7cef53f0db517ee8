"""SynQ's Jupyter server extension: the REST API under ``/synq/api/``."""

from __future__ import annotations

from typing import Any

from synq_jupyter._version import __version__


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from synq_jupyter_server.app import SynqApp

    return [{"module": "synq_jupyter_server.app", "app": SynqApp}]


__all__ = ["__version__"]
