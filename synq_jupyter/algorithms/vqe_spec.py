"""A validated VQE request: the problem, the ansatz, the optimiser and the estimator."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

from synq_jupyter.algorithms.ansatz import ANSATZE
from synq_jupyter.algorithms.chem_molecule import Molecule
from synq_jupyter.algorithms.hamiltonian import PauliSum
from synq_jupyter.algorithms.optimizers import OPTIMIZERS
from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum.transpile import check_seed

ESTIMATORS = ("statevector", "shots", "noisy", "hardware")
ON_TARGET = ("noisy", "hardware")
MAX_STATEVECTOR_QUBITS = 24
MAX_SAMPLED_QUBITS = 30
MAX_REPS = 50
MAX_ITERATIONS = 100_000
MAX_SHOTS = 10_000_000
DEFAULT_SHOTS = 4096
DEFAULT_MAX_ITERATIONS = 200
KEYS = (
    "hamiltonian",
    "ansatz",
    "reps",
    "optimizer",
    "estimator",
    "shots",
    "target",
    "seed",
    "max_iterations",
    "initial_parameters",
    "num_electrons",
)


@dataclass(frozen=True)
class VQESpec:
    """Everything ``run_vqe`` needs; construct it with ``from_dict`` or directly.

    Attributes:
        hamiltonian: A Pauli sum or a molecule.
        ansatz: ``"uccsd"``, ``"efficient_su2"`` or ``"real_amplitudes"``; by default
            UCCSD when the problem has electrons, else ``"efficient_su2"``.
        reps: Ansatz layers; 1 for UCCSD and 2 otherwise by default.
        optimizer: ``"cobyla"``, ``"l-bfgs-b"``, ``"spsa"`` or ``"adam"``; by default
            L-BFGS-B on exact energies and SPSA on sampled ones.
        estimator: ``"statevector"`` (exact), ``"shots"`` (sampled, ideal), ``"noisy"``
            (sampled on the transpiled circuit with ``target``'s noise) or ``"hardware"``
            (measured on the IBM device ``target``, through the provider's client).
        shots: Samples per energy for the sampled estimators (ignored for statevector;
            required for hardware, where every shot costs device time).
        target: The catalogue device whose noise ``"noisy"`` simulates, or on which
            ``"hardware"`` runs.
        seed: Seeds everything random; a fresh one is drawn (and reported) when ``None``.
        max_iterations: At most this many optimiser iterations.
        initial_parameters: The starting point; by default zeros for UCCSD (the
            Hartree–Fock state) and seeded random angles otherwise.
        num_electrons: Electrons of a Pauli-sum problem, needed by UCCSD.

    Raises:
        SynqInputError: Any value out of range, naming the request field.
    """

    hamiltonian: PauliSum | Molecule
    ansatz: str | None = None
    reps: int | None = None
    optimizer: str | None = None
    estimator: str = "statevector"
    shots: int | None = None
    target: str | None = None
    seed: int | None = None
    max_iterations: int = DEFAULT_MAX_ITERATIONS
    initial_parameters: tuple[float, ...] | None = None
    num_electrons: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.hamiltonian, PauliSum | Molecule):
            raise SynqInputError(
                "hamiltonian must be a PauliSum or a Molecule", field="hamiltonian"
            )
        estimator = _choice("estimator", self.estimator, ESTIMATORS, "statevector")
        sampled = estimator != "statevector"
        if estimator == "hardware" and self.shots is None:
            raise SynqInputError(
                "the hardware estimator needs shots: every energy takes that many on the device",
                field="shots",
            )
        has_electrons = isinstance(self.hamiltonian, Molecule) or self.num_electrons is not None
        ansatz = _choice(
            "ansatz", self.ansatz, ANSATZE, "uccsd" if has_electrons else "efficient_su2"
        )
        optimizer = _choice(
            "optimizer", self.optimizer, OPTIMIZERS, "spsa" if sampled else "l-bfgs-b"
        )
        resolved = {
            "estimator": estimator,
            "ansatz": ansatz,
            "optimizer": optimizer,
            "reps": _integer("reps", self.reps, 1, MAX_REPS, 1 if ansatz == "uccsd" else 2),
            "max_iterations": _integer("max_iterations", self.max_iterations, 1, MAX_ITERATIONS),
            "seed": check_seed(self.seed),
            "shots": _integer("shots", self.shots, 1, MAX_SHOTS, DEFAULT_SHOTS)
            if sampled
            else None,
            "target": self.target if estimator in ON_TARGET else None,
        }
        if self.initial_parameters is not None:
            resolved["initial_parameters"] = _parameters(self.initial_parameters)
        for name, value in resolved.items():
            object.__setattr__(self, name, value)
        self._check_target()
        self._check_electrons()
        self._check_size()

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> VQESpec:
        """Validates a request such as ``{"hamiltonian": {...}, "optimizer": "cobyla"}``.

        ``hamiltonian`` is ``{"paulis": [...], "coeffs": [...]}`` or a molecule
        ``{"symbols": [...], "geometry": [[x, y, z], ...], "charge": 0, ...}``.
        """
        if not isinstance(spec, dict):
            raise SynqInputError("a VQE request must be an object")
        for key in spec:
            if key not in KEYS:
                raise SynqInputError(f"unknown VQE field {key!r}", field=str(key))
        problem = spec.get("hamiltonian")
        if not isinstance(problem, dict):
            raise SynqInputError(
                "hamiltonian must be a Pauli sum {paulis, coeffs} or a molecule "
                "{symbols, geometry, ...}",
                field="hamiltonian",
            )
        hamiltonian: PauliSum | Molecule
        if "symbols" in problem or "geometry" in problem:
            hamiltonian = Molecule.from_dict(problem)
        else:
            extra = set(problem) - {"paulis", "coeffs"}
            if extra:
                raise SynqInputError(
                    f"unknown Pauli-sum field {sorted(extra)[0]!r}",
                    field=f"hamiltonian.{sorted(extra)[0]}",
                )
            hamiltonian = PauliSum.from_dict(problem)
        options = {key: spec[key] for key in KEYS[1:] if spec.get(key) is not None}
        if "initial_parameters" in options:
            options["initial_parameters"] = _parameters(options["initial_parameters"])
        return cls(hamiltonian=hamiltonian, **options)

    @property
    def num_qubits(self) -> int:
        return self.hamiltonian.num_qubits

    def _check_target(self) -> None:
        if self.estimator not in ON_TARGET:
            return
        if not isinstance(self.target, str):
            raise SynqInputError(
                f"the {self.estimator} estimator needs a catalogue target, such as ibm_torino",
                field="target",
            )
        from synq_jupyter.quantum import get_target, list_targets

        target = get_target(self.target)
        if self.estimator != "hardware":
            return
        devices = [t.name for t in list_targets() if t.provider == "ibm" and not t.simulator]
        if self.target not in devices:
            raise TargetError(
                f"the hardware estimator runs on IBM Quantum devices ({', '.join(devices)}); "
                f"{self.target} is not one"
            )
        if self.num_qubits > target.num_qubits:
            raise TargetError(
                f"the Hamiltonian needs {self.num_qubits} qubits; {self.target} has "
                f"{target.num_qubits}",
                field="hamiltonian",
            )

    def _check_electrons(self) -> None:
        if self.num_electrons is None:
            if self.ansatz == "uccsd" and isinstance(self.hamiltonian, PauliSum):
                raise SynqInputError(
                    "UCCSD starts from a Hartree–Fock state: give num_electrons for a "
                    "Pauli-sum Hamiltonian",
                    field="num_electrons",
                )
            return
        if isinstance(self.hamiltonian, Molecule):
            raise SynqInputError(
                "num_electrons comes from the molecule (charge and active space); leave it out",
                field="num_electrons",
            )
        _integer("num_electrons", self.num_electrons, 0, self.num_qubits, None)

    def _check_size(self) -> None:
        if self.estimator == "hardware":
            return  # nothing is simulated: the device's width, checked above, is the limit
        limit = MAX_SAMPLED_QUBITS if self.estimator != "statevector" else MAX_STATEVECTOR_QUBITS
        if self.num_qubits > limit:
            raise SynqInputError(
                f"the Hamiltonian needs {self.num_qubits} qubits; the {self.estimator} "
                f"estimator simulates at most {limit} (choose a smaller active space)",
                field="hamiltonian",
            )


def _choice(name: str, value: Any, choices: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if isinstance(value, str):
        value = value.strip().lower()
        value = value.replace("_", "-") if name == "optimizer" else value.replace("-", "_")
    if value not in choices:
        raise SynqInputError(
            f"unknown {name} {value!r}; use one of {', '.join(choices)}", field=name
        )
    return str(value)


def _integer(name: str, value: Any, low: int, high: int, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SynqInputError(f"{name} must be an integer from {low} to {high}", field=name)
    return value


def _parameters(values: Any) -> tuple[float, ...]:
    if not isinstance(values, list | tuple) or not all(
        isinstance(v, Real) and not isinstance(v, bool) and math.isfinite(v) for v in values
    ):
        raise SynqInputError(
            "initial_parameters must be a list of finite numbers", field="initial_parameters"
        )
    return tuple(float(v) for v in values)
