"""SynQ for Jupyter: a quantum-computing platform inside JupyterLab."""

from __future__ import annotations

from typing import Any

from synq_jupyter._version import __version__

__all__ = [
    "__version__",
    "attach",
    "estimate",
    "load_ipython_extension",
    "optimize",
    "predict",
    "qaoa",
    "submit",
    "submit_batch",
    "synthesize",
    "train_qnn",
    "vqe",
]


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


def attach(job_id: Any) -> Any:
    """A handle on an existing job, e.g. after a kernel restart: by its id (whole, its
    12-character start, upper case or dashed) or another handle."""
    from synq_jupyter.kernel.job_handle import attach as _attach

    return _attach(job_id)


def vqe(*args: Any, **kwargs: Any) -> Any:
    """Runs VQE as a job with a live convergence plot; see ``kernel.algorithms.vqe``."""
    from synq_jupyter.kernel.algorithms import vqe as _vqe

    return _vqe(*args, **kwargs)


def qaoa(*args: Any, **kwargs: Any) -> Any:
    """Runs QAOA as a job; see ``synq_jupyter.kernel.algorithms.qaoa``."""
    from synq_jupyter.kernel.algorithms import qaoa as _qaoa

    return _qaoa(*args, **kwargs)


def train_qnn(*args: Any, **kwargs: Any) -> Any:
    """Trains a QNN classifier as a job; see ``synq_jupyter.kernel.algorithms.train_qnn``."""
    from synq_jupyter.kernel.algorithms import train_qnn as _train_qnn

    return _train_qnn(*args, **kwargs)


def predict(*args: Any, **kwargs: Any) -> Any:
    """Predicts with a stored QNN model; see ``synq_jupyter.kernel.algorithms.predict``."""
    from synq_jupyter.kernel.algorithms import predict as _predict

    return _predict(*args, **kwargs)


def synthesize(*args: Any, **kwargs: Any) -> Any:
    """A verified circuit from a spec or a description; see ``kernel.algorithms``."""
    from synq_jupyter.kernel.algorithms import synthesize as _synthesize

    return _synthesize(*args, **kwargs)


def estimate(*args: Any, **kwargs: Any) -> Any:
    """Cost and feasibility of a circuit on every target; see ``kernel.algorithms``."""
    from synq_jupyter.kernel.algorithms import estimate as _estimate

    return _estimate(*args, **kwargs)


def optimize(*args: Any, **kwargs: Any) -> Any:
    """Measured optimizations of a circuit for a target; see ``kernel.algorithms``."""
    from synq_jupyter.kernel.algorithms import optimize as _optimize

    return _optimize(*args, **kwargs)
