"""Transpiling for every catalogue target: native gates, connectivity, equivalence, reports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate
from qiskit.transpiler import PassManager
from qiskit.transpiler.passes import CheckMap, GatesInBasis

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum import get_target, target_names, transpile_circuit
from synq_jupyter.quantum.transpile import check_fits
from tests.quantum.equivalence import equivalent_up_to_layout


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    return qc


def qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    # Prepare a non-trivial input so the QFT's output is not a uniform superposition.
    for i in range(n):
        qc.ry(0.3 + 0.2 * i, i)
    qc.append(QFTGate(n), range(n))
    return qc


CIRCUITS = {"ghz5": lambda: ghz(5), "qft6": lambda: qft(6)}


def native_and_mapped(circuit: QuantumCircuit, target_name: str) -> tuple[bool, bool]:
    """Runs Qiskit's own checks: only target instructions, only coupled qubit pairs."""
    target = get_target(target_name).qiskit_target
    manager = PassManager([GatesInBasis(target=target), CheckMap(target)])
    manager.run(circuit)
    props = manager.property_set
    return bool(props["all_gates_in_basis"]), bool(props["is_swap_mapped"])


@pytest.mark.parametrize("circuit_name", list(CIRCUITS))
@pytest.mark.parametrize("target_name", target_names())
def test_transpiled_circuit_is_native_mapped_and_equivalent(target_name, circuit_name):
    original = CIRCUITS[circuit_name]()
    result = transpile_circuit(original, target_name, optimization_level=2, seed=1234)

    all_native, mapped = native_and_mapped(result.circuit, target_name)
    assert all_native, result.report.ops
    assert mapped
    assert equivalent_up_to_layout(original, result.circuit)


@pytest.mark.parametrize("target_name", ["ibm_torino", "rigetti_ankaa_3", "ionq_aria_1"])
def test_transpile_keeps_measurements_native(target_name):
    circuit = ghz(5)
    circuit.measure_all()
    result = transpile_circuit(circuit, target_name, seed=3)
    assert native_and_mapped(result.circuit, target_name) == (True, True)
    assert result.report.ops["measure"] == 5


def test_report_counts_match_the_transpiled_circuit():
    result = transpile_circuit(qft(6), "ibm_torino", optimization_level=2, seed=5)
    report = result.report
    assert report.ops == {k: v for k, v in result.circuit.count_ops().items()}
    assert report.two_qubit_count == result.circuit.count_ops().get("cz", 0)
    assert report.depth == result.circuit.depth()
    assert 0 < report.two_qubit_depth <= report.depth
    assert sorted(report.layout) == sorted(set(report.layout))
    assert len(report.layout) == 6
    assert 0.0 < report.estimated_success_probability < 1.0
    assert report.estimated_duration_s is not None
    assert report.estimated_duration_s > 0
    assert report.seed == 5
    assert report.versions["qiskit"]


def test_success_probability_drops_with_more_two_qubit_gates():
    small = transpile_circuit(ghz(3), "rigetti_ankaa_3", seed=1).report
    large = transpile_circuit(qft(6), "rigetti_ankaa_3", seed=1).report
    assert large.two_qubit_count > small.two_qubit_count
    assert large.estimated_success_probability < small.estimated_success_probability


def test_same_input_and_seed_give_the_same_fingerprint():
    first = transpile_circuit(qft(6), "ibm_brisbane", seed=42).report
    second = transpile_circuit(qft(6), "ibm_brisbane", seed=42).report
    assert first.fingerprint == second.fingerprint
    assert len(first.fingerprint) == 64


