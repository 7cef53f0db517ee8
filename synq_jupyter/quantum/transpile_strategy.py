"""A learned choice of transpile strategy: level, layout, routing and seed trials."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum import circuit_metrics as metrics
from synq_jupyter.quantum.targets import SynqTarget, get_target
from synq_jupyter.quantum.transpile import (
    MAX_SEED,
    Progress,
    TranspileResult,
    check_fits,
    check_level,
    check_seed,
)
from synq_jupyter.quantum.transpile_report import TranspileReport

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

MODEL_FILE = "data/transpile_strategy.json"
LAYOUT_METHODS = (None, "default", "dense", "sabre", "trivial")
ROUTING_METHODS = (None, "default", "basic", "lookahead", "sabre")
# Native two-qubit gates that are a CNOT up to single-qubit gates.
_CNOT_CLASS = {"cx", "cz", "ecr"}
FEATURES = (
    "num_qubits",
    "two_qubit_count",
    "two_qubit_depth",
    "two_qubit_per_qubit",
    "two_qubit_parallelism",
    "interaction_edges",
    "interaction_density",
    "interaction_mean_degree",
    "interaction_max_degree",
    "target_qubits",
    "target_mean_degree",
    "target_max_degree",
    "target_native_cnot_class",
    "qubit_fraction",
)


@dataclass(frozen=True)
class Strategy:
    """Settings of Qiskit's preset pass manager, and how many seeds to try.

    ``None`` for a method means the preset's own choice. With ``seed_trials`` k, the
    transpile runs with seeds ``seed, seed + 1, ..., seed + k - 1`` and keeps the result
    with the fewest two-qubit gates (then the highest estimated success probability); its
    report records the seed that won, so one transpile with that seed reproduces it.

    Raises:
        SynqInputError: A setting is out of range.
    """

    optimization_level: int = 2
    layout_method: str | None = None
    routing_method: str | None = None
    seed_trials: int = 1
    approximation_degree: float = 1.0

    def __post_init__(self) -> None:
        # The checked value (numpy integers become ints: the strategy travels as JSON).
        object.__setattr__(self, "optimization_level", check_level(self.optimization_level))
        if self.layout_method not in LAYOUT_METHODS:
            raise SynqInputError(
                f"unknown layout method {self.layout_method!r}", field="layout_method"
            )
        if self.routing_method not in ROUTING_METHODS:
            raise SynqInputError(
                f"unknown routing method {self.routing_method!r}", field="routing_method"
            )
        trials = self.seed_trials
        if isinstance(trials, bool) or not isinstance(trials, int) or not 1 <= trials <= 64:
            raise SynqInputError("seed trials must be an integer from 1 to 64", field="seed_trials")
        if not 0.0 <= self.approximation_degree <= 1.0:
            raise SynqInputError(
                "approximation degree must be in [0, 1]", field="approximation_degree"
            )

    def transpile(
        self,
        circuit: QuantumCircuit,
        target: str | SynqTarget,
        *,
        seed: int | None = None,
        progress: Progress | None = None,
    ) -> TranspileResult:
        """Transpiles ``circuit`` for ``target`` with this strategy.

        Args:
            circuit: The circuit to transpile.
            target: A catalogue name or target.
            seed: First transpiler seed; a fresh one is drawn when ``None``.
            progress: Called with (fraction done, message) after each seed trial.

        Raises:
            TargetError: The target is unknown, too small, or cannot run the circuit.
            SynqInputError: The seed is out of range.
        """
        spec = target if isinstance(target, SynqTarget) else get_target(target)
        first = check_seed(seed)
        check_fits(circuit, spec)
        best: TranspileResult | None = None
        for trial in range(self.seed_trials):
            result = self._once(circuit, spec, (first + trial) % (MAX_SEED + 1))
            if best is None or _rank(result) < _rank(best):
                best = result
            if progress is not None:
                progress((trial + 1) / self.seed_trials, f"seed trial {trial + 1}")
        assert best is not None
        return best

    def _once(self, circuit: QuantumCircuit, spec: SynqTarget, seed: int) -> TranspileResult:
        from qiskit.transpiler import PassManager
        from qiskit.transpiler.exceptions import TranspilerError
        from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager

        manager = generate_preset_pass_manager(
            optimization_level=self.optimization_level,
            target=spec.qiskit_target,
            seed_transpiler=seed,
            layout_method=self.layout_method,
            routing_method=self.routing_method,
            approximation_degree=self.approximation_degree,
        )
        if self.optimization_level >= 1 and spec.native_passes is not None:
            manager.post_optimization = PassManager(spec.native_passes())
        try:
            transpiled = manager.run(circuit)
        except TranspilerError as exc:
            raise TargetError(f"cannot transpile for {spec.name}: {exc}") from None
        report = TranspileReport.build(
            circuit, transpiled, spec, optimization_level=self.optimization_level, seed=seed
        )
        return TranspileResult(circuit=transpiled, report=report)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def choose_strategy(circuit: QuantumCircuit, target: str | SynqTarget) -> Strategy:
    """The strategy the stored model expects to give the fewest two-qubit gates.

    The model (``data/transpile_strategy.json``) is a decision tree over ``features``,
    trained by ``bench/train_transpile_strategy.py`` on transpiles it measured on IBM and
    Rigetti devices. A target without connectivity limits needs no routing, so layout,
    routing and seeds cannot change the two-qubit count; it gets one level-2 transpile
    without asking the model.

    Raises:
        TargetError: The target is unknown.
    """
    spec = target if isinstance(target, SynqTarget) else get_target(target)
    if spec.coupling_map is None:
        return Strategy(optimization_level=2)
    return _model().predict(features(circuit, spec))


def transpile_with_strategy(
    circuit: QuantumCircuit,
    target: str | SynqTarget,
    seed: int | None = None,
    *,
    progress: Progress | None = None,
) -> TranspileResult:
    """Transpiles ``circuit`` with the strategy ``choose_strategy`` picks for ``target``.

    Args:
        circuit: The circuit to transpile.
        target: A catalogue name or target.
        seed: First transpiler seed; a fresh one is drawn when ``None``.
        progress: Called with (fraction done, message) after each seed trial.

    Returns:
        The best transpile of the strategy's seed trials; its report names the seed.

    Raises:
        TargetError: The target is unknown, too small, or cannot run the circuit.
        SynqInputError: The seed is out of range.
    """
    spec = target if isinstance(target, SynqTarget) else get_target(target)
    check_fits(circuit, spec)
    return choose_strategy(circuit, spec).transpile(circuit, spec, seed=seed, progress=progress)


def features(circuit: QuantumCircuit, target: SynqTarget) -> list[float]:
    """The model's inputs (``FEATURES``, in order) for ``circuit`` on ``target``.

    Gates on three or more qubits are first unrolled, so that a Toffoli counts as the
    two-qubit gates it becomes.
    """
    from qiskit.transpiler import PassManager
    from qiskit.transpiler.passes import Unroll3qOrMore

    flat = PassManager([Unroll3qOrMore()]).run(circuit)
    measured = metrics.execution_metrics(flat, {})
    n = max(flat.num_qubits, 1)
    degree: dict[int, set[int]] = {}
    for inst, qubits, _ in metrics.flat_instructions(flat):
        if len(qubits) == 2 and inst.operation.name not in metrics.NOT_OPERATIONS:
            a, b = qubits
            degree.setdefault(a, set()).add(b)
            degree.setdefault(b, set()).add(a)
    edges = sum(len(others) for others in degree.values()) / 2
    count, depth = measured.two_qubit_count, measured.two_qubit_depth
    return [
        float(flat.num_qubits),
        float(count),
        float(depth),
        count / n,
        count / (n * depth) if depth else 0.0,
        edges,
        edges / (n * (n - 1) / 2) if n > 1 else 0.0,
        2 * edges / n,
        float(max((len(others) for others in degree.values()), default=0)),
        *_target_features(target),
        flat.num_qubits / max(target.num_qubits, 1),
    ]


@cache
def _target_features(target: SynqTarget) -> tuple[float, float, float, float]:
    n = max(target.num_qubits, 1)
    neighbours: dict[int, set[int]] = {q: set() for q in range(n)}
    pairs = target.coupling_map
    if pairs is None:
        neighbours = {q: set(range(n)) - {q} for q in range(n)}
    for a, b in pairs or []:
        neighbours[a].add(b)
        neighbours[b].add(a)
    degrees = [len(others) for others in neighbours.values()]
    native = {g for g in target.basis_gates if g in _CNOT_CLASS}
    return float(n), sum(degrees) / n, float(max(degrees)), 1.0 if native else 0.0


@dataclass(frozen=True)
class StrategyTree:
    """A decision tree stored as flat arrays: node ``i`` sends ``x`` left when
    ``x[feature[i]] <= threshold[i]``; a leaf (``left[i] == -1``) picks ``strategies[label[i]]``.
    """

    strategies: list[Strategy]
    left: list[int]
    right: list[int]
    feature: list[int]
    threshold: list[float]
    label: list[int]

    def predict(self, x: list[float]) -> Strategy:
        node = 0
        while self.left[node] != -1:
            go_left = x[self.feature[node]] <= self.threshold[node]
            node = self.left[node] if go_left else self.right[node]
        return self.strategies[self.label[node]]


@cache
def _model() -> StrategyTree:
    text = resources.files("synq_jupyter.quantum").joinpath(MODEL_FILE).read_text("utf-8")
    return load_model(json.loads(text))


def load_model(data: dict[str, Any]) -> StrategyTree:
    """Builds the model from its JSON form (see ``bench/train_transpile_strategy.py``).

    Raises:
        SynqInputError: The model was trained on other features than ``FEATURES``.
    """
    if tuple(data["features"]) != FEATURES:
        raise SynqInputError("the stored strategy model uses other features", field="model")
    tree = data["tree"]
    return StrategyTree(
        strategies=[Strategy(**s) for s in data["strategies"]],
        left=[int(i) for i in tree["left"]],
        right=[int(i) for i in tree["right"]],
        feature=[int(i) for i in tree["feature"]],
        threshold=[float(t) for t in tree["threshold"]],
        label=[int(i) for i in tree["label"]],
    )


def _rank(result: TranspileResult) -> tuple[int, float, int]:
    report = result.report
    return report.two_qubit_count, -report.estimated_success_probability, report.depth
