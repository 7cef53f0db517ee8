"""VQE, QAOA, QNN and synthesis from a notebook: submit, watch live, get the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synq_jupyter.kernel.client import SynqClient
from synq_jupyter.kernel.job_handle import JobHandle, circuit_source, in_notebook

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp


def vqe(
    hamiltonian: SparsePauliOp | dict[str, Any] | None = None,
    *,
    molecule: dict[str, Any] | None = None,
    display: bool = True,
    client: SynqClient | None = None,
    **options: Any,
) -> JobHandle:
    """Runs VQE as a job; in a notebook the convergence plots live.

    Args:
        hamiltonian: A ``SparsePauliOp`` or ``{"paulis": [...], "coeffs": [...]}``.
        molecule: Instead of ``hamiltonian``: ``symbols``, ``geometry`` (Å), ``charge``,
            ``multiplicity``, ``basis``, ``active_electrons``, ``active_orbitals``.
        display: Show the live widget when in a notebook.
        client: REST client; one from the environment by default.
        **options: ``ansatz`` (uccsd, efficient_su2, real_amplitudes), ``reps``,
            ``optimizer`` (cobyla, l-bfgs-b, spsa, adam), ``estimator`` (statevector, shots,
            noisy, or hardware: an IBM device in ``target`` with your stored IBM key),
            ``shots``, ``target``, ``num_electrons``, ``max_iterations``, ``seed``, ``tags``.

    Returns:
        The job; ``.result()`` waits for the energies.
    """
    if (hamiltonian is None) == (molecule is None):
        raise ValueError("give either hamiltonian or molecule")
    body = {"hamiltonian": molecule if molecule is not None else _pauli_sum(hamiltonian)}
    return _submit("qml/vqe", {**body, **options}, display, client)


def qaoa(
    problem: dict[str, Any],
    *,
    p: int = 1,
    display: bool = True,
    client: SynqClient | None = None,
    **options: Any,
) -> JobHandle:
    """Runs QAOA as a job; in a notebook the objective plots live, then the distribution.

    Args:
        problem: ``{"type": "maxcut", "edges": [[0, 1], ...]}``, or ``mis``,
            ``number_partitioning``, ``qubo``, ``ising`` (see the QAOA guide).
        p: Depth.
        display: Show the live widget when in a notebook.
        client: REST client; one from the environment by default.
        **options: ``init`` (interp, fixed, random), ``optimizer``, ``shots``,
            ``max_iterations``, ``seed``, ``tags``.
    """
    return _submit("qml/qaoa", {"problem": problem, "p": p, **options}, display, client)


def train_qnn(
    *,
    dataset: str | dict[str, Any] | None = None,
    X: Any = None,
    y: Any = None,
    display: bool = True,
    client: SynqClient | None = None,
    **options: Any,
) -> JobHandle:
    """Trains a QNN classifier as a job; in a notebook the loss plots live.

    Args:
        dataset: ``"moons"``, ``"iris"``, ``"breast_cancer"``, or ``{"name": ..,
            "n_samples": .., "noise": ..}``.
        X: Instead of ``dataset``: features, one row per sample.
        y: Binary labels of ``X``.
        display: Show the live widget when in a notebook.
        client: REST client; one from the environment by default.
        **options: ``embedding`` (angle, reuploading), ``layers``, ``epochs``,
            ``batch_size``, ``learning_rate``, ``test_size``, ``seed``, ``name``.

    Returns:
        The training job; the model's id is the job's id (``handle.id``).
    """
    body: dict[str, Any] = dict(options)
    if dataset is not None:
        body["dataset"] = {"name": dataset} if isinstance(dataset, str) else dataset
    else:
        body["data"] = {"X": _rows(X), "y": _plain_list(y)}
    return _submit("qml/qnn/train", body, display, client)


def predict(
    model_id: str, X: Any, *, client: SynqClient | None = None, timeout: float | None = 300
) -> dict[str, Any]:
    """Predicts labels of ``X`` with a stored model; returns labels and probabilities."""
    client = client or SynqClient()
    job = client.request("POST", f"qml/qnn/{model_id}/predict", json={"X": _rows(X)})
    return JobHandle(job["id"], client).result(timeout=timeout)


def synthesize(
    spec: str | dict[str, Any],
    *,
    client: SynqClient | None = None,
    timeout: float | None = 300,
) -> dict[str, Any]:
    """A verified circuit from a spec dict or a description such as "5-qubit GHZ state".

    Returns:
        The result: ``qasm3``, ``metrics`` and ``verification``.
    """
    client = client or SynqClient()
    body = {"description": spec} if isinstance(spec, str) else {"spec": spec}
    job = client.request("POST", "circuits/synthesize", json=body)
    return JobHandle(job["id"], client).result(timeout=timeout)


def estimate(
    circuit: QuantumCircuit | str,
    *,
    shots: int = 1000,
    targets: list[str] | None = None,
    display: bool = True,
    client: SynqClient | None = None,
    timeout: float | None = 600,
) -> dict[str, Any]:
    """Feasibility, fidelity, run time and price of ``circuit`` on every target.

    In a notebook the comparison shows as a table and a plotly scatter of price against
    estimated success probability.
    """
    body = {**circuit_source(circuit), "shots": shots, "targets": targets}
    return _run_and_show("circuits/estimate", body, "cost_estimate", display, client, timeout)


def optimize(
    circuit: QuantumCircuit | str,
    target: str,
    *,
    optimization_level: int = 2,
    display: bool = True,
    client: SynqClient | None = None,
    timeout: float | None = 600,
) -> dict[str, Any]:
    """Optimizations of ``circuit`` for ``target``, each applied and measured before and after."""
    body = {**circuit_source(circuit), "target": target, "optimization_level": optimization_level}
    return _run_and_show("circuits/optimize", body, "optimize", display, client, timeout)


def _run_and_show(
    path: str,
    body: dict[str, Any],
    kind: str,
    display: bool,
    client: SynqClient | None,
    timeout: float | None,
) -> dict[str, Any]:
    client = client or SynqClient()
    handle = JobHandle(client.request("POST", path, json=body)["id"], client)
    result = handle.result(timeout=timeout)
    if display and in_notebook():
        from IPython.display import display as show

        from synq_jupyter.kernel.algorithm_views import ALGORITHM_VIEWS

        for bundle in ALGORITHM_VIEWS[kind]({**result, "kind": kind}, None):
            show(bundle, raw=True)
    return result


def _submit(path: str, body: dict[str, Any], display: bool, client: SynqClient | None) -> JobHandle:
    client = client or SynqClient()
    handle = JobHandle(client.request("POST", path, json=body)["id"], client)
    if display and in_notebook():
        from IPython.display import display as show

        show(handle.widget())
    return handle


def _pauli_sum(hamiltonian: Any) -> dict[str, Any]:
    if isinstance(hamiltonian, dict):
        return hamiltonian
    terms = hamiltonian.to_list()
    for label, coeff in terms:
        if abs(complex(coeff).imag) > 1e-12:
            raise ValueError(f"the coefficient of {label} is complex: not Hermitian")
    return {
        "paulis": [label for label, _ in terms],
        "coeffs": [float(complex(c).real) for _, c in terms],
    }


def _rows(values: Any) -> list[list[float]]:
    return [[float(v) for v in row] for row in values]


def _plain_list(values: Any) -> list[Any]:
    return [v.item() if hasattr(v, "item") else v for v in values]
