"""Algorithm jobs (VQE, QAOA, QNN, synthesis), run inside a worker process.

Each takes the validated spec stored with the job and returns the algorithm's result as
plain data. Iterations go back as ``("point", (iteration, value))`` reports, which the
scheduler forwards with the progress events so a notebook can plot them live, and the shots
a sampled estimate spends as ``("shots", n)`` reports, which it counts against the
organisation's monthly shots as the job runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synq_jupyter.algorithms.vqe_spec import VQESpec

Report = Callable[[str, Any], None]


def _progress(report: Report) -> Callable[[float, str], None]:
    return lambda fraction, message: report("progress", (fraction, message))


def _point(report: Report) -> Callable[[int, float], None]:
    return lambda x, y: report("point", (x, y))


def _shots(report: Report) -> Callable[[int], None]:
    return lambda shots: report("shots", shots)


def vqe_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.algorithms.vqe import VQESpec, run_vqe

    spec = VQESpec.from_dict(payload["spec"])
    if spec.estimator == "hardware":
        return _vqe_on_ibm(spec, payload, report)
    result = run_vqe(
        spec, progress=_progress(report), on_iteration=_point(report), on_shots=_shots(report)
    )
    return result.to_dict()


def _vqe_on_ibm(spec: VQESpec, payload: dict[str, Any], report: Report) -> dict[str, Any]:
    """A VQE whose energies are estimated on an IBM device with the owner's stored key.

    The result adds ``provider_job_ids``: IBM's ids of every estimator job, oldest first.
    """
    from synq_jupyter.algorithms.vqe import run_vqe
    from synq_jupyter.errors import SynqInputError
    from synq_jupyter_server.jobs.providers.ibm_cloud import cancel_on_ibm
    from synq_jupyter_server.jobs.providers.ibm_estimator import IbmEstimator

    assert spec.target is not None  # VQESpec requires a device for this estimator
    estimator = IbmEstimator(spec.target, payload.get("credentials"), report)
    stale = payload.get("provider_job_id")
    if stale:
        # This run was cut short (a restart) and starts over: its last job is of no use.
        with contextlib.suppress(SynqInputError):
            cancel_on_ibm(stale, payload["credentials"])
    result = run_vqe(
        spec,
        progress=estimator.progress,
        on_iteration=_point(report),
        hardware=estimator,
        on_shots=_shots(report),
    )
    return {**result.to_dict(), "provider_job_ids": list(estimator.job_ids)}


def qaoa_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.algorithms.qaoa import QAOASpec, run_qaoa

    spec = QAOASpec.from_dict(payload["spec"])
    result = run_qaoa(
        spec, progress=_progress(report), on_iteration=_point(report), on_shots=_shots(report)
    )
    return result.to_dict()


def qnn_train_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.algorithms.qnn import QNNSpec, train_qnn

    spec = QNNSpec.from_dict(payload["spec"])
    result = train_qnn(spec, progress=_progress(report), on_epoch=_point(report))
    return result.to_dict()


def qnn_predict_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.algorithms.qnn import predict_qnn

    report("progress", (0.0, f"predicting {len(payload['X'])} samples"))
    labels, probabilities = predict_qnn(payload["model"], payload["X"])
    return {
        "model_id": payload["model_id"],
        "labels": [_plain(label) for label in labels],
        "probabilities": [float(p) for p in probabilities],
    }


def synthesize_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.quantum.synthesis import synthesize

    request = payload["spec"]
    wanted = request["description"] if "description" in request else request["spec"]
    return synthesize(wanted, progress=_progress(report)).to_dict()


def cost_estimate_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.quantum import load_circuit
    from synq_jupyter.quantum.cost_estimate import estimate_costs

    spec = payload["spec"]
    comparison = estimate_costs(
        load_circuit(spec["source"], spec.get("format")),
        shots=spec["shots"],
        targets=spec.get("targets"),
        seed=spec["seed"],
        progress=_progress(report),
    )
    return comparison.to_dict()


def optimize_job(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.quantum import load_circuit
    from synq_jupyter.quantum.optimize_suggestions import suggest_optimizations

    spec = payload["spec"]
    suggestions = suggest_optimizations(
        load_circuit(spec["source"], spec.get("format")),
        spec["target"],
        optimization_level=spec["optimization_level"],
        seed=spec["seed"],
        progress=_progress(report),
    )
    return suggestions.to_dict()


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value JSON can hold."""
    return value.item() if hasattr(value, "item") else value


ALGORITHM_JOBS: dict[str, Callable[[dict[str, Any], Report], dict[str, Any]]] = {
    "vqe": vqe_job,
    "qaoa": qaoa_job,
    "qnn_train": qnn_train_job,
    "qnn_predict": qnn_predict_job,
    "synthesize": synthesize_job,
    "cost_estimate": cost_estimate_job,
    "optimize": optimize_job,
}
