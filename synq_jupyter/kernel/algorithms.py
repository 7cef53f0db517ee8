"""VQE, QAOA, QNN and synthesis from a notebook: submit, watch live, get the result.

Every request body goes through ``request_values.plain_fields``: numpy values are sent as
Python numbers, and a NaN or an object JSON cannot carry is refused naming its field, as
``submit`` does, rather than failing inside ``requests``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel.client import SynqClient
from synq_jupyter.kernel.job_handle import JobHandle, circuit_source, in_notebook, job_id_text
from synq_jupyter.kernel.request_values import pauli_sum, plain, plain_fields

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

    Raises:
        SynqInputError: Neither or both of ``hamiltonian`` and ``molecule`` are given, or a
            value is complex, NaN or not JSON, naming it.
    """
    if (hamiltonian is None) == (molecule is None):
        raise SynqInputError(
            "give a hamiltonian or a molecule, not both"
            if molecule is not None
            else "give a hamiltonian (a SparsePauliOp, or paulis and coeffs) or a molecule",
            field="hamiltonian",
        )
    terms: Any = molecule if molecule is not None else hamiltonian
    if type(terms).__name__ == "SparsePauliOp":
        terms = pauli_sum(terms, "hamiltonian")
    body = {"hamiltonian": terms, **options}
    if molecule is None:
        return _submit("qml/vqe", body, display, client)
    try:  # the API takes a molecule as its hamiltonian: errors name what was passed
        return _submit("qml/vqe", body, display, client)
    except SynqInputError as exc:
        if exc.field is None or not exc.field.startswith("hamiltonian"):
            raise
        field = "molecule" + exc.field.removeprefix("hamiltonian")
        raise SynqInputError(exc.message.replace(exc.field, field), field=field) from None


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

    Raises:
        SynqInputError: ``X`` or ``y`` is missing or not numbers, naming the place.
    """
    body: dict[str, Any] = dict(options)
    if dataset is not None:
        body["dataset"] = {"name": dataset} if isinstance(dataset, str) else dataset
    else:
        body["data"] = {"X": _rows(X, "X"), "y": _labels(y)}
    return _submit("qml/qnn/train", body, display, client)


def predict(
    model_id: str, X: Any, *, client: SynqClient | None = None, timeout: float | None = 300
) -> dict[str, Any]:
    """Predicts labels of ``X`` with a stored model; returns labels and probabilities."""
    model_id = job_id_text(model_id, "model_id")
    client = client or SynqClient()
    job = client.request("POST", f"qml/qnn/{model_id}/predict", json={"X": _rows(X, "X")})
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
    job = client.request("POST", "circuits/synthesize", json=plain_fields(body))
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
    body = plain_fields(body)
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
    body = plain_fields(body)
    client = client or SynqClient()
    handle = JobHandle(client.request("POST", path, json=body)["id"], client)
    if display and in_notebook():
        from IPython.display import display as show

        show(handle.widget())
    return handle


def _rows(values: Any, field: str) -> list[list[float]]:
    """``values`` (lists, a numpy array, a DataFrame) as rows of finite numbers.

    Raises:
        SynqInputError: It is missing, not rows, or holds something other than a finite
            number, naming the place (``X[0][1]``).
    """
    if values is None:
        raise SynqInputError("give the features, one row of numbers per sample", field=field)
    if hasattr(values, "to_numpy"):  # pandas: iterating a DataFrame gives its column names
        values = values.to_numpy()
    rows = plain(values, field)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise SynqInputError("give one row of numbers per sample (a list of lists)", field=field)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SynqInputError(f"{value!r} is not a number", field=f"{field}[{i}][{j}]")
    return [[float(v) for v in row] for row in rows]


def _labels(values: Any) -> list[Any]:
    """``y`` as a list of labels (numbers or text), one per row of ``X``."""
    if values is None:
        raise SynqInputError("give the labels, one per row of X", field="y")
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    labels = plain(values, "y")
    if not isinstance(labels, list):
        raise SynqInputError("give the labels as a list, one per row of X", field="y")
    for i, label in enumerate(labels):
        if not isinstance(label, int | float | str):
            raise SynqInputError(f"{label!r} is not a label (a number or text)", field=f"y[{i}]")
    return labels
