"""Schemas of the algorithm routes: VQE, QAOA, QNN training and prediction, synthesis.

They fix the shape of a request; what only the algorithm can judge (a Hamiltonian's
hermiticity, an atom's name, a graph's edges) is checked by the algorithm's own spec on
the checks worker, before any job is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, model_validator
from pydantic import Tag as Member

from synq_jupyter.algorithms.qnn_model import MAX_LAYERS, MAX_QUBITS
from synq_jupyter.algorithms.qnn_spec import MAX_EPOCHS
from synq_jupyter_server.schemas.base import DisplayName, Request, Response
from synq_jupyter_server.schemas.circuits import MAX_SOURCE, CircuitFormat, TargetNames
from synq_jupyter_server.schemas.jobs import JobSettings

MAX_TERMS = 5000
MAX_SAMPLES = 10_000


def _coefficient_kind(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return "list[float]"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "float"
    return None


Coefficient = Annotated[
    Annotated[float, Member("float")]
    | Annotated[list[float], Field(min_length=2, max_length=2), Member("list[float]")],
    # One message for something that is neither, not one per form it is not.
    Discriminator(
        _coefficient_kind,
        custom_error_type="coefficient",
        custom_error_message="a coefficient is a number or an [re, im] pair",
    ),
]


class PauliHamiltonian(Request):
    """A Hamiltonian as a sum of Pauli strings; the rightmost letter acts on qubit 0."""

    paulis: list[str] = Field(min_length=1, max_length=MAX_TERMS, examples=[["ZZ", "XI", "IX"]])
    coeffs: list[Coefficient] = Field(
        min_length=1,
        max_length=MAX_TERMS,
        description="Real numbers, or [re, im] pairs (a non-zero im is refused: not Hermitian).",
        examples=[[1.0, 0.5, 0.5]],
    )


class Molecule(Request):
    """A molecule, built into a qubit Hamiltonian with PennyLane's quantum chemistry."""

    symbols: list[str] = Field(min_length=1, max_length=12, examples=[["H", "H"]])
    geometry: list[list[float]] = Field(
        min_length=1,
        max_length=12,
        description="One [x, y, z] per atom, in ångström.",
        examples=[[[0.0, 0.0, 0.0], [0.0, 0.0, 0.735]]],
    )
    charge: int = 0
    multiplicity: int = Field(default=1, ge=1)
    basis: str = Field(default="sto-3g", max_length=32)
    active_electrons: int | None = Field(default=None, ge=1)
    active_orbitals: int | None = Field(default=None, ge=1)


def _hamiltonian_kind(value: Any) -> str | None:
    if isinstance(value, Molecule) or (
        isinstance(value, dict) and ("symbols" in value or "geometry" in value)
    ):
        return "Molecule"
    if isinstance(value, dict | PauliHamiltonian):
        return "PauliHamiltonian"
    return None


Hamiltonian = Annotated[
    Annotated[PauliHamiltonian, Member("PauliHamiltonian")]
    | Annotated[Molecule, Member("Molecule")],
    # A molecule's errors for a molecule, a Pauli sum's for a Pauli sum: not both for either.
    Discriminator(
        _hamiltonian_kind,
        custom_error_type="hamiltonian",
        custom_error_message='a Hamiltonian is a Pauli sum {"paulis", "coeffs"} or a molecule '
        '{"symbols", "geometry", ...}',
    ),
]


class VQERequest(JobSettings):
    hamiltonian: Hamiltonian
    ansatz: Literal["uccsd", "efficient_su2", "real_amplitudes"] | None = Field(
        default=None, description="null: UCCSD when there are electrons, else EfficientSU2."
    )
    reps: int | None = Field(default=None, ge=1, le=20, description="null: 1 for UCCSD, else 2.")
    optimizer: Literal["cobyla", "l-bfgs-b", "spsa", "adam"] | None = Field(
        default=None, description="null: L-BFGS-B on the statevector, SPSA with shots."
    )
    estimator: Literal["statevector", "shots", "noisy", "hardware"] = Field(
        default="statevector",
        description="`statevector`: exact. `shots`: sampled on Aer. `noisy`: sampled on Aer "
        "with the noise of `target`. `hardware`: measured on the IBM device `target` with "
        "my stored IBM credentials, one IBM job per batch of energies.",
    )
    shots: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="Samples per energy; null: 4096, except for `hardware`, which needs it.",
    )
    target: str | None = Field(
        default=None,
        max_length=64,
        description="For `noisy` (a catalogue device) and `hardware` (ibm_brisbane, ibm_torino).",
    )
    num_electrons: int | None = Field(
        default=None, ge=0, description="UCCSD on a Pauli sum: electrons of the reference."
    )
    initial_parameters: list[float] | None = Field(default=None, max_length=10_000)
    max_iterations: int = Field(default=200, ge=1, le=10_000)