def test_fingerprint_is_the_same_in_a_fresh_process():
    here = transpile_circuit(qft(6), "ibm_torino", seed=42).report.fingerprint
    script = (
        "import json\n"
        "from tests.quantum.test_transpile import qft\n"
        "from synq_jupyter.quantum import transpile_circuit\n"
        "print(transpile_circuit(qft(6), 'ibm_torino', seed=42).report.fingerprint)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == here


def test_different_output_gives_a_different_fingerprint():
    one = transpile_circuit(qft(6), "ibm_torino", seed=42, optimization_level=0).report
    two = transpile_circuit(qft(6), "ibm_torino", seed=42, optimization_level=2).report
    assert one.ops != two.ops
    assert one.fingerprint != two.fingerprint


def test_missing_seed_is_drawn_and_reported():
    report = transpile_circuit(ghz(3), "ibm_torino").report
    again = transpile_circuit(ghz(3), "ibm_torino", seed=report.seed).report
    assert again.fingerprint == report.fingerprint


def test_ionq_handles_circuits_wider_than_the_offline_fallback():
    # qiskit-ionq falls back to 4 qubits when it cannot ask IonQ's cloud for the width.
    wide = ghz(20)
    result = transpile_circuit(wide, "ionq_aria_1", seed=2)
    assert native_and_mapped(result.circuit, "ionq_aria_1") == (True, True)
    assert result.report.two_qubit_count == 19
    assert set(result.report.ops) <= {"gpi", "gpi2", "ms"}


def test_circuit_wider_than_the_device_is_refused_with_its_width():
    with pytest.raises(TargetError, match="26 qubits but ionq_aria_1 has 25"):
        transpile_circuit(ghz(26), "ionq_aria_1", seed=2)


def test_feedback_is_refused_on_targets_without_control_flow():
    qc = QuantumCircuit(2, 1)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    with pytest.raises(TargetError, match="mid-circuit measurement feedback"):
        transpile_circuit(qc, "rigetti_ankaa_3", seed=1)
    assert transpile_circuit(qc, "ibm_torino", seed=1).report.ops["if_else"] == 1


@pytest.mark.parametrize(
    ("target", "refused"),
    [("rigetti_ankaa_3", "cannot run for loops, while loops;"), ("ibm_torino", "run while loops;")],
)
def test_loops_are_refused_by_name_where_the_target_lacks_them(target, refused):
    """A for loop on IonQ or Rigetti was refused as "measurement feedback (if/else)"; a while
    loop on an IBM target was accepted, then failed deep in the transpiler."""
    qc = QuantumCircuit(1, 1)
    with qc.for_loop(range(2)):
        qc.x(0)
    qc.measure(0, 0)
    with qc.while_loop((qc.clbits[0], 1)):
        qc.x(0)
        qc.measure(0, 0)
    with pytest.raises(TargetError, match=refused):
        transpile_circuit(qc, target, seed=1)
    check_fits(qc, get_target("aer_simulator"))


def test_unknown_target_lists_the_known_ones():
    with pytest.raises(TargetError, match="ibm_torino") as info:
        transpile_circuit(ghz(2), "ibm_nowhere")
    assert info.value.field == "target"


@pytest.mark.parametrize("level", [-1, 4, "2", True])
def test_bad_level_names_the_field(level):
    with pytest.raises(SynqInputError) as info:
        transpile_circuit(ghz(2), "aer_simulator", optimization_level=level)
    assert info.value.field == "optimization_level"


def test_progress_is_reported_from_start_to_end():
    seen: list[float] = []
    transpile_circuit(ghz(3), "ibm_torino", seed=1, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0
    assert seen[-1] == 1.0
    assert seen == sorted(seen)


def test_report_is_json_serialisable():
    report = transpile_circuit(ghz(3), "ionq_forte_1", seed=1).report
    assert json.loads(json.dumps(report.to_dict()))["target"] == "ionq_forte_1"


def test_checking_for_opaque_gates_builds_no_definition(monkeypatch):
    """Building a large unitary's definition is a synthesis of seconds, and Aer needs none."""
    from qiskit.circuit.library import UnitaryGate
    from qiskit.quantum_info import random_unitary

    from synq_jupyter.quantum.transpile import check_defined

    monkeypatch.setattr(UnitaryGate, "_define", lambda self: pytest.fail("a definition was built"))
    qc = QuantumCircuit(6)
    qc.append(UnitaryGate(random_unitary(64, seed=1)), range(6))
    check_defined(qc)
