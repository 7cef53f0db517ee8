"""SynQ for Jupyter: a quantum-computing platform inside JupyterLab."""

from __future__ import annotations

from typing import Any

from synq_jupyter._version import __version__

__all__ = ["__version__", "attach", "load_ipython_extension", "submit", "submit_batch"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "synq-jupyter"}]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext synq_jupyter``: registers the ``%%synq`` and ``%synq`` magics."""
    from synq_jupyter.kernel.magics import SynqMagics

    ipython.register_magics(SynqMagics)


def submit(*args: Any, **kwargs: Any) -> Any:
    """Submits a circuit as a durable job; see ``synq_jupyter.kernel.job_handle.submit``."""
    from synq_jupyter.kernel.job_handle import submit as _submit

    return _submit(*args, **kwargs)


def submit_batch(*args: Any, **kwargs: Any) -> Any:
    """Submits many circuits as one batched job; see ``kernel.job_handle.submit_batch``."""
    from synq_jupyter.kernel.job_handle import submit_batch as _submit_batch

    return _submit_batch(*args, **kwargs)


def attach(job_id: str) -> Any:
    """A handle on an existing job, e.g. after a kernel restart."""
    from synq_jupyter.kernel.job_handle import attach as _attach

    return _attach(job_id)