class QAOARequest(JobSettings):
    problem: dict[str, Any] = Field(
        description='`{"type": "maxcut", "edges": [[0, 1], [1, 2, 0.5]]}`; also `mis` (edges, '
        "penalty), `number_partitioning` (numbers), and `qubo` / `ising` (matrix, or linear and "
        "quadratic, offset, sense); see docs/algorithms.md.",
        examples=[{"type": "maxcut", "edges": [[0, 1], [1, 2], [2, 0]]}],
    )
    p: int = Field(default=1, description="Depth; at least 1.")
    init: Literal["interp", "fixed", "random"] = "interp"
    optimizer: Literal["cobyla", "l-bfgs-b"] | None = Field(
        default=None, description="null: L-BFGS-B with exact gradients, COBYLA with shots."
    )
    shots: int | None = Field(default=None, ge=1, le=1_000_000, description="null: exact.")
    max_iterations: int = Field(
        default=200, ge=0, le=10_000, description="0 keeps the starting angles as they are."
    )
    top_k: int = Field(default=32, ge=1, le=1024, description="Bitstrings in `distribution`.")


class UserData(Request):
    """Training data: ``X`` and ``y`` arrays, or CSV text whose last column is the label."""

    X: list[list[float]] | None = Field(default=None, max_length=MAX_SAMPLES)
    y: list[int | float | str] | None = Field(default=None, max_length=MAX_SAMPLES)
    csv: str | None = Field(default=None, max_length=5_000_000)

    @model_validator(mode="after")
    def _one_form(self) -> UserData:
        if (self.csv is None) == (self.X is None and self.y is None):
            raise ValueError("give either X and y, or csv")
        return self


class Dataset(Request):
    name: Literal["iris", "moons", "breast_cancer"]
    n_samples: int | None = Field(default=None, ge=10, le=MAX_SAMPLES)
    noise: float | None = Field(default=None, ge=0.0, le=1.0)


class QNNTrainRequest(JobSettings):
    name: DisplayName | None = Field(default=None, description="A name for the model.")
    data: UserData | None = None
    dataset: Dataset | None = None
    embedding: Literal["angle", "reuploading"] = "reuploading"
    layers: int = Field(default=5, ge=1, le=MAX_LAYERS)
    n_qubits: int | None = Field(
        default=None,
        ge=1,
        le=MAX_QUBITS,
        description="null: one per feature, up to 4 (PCA beyond).",
    )
    epochs: int = Field(default=10, ge=1, le=MAX_EPOCHS)
    batch_size: int = Field(default=5, ge=1, le=1024)
    learning_rate: float = Field(default=0.05, gt=0.0, le=1.0)
    test_size: float = Field(default=0.25, gt=0.0, lt=1.0)

    @model_validator(mode="after")
    def _one_source(self) -> QNNTrainRequest:
        if (self.data is None) == (self.dataset is None):
            raise ValueError("give either data or dataset")
        return self


class QNNPredictRequest(JobSettings):
    X: list[list[float]] = Field(min_length=1, max_length=MAX_SAMPLES)


class SynthesizeRequest(JobSettings):
    spec: dict[str, Any] | None = Field(
        default=None,
        description='A structured spec: `{"kind": "ghz", "num_qubits": 5}`; kinds: ghz, '
        "w_state, qft, grover, state_preparation, unitary, permutation, clifford, adder.",
    )
    description: str | None = Field(
        default=None,
        max_length=500,
        description='Plain English, e.g. "QFT on 4 qubits without swaps".',
        examples=["5-qubit GHZ state"],
    )

    @model_validator(mode="after")
    def _one_form(self) -> SynthesizeRequest:
        if (self.spec is None) == (self.description is None):
            raise ValueError("give either spec or description")
        return self


class CircuitJob(JobSettings):
    source: str = Field(min_length=1, max_length=MAX_SOURCE)
    format: CircuitFormat | None = None


class EstimateRequest(CircuitJob):
    shots: int = Field(default=1000, ge=1, le=1_000_000)
    targets: TargetNames | None = Field(
        default=None, description="Catalogue names; every target when null."
    )


class OptimizeRequest(CircuitJob):
    target: str = Field(min_length=1, max_length=64, examples=["ibm_torino"])
    optimization_level: int = Field(default=2, ge=0, le=3)


class Model(Response):
    id: str = Field(description="Also the id of the training job.")
    kind: str
    name: str
    created_at: datetime
    metrics: dict[str, Any]
    model: dict[str, Any] = Field(description="Architecture and trained parameters.")


class ModelList(Response):
    models: list[Model]
