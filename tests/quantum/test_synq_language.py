"""The SynQ language front end: programs compile to OpenQASM 3 that does what they say."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from math import pi
from pathlib import Path

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm3, transpile
from qiskit.circuit import Clbit
from qiskit.quantum_info import Operator
from qiskit_aer import AerSimulator

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum import load_circuit
from synq_jupyter.quantum.synq_lang import (
    SynqProgram,
    SynqWarning,
    compile_synq,
    compile_synq_circuit,
)

Builder = Callable[[], QuantumCircuit]


def load(source: str) -> QuantumCircuit:
    """Compile SynQ into a circuit the way the platform does."""
    return load_circuit(source, "synq")


def circuit(*sizes: tuple[str, int], bits: tuple[str, ...] = ()) -> QuantumCircuit:
    """An empty circuit with the named quantum registers and one-bit classical registers."""
    registers = [QuantumRegister(size, name) for name, size in sizes]
    return QuantumCircuit(*registers, *(ClassicalRegister(1, bit) for bit in bits))


# Hand-built gates, deliberately written differently from what the compiler emits.


def hadamard(qc: QuantumCircuit, qubit: int) -> None:
    qc.ry(pi / 2, qubit)
    qc.x(qubit)


def cnot(qc: QuantumCircuit, control: int, target: int) -> None:
    hadamard(qc, target)
    qc.cz(control, target)
    hadamard(qc, target)


# ---- exact mixed states for programs with measurement and feedback ----------------------


def _condition_bit(condition: tuple[Clbit | ClassicalRegister, int]) -> tuple[Clbit, int]:
    target, value = condition
    if isinstance(target, Clbit):
        return target, int(value)
    assert target.size == 1, f"unsupported condition {condition!r}"
    return target[0], int(value)


def _block_gate(block: QuantumCircuit) -> QuantumCircuit:
    body = QuantumCircuit(block.num_qubits)
    for inst in block.data:
        body.append(inst.operation, [block.find_bit(q).index for q in inst.qubits])
    return body


def deferred(qc: QuantumCircuit) -> QuantumCircuit:
    """The same mixed state on the original qubits, with no measurement left.

    Each measurement becomes a CX onto a fresh ancilla (its classical bit) and each
    ``if (bit == v)`` a gate controlled by that ancilla; tracing the ancillas out gives
    exactly the outcome-averaged state (the deferred-measurement principle). Aer's own
    average over shots of a measuring circuit is sampled, hence not exact.
    """
    n = qc.num_qubits
    ancilla = {bit: n + i for i, bit in enumerate(qc.clbits)}
    out = QuantumCircuit(n + len(ancilla))
    for inst in qc.data:
        op = inst.operation
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        if op.name == "measure":
            out.cx(qubits[0], ancilla[inst.clbits[0]])
        elif op.name == "if_else":
            assert len(op.blocks) == 1 or op.blocks[1] is None, "no else blocks expected"
            bit, value = _condition_bit(op.condition)
            gate = _block_gate(op.blocks[0]).to_gate().control(1, ctrl_state=value)
            out.append(gate, [ancilla[bit], *qubits])
        else:
            out.append(op, qubits)
    return out


def final_density_matrix(qc: QuantumCircuit) -> np.ndarray:
    """The exact final density matrix of ``qc`` over its own qubits, computed by Aer."""
    coherent = deferred(qc)
    coherent.save_density_matrix(qubits=list(range(qc.num_qubits)))
    simulator = AerSimulator(method="density_matrix")
    result = simulator.run(transpile(coherent, simulator), shots=1).result()
    return np.asarray(result.data(0)["density_matrix"])


# ---- valid programs without measurement: unitary equivalence ----------------------------


def _h_default() -> QuantumCircuit:
    qc = circuit(("q", 1))
    hadamard(qc, 0)
    return qc


def _paulis() -> QuantumCircuit:
    qc = circuit(("q", 3))
    qc.rx(pi, 0)
    qc.ry(pi, 1)
    qc.p(pi, 2)
    hadamard(qc, 2)
    return qc


def _paulis_default() -> QuantumCircuit:
    qc = circuit(("q", 1))
    hadamard(qc, 0)
    qc.rx(pi, 0)
    qc.ry(pi / 2, 0)
    qc.ry(pi, 0)
    qc.rz(pi, 0)
    return qc


def _cx() -> QuantumCircuit:
    qc = circuit(("q", 2))
    hadamard(qc, 0)
    cnot(qc, 0, 1)
    return qc


def _cx_reversed() -> QuantumCircuit:
    qc = circuit(("q", 2))
    hadamard(qc, 0)
    cnot(qc, 1, 0)
    return qc


def _bell_default() -> QuantumCircuit:
    qc = circuit(("q", 2))
    hadamard(qc, 0)
    cnot(qc, 0, 1)
    return qc


def _bell_explicit() -> QuantumCircuit:
    qc = circuit(("q", 3))
    hadamard(qc, 2)
    cnot(qc, 2, 0)
    return qc


def _rotations_pi() -> QuantumCircuit:
    qc = circuit(("q", 1))
    qc.r(pi, 0, 0)
    qc.r(pi / 2, pi / 2, 0)
    qc.p(pi / 4, 0)
    qc.u(0, 0, pi / 8, 0)
    return qc


def _angles_decimal_negative() -> QuantumCircuit:
    qc = circuit(("q", 1))
    qc.r(0.25, 0, 0)
    qc.r(-0.5, pi / 2, 0)
    qc.p(-pi / 3, 0)
    qc.r(1e-3, 0, 0)
    return qc


def _angles_multiples() -> QuantumCircuit:
    qc = circuit(("q", 1))
    hadamard(qc, 0)
    qc.r(3 * pi / 4, 0, 0)
    qc.r(-2 * pi / 5, pi / 2, 0)
    qc.z(0)
    qc.p(1.5 * pi, 0)
    return qc


def _two_registers() -> QuantumCircuit:
    qc = circuit(("a", 1), ("b", 2))
    qc.rx(pi, 0)
    cnot(qc, 0, 2)
    hadamard(qc, 1)
    qc.p(pi / 2, 1)
    return qc


def _let_true() -> QuantumCircuit:
    qc = circuit(("q", 1))
    hadamard(qc, 0)
    qc.rx(pi, 0)
    qc.rz(pi / 2, 0)
    return qc


def _let_false() -> QuantumCircuit:
    qc = circuit(("q", 1))
    hadamard(qc, 0)
    return qc


def _fn_one_line() -> QuantumCircuit:
    qc = circuit(("q", 2))
    hadamard(qc, 0)
    qc.rx(pi, 1)
    return qc


def _fn_multi_line() -> QuantumCircuit:
    qc = circuit(("q", 1))
    hadamard(qc, 0)
    qc.ry(pi, 0)
    return qc


def _kernel_one_line() -> QuantumCircuit:
    qc = circuit(("q", 2))
    qc.p(pi / 2, 1)
    hadamard(qc, 1)
    qc.p(-pi / 4, 0)
    hadamard(qc, 0)
    return qc


def _kernel_multi_line() -> QuantumCircuit:
    qc = circuit(("q", 2))
    hadamard(qc, 1)
    cnot(qc, 1, 0)
    return qc


def _kernel_nested() -> QuantumCircuit:
    qc = circuit(("q", 2))
    qc.r(0.3, pi / 2, 0)
    cnot(qc, 0, 1)
    qc.r(pi / 4, pi / 2, 1)
    qc.r(0.3, pi / 2, 1)
    cnot(qc, 1, 0)
    qc.r(pi / 4, pi / 2, 0)
    return qc


def _experimental() -> QuantumCircuit:
    qc = circuit(("q", 2))
    hadamard(qc, 1)
    return qc


def _comments() -> QuantumCircuit:
    qc = circuit(("q", 2))
    qc.rx(pi, 1)
    hadamard(qc, 0)
    cnot(qc, 0, 1)
    return qc


UNITARY_PROGRAMS = [
    pytest.param("qubit q[1]\nquantum h", _h_default, id="h-default-operand"),
    pytest.param(
        "qubit q[3]\nquantum x q[0]\nquantum y q[1]\nquantum z q[2]\nquantum h q[2]",
        _paulis,
        id="x-y-z-explicit",
    ),
    pytest.param(
        "qubit q[1]\nquantum h\nquantum x\nquantum ry(pi/2) q[0]\nquantum y\nquantum z",
        _paulis_default,
        id="x-y-z-default-operand",
    ),
    pytest.param("qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]", _cx, id="cx"),
    pytest.param(
        "qubit q[2]\nquantum h q[0]\nquantum cx q[1], q[0]", _cx_reversed, id="cx-reversed"
    ),
    pytest.param("qubit q[2]\nquantum bell_pair", _bell_default, id="bell-pair-default"),
    pytest.param(
        "qubit q[3]\nquantum bell_pair q[2], q[0]", _bell_explicit, id="bell-pair-explicit"
    ),
    pytest.param(
        "qubit q[1]\nquantum rx(pi) q[0]\nquantum ry(pi/2) q[0]\n"
        "quantum rz(pi/4) q[0]\nquantum p(pi/8) q[0]",
        _rotations_pi,
        id="rotations-pi-and-pi-over-n",
    ),
    pytest.param(
        "qubit q[1]\nquantum rx(0.25) q[0]\nquantum ry(-0.5) q[0]\n"
        "quantum rz(-pi/3) q[0]\nquantum rx(.001) q[0]",
        _angles_decimal_negative,
        id="angles-decimal-and-negative",
    ),
    pytest.param(
        "qubit q[1]\nquantum h\nquantum rx(3*pi/4) q[0]\nquantum ry(-2*pi/5) q[0]\n"
        "quantum p(3*pi) q[0]\nquantum p(1.5*pi) q[0]",
        _angles_multiples,
        id="angles-n-times-pi",
    ),
    pytest.param(
        "qubit a[1]\nqubit b[2]\nquantum x a[0]\nquantum cx a[0], b[1]\n"
        "quantum h b[0]\nquantum p(pi/2) b[0]",
        _two_registers,
        id="two-registers",
    ),
    pytest.param(
        "qubit q[1]\nquantum h\nlet flag = true\nlet other = not flag\n"
        "if flag and not other then quantum x q[0]\n"
        "if (other or flag) and true then quantum rz(pi/2) q[0]",
        _let_true,
        id="let-folds-to-true",
    ),
    pytest.param(
        "qubit q[1]\nquantum h\nlet flag = false\nlet other = not flag\n"
        "if flag and other then quantum x q[0]\n"
        "if not (other or flag) then quantum z q[0]\nif false then quantum y",
        _let_false,
        id="let-folds-to-false",
    ),
    pytest.param(
        "qubit q[2]\nquantum h q[0]\n"
        "fn xor(a, b) { let both = a and b; return (a or b) and not both }\n"
        "let on = xor(true, false)\nif on then quantum x q[1]\n"
        "if xor(true, true) then quantum x q[0]",
        _fn_one_line,
        id="fn-one-line",
    ),
    pytest.param(
        "qubit q[1]\nquantum h\nfn pick(a, b) {\n  let first = a\n  return first or b\n}\n"
        "fn never() { return pick(false, false) }\n"
        "if never() then quantum x q[0]\nif pick(false, true) then quantum y q[0]",
        _fn_multi_line,
        id="fn-multi-line-and-nested-call",
    ),
    pytest.param(
        "qubit q[2]\n"
        "kernel rot(angle theta, qubit t) { quantum rz(theta) t; quantum h t }\n"
        "call rot(pi/2, q[1])\ncall rot(-pi/4, q[0])",
        _kernel_one_line,
        id="kernel-one-line",
    ),
    pytest.param(
        "qubit q[2]\nkernel entangle(qubit a, qubit b) {\n  quantum h a\n"
        "  quantum cx a, b\n}\ncall entangle(q[1], q[0])",
        _kernel_multi_line,
        id="kernel-multi-line",
    ),
    pytest.param(
        "qubit q[2]\nkernel turn(angle t, qubit u) { quantum ry(t) u }\n"
        "kernel step(angle phi, qubit c, qubit d) {\n  call turn(phi, c)\n"
        "  quantum cx c, d\n  call turn(pi/4, d)\n}\n"
        "call step(0.3, q[0], q[1])\ncall step(0.3, q[1], q[0])",
        _kernel_nested,
        id="kernel-nested-call",
    ),
    pytest.param(
        '#[experimental(feature = "kernels")]\n#[experimental(feature = "teleportation")]\n'
        "qubit q[2]\nquantum h q[1]",
        _experimental,
        id="experimental-known-and-unknown",
    ),
    pytest.param(
        "// a program with comments\n\nqubit q[2];  // two qubits\n"
        "quantum x q[1];\n   // an indented comment\nquantum bell_pair ;\n\n",
        _comments,
        id="comments-semicolons-blank-lines",
    ),
]


@pytest.mark.parametrize(("source", "build"), UNITARY_PROGRAMS)
def test_program_has_the_unitary_of_the_hand_built_circuit(source: str, build: Builder) -> None:
    assert Operator(load(source)).equiv(Operator(build()))


# ---- valid programs with measurement: exact density matrices ----------------------------


def _measure() -> QuantumCircuit:
    qc = circuit(("q", 2), bits=("r",))
    hadamard(qc, 0)
    qc.measure(0, 0)
    cnot(qc, 0, 1)
    return qc


def _feedback() -> QuantumCircuit:
    qc = circuit(("q", 2), bits=("r",))
    hadamard(qc, 0)
    qc.measure(0, 0)
    with qc.if_test((qc.cregs[0], 1)):
        qc.rx(pi, 1)
    return qc


def _feedback_not() -> QuantumCircuit:
    qc = circuit(("q", 2), bits=("r",))
    hadamard(qc, 0)
    qc.measure(0, 0)
    with qc.if_test((qc.cregs[0], 0)):
        qc.rx(pi, 1)
    return qc


def _feedback_folded() -> QuantumCircuit:
    qc = circuit(("q", 3), bits=("r", "m"))
    qc.ry(0.8, 0)
    qc.ry(2.1, 1)
    qc.measure(0, 0)
    qc.measure(1, 1)
    with qc.if_test((qc.cregs[0], 1)):
        qc.rx(pi, 2)
    with qc.if_test((qc.cregs[1], 0)):
        hadamard(qc, 2)
        cnot(qc, 2, 0)
    return qc


def _teleport() -> QuantumCircuit:
    # After teleportation q[0] and q[1] hold uniformly random, independent bits and q[2]
    # holds the state that q[0] started in.
    qc = circuit(("q", 3), bits=("m0", "m1"))
    hadamard(qc, 0)
    qc.measure(0, 0)
    hadamard(qc, 1)
    qc.measure(1, 1)
    qc.ry(0.7, 2)
    return qc


MEASURED_PROGRAMS = [
    pytest.param(
        "qubit q[2]\nquantum h q[0]\nmeasure q[0] as r\nquantum cx q[0], q[1]",
        _measure,
        id="measure",
    ),
    pytest.param(
        "qubit q[2]\nquantum h\nmeasure q[0] as r\nif r then quantum x q[1]",
        _feedback,
        id="feedback",
    ),
    pytest.param(
        "qubit q[2]\nquantum h\nmeasure q[0] as r\nif not r then quantum x q[1]",
        _feedback_not,
        id="feedback-not",
    ),
    pytest.param(
        '#[experimental(feature = "measurement_feedback")]\nqubit q[3]\nlet on = true\n'
        "quantum ry(0.8) q[0]\nquantum ry(2.1) q[1]\nmeasure q[0] as r\nmeasure q[1] as m\n"
        "if r and on then quantum x q[2]\n"
        "if not (m or not on) then quantum bell_pair q[2], q[0]",
        _feedback_folded,
        id="feedback-folded-with-let-and-bell-pair",
    ),
    pytest.param(
        "qubit q[3]\nquantum ry(0.7) q[0]\nquantum bell_pair q[1], q[2]\n"
        "quantum cx q[0], q[1]\nquantum h q[0]\nmeasure q[1] as m1\nmeasure q[0] as m0\n"
        "if m1 then quantum x q[2]\nif m0 then quantum z q[2]",
        _teleport,
        id="teleportation",
    ),
]


@pytest.mark.parametrize(("source", "build"), MEASURED_PROGRAMS)
def test_program_has_the_mixed_state_of_the_hand_built_circuit(source: str, build: Builder) -> None:
    actual = final_density_matrix(load(source))
    expected = final_density_matrix(build())
    np.testing.assert_allclose(actual, expected, atol=1e-9)


# ---- the comparisons can fail -------------------------------------------------------------


def test_unitary_comparison_rejects_a_wrong_angle() -> None:
    wrong = circuit(("q", 1))
    wrong.rz(pi / 4, 0)
    assert not Operator(load("qubit q[1]\nquantum rz(pi/2) q[0]")).equiv(Operator(wrong))


def test_unitary_comparison_rejects_swapped_registers() -> None:
    assert not Operator(load("qubit a[1]\nqubit b[1]\nquantum x a[0]")).equiv(
        Operator(load("qubit a[1]\nqubit b[1]\nquantum x b[0]"))
    )


def test_mixed_state_comparison_tells_if_from_if_not() -> None:
    with_if = final_density_matrix(load(str(MEASURED_PROGRAMS[1].values[0])))
    assert not np.allclose(with_if, final_density_matrix(_feedback_not()))


def test_mixed_state_of_a_measurement_is_not_the_pure_state() -> None:
    measured = final_density_matrix(load("qubit q[1]\nquantum h\nmeasure q[0] as r"))
    np.testing.assert_allclose(measured, np.diag([0.5, 0.5]), atol=1e-12)


# ---- shape of the output ------------------------------------------------------------------


def test_measured_name_becomes_a_one_bit_classical_register() -> None:
    qc = load("qubit q[2]\nmeasure q[1] as r\nmeasure q[0] as result")
    assert [(creg.name, creg.size) for creg in qc.cregs] == [("r", 1), ("result", 1)]
    assert [qc.find_bit(inst.qubits[0]).index for inst in qc.data] == [1, 0]


def test_registers_keep_declaration_order() -> None:
    program = compile_synq("qubit z2[1]\nqubit a[3]\nqubit m[2]")
    assert [(reg.name, reg.size) for reg in qasm3.loads(program.qasm3).qregs] == [
        ("z2", 1),
        ("a", 3),
        ("m", 2),
    ]
    assert program.num_qubits == 6


def test_feedback_lowers_to_an_if_on_the_measured_bit() -> None:
    program = compile_synq("qubit q[2]\nmeasure q[0] as r\nif not r then quantum x q[1]")
    assert "if (!r[0]) {" in program.qasm3
    assert "bit[1] r;" in program.qasm3


def test_program_is_a_frozen_value() -> None:
    program = compile_synq("qubit q[1]\nquantum h")
    assert isinstance(program, SynqProgram)
    with pytest.raises(AttributeError):
        program.num_qubits = 3  # type: ignore[misc]


# ---- warnings -----------------------------------------------------------------------------


def test_unknown_experimental_feature_is_a_warning_not_an_error() -> None:
    program = compile_synq(
        'qubit q[1]\n#[experimental(feature = "kernels")]\n'
        '  #[experimental(feature = "time_travel")]\nquantum h'
    )
    assert len(program.warnings) == 1
    warning = program.warnings[0]
    assert isinstance(warning, SynqWarning)
    assert (warning.line, warning.column) == (3, 28)
    assert "unknown experimental feature 'time_travel'" in warning.message
    assert program.features == ("kernels",)
    assert Operator(qasm3.loads(program.qasm3)).equiv(Operator(_h_default()))


def test_known_experimental_features_give_no_warning() -> None:
    program = compile_synq(
        '#[experimental(feature = "measurement_feedback")]\n'
        '#[experimental(feature = "kernels")]\nqubit q[1]'
    )
    assert program.warnings == ()
    assert program.features == ("measurement_feedback", "kernels")


# ---- errors -------------------------------------------------------------------------------

MALFORMED_PROGRAMS = [
    pytest.param(
        "qubit q[1]\nif true quantum h q[0]",
        2,
        9,
        "unexpected 'quantum'; an if needs 'then' before its gate",
        id="if-without-then",
    ),
    pytest.param(
        "qubit q[1]\nquantum rz(2pi) q[0]",
        2,
        13,
        "unexpected name 'pi'; expected ')', '*', '/' or ','",
        id="number-then-name",
    ),
    pytest.param(
        "qubit q[2]\nquantum x q[\uff11]",
        2,
        13,
        "unexpected character '\uff11'",
        id="full-width-digit",
    ),
    pytest.param("qubit q[2]\nquantum hx q[0]", 2, 9, "unknown gate 'hx'", id="unknown-gate"),
    pytest.param(
        "qubit q[2]\nquantum cx q[0]", 2, 9, "cx needs exactly two qubits, got 1", id="cx-one-qubit"
    ),
    pytest.param(
        "qubit q[2]\nquantum cx q[1], q[1]", 2, 18, "q[1] is used twice", id="cx-same-qubit"
    ),
    pytest.param(
        "qubit q[2]\n\nquantum h q[5]",
        3,
        11,
        "q has 2 qubits; q[5] is out of range",
        id="index-out-of-range",
    ),
    pytest.param(
        "qubit q[1]\nlet a = true\nquantum rz(a) q[0]",
        3,
        12,
        "rz needs a literal angle",
        id="rz-without-literal-angle",
    ),
    pytest.param(
        "qubit q[1]\nquantum rz q[0]", 2, 9, "rz needs a literal angle", id="rz-without-angle"
    ),
    pytest.param(
        "qubit q[2]\nmeasure q[0] as r\nif r then quantum x q[1]\nif not r then quantum z q[1]",
        4,
        8,
        "r was already used by the if on line 3",
        id="measured-name-in-two-ifs",
    ),
    pytest.param(
        "qubit q[2]\nmeasure q[0] as r\nmeasure q[1] as r",
        3,
        17,
        "r is already measured on line 2",
        id="measure-into-a-name-twice",
    ),
    pytest.param(
        "qubit q[2]\nif r then quantum x q[1]\nmeasure q[0] as r",
        2,
        4,
        "r is used before it is measured",
        id="if-before-measure",
    ),
    pytest.param(
        "qubit q[2]\nmeasure q[0] as r\nmeasure q[1] as m\nif r or m then quantum x q[1]",
        4,
        4,
        "a runtime condition must be a single measured name",
        id="two-measured-names-in-one-if",
    ),
    pytest.param("qubit q[1]\ncall flip(q[0])", 2, 6, "unknown kernel 'flip'", id="unknown-kernel"),
    pytest.param(
        "qubit q[2]\nkernel flip(qubit t) { quantum x t }\ncall flip(q[0], q[1])",
        3,
        6,
        "takes 1 argument, got 2",
        id="kernel-arity",
    ),
    pytest.param(
        "qubit q[2]\nkernel turn(angle a, qubit t) { quantum rz(a) t }\ncall turn(q[0], q[1])",
        3,
        11,
        "needs an angle, not the qubit q[0]",
        id="kernel-argument-type",
    ),
    pytest.param(
        "qubit q[1]\nkernel loop(qubit t) { call loop(t) }",
        2,
        29,
        "kernel loop cannot call itself",
        id="kernel-recursion",
    ),
    pytest.param(
        "qubit q[1]\nkernel spy(qubit t) {\n  measure t as r\n}",
        3,
        3,
        "kernels may not contain measure",
        id="measure-in-kernel",
    ),
    pytest.param(
        "qubit q[1]\nkernel flip(qubit t) {\n  quantum x t\n\nquantum h",
        2,
        22,
        "'{' is never closed",
        id="unterminated-brace",
    ),
    pytest.param("qubit q[1]\nquantum h q[0] $", 2, 16, "unexpected character '$'", id="garbage"),
    pytest.param("qubit q[1]\nqbit r[2]", 2, 1, "unknown statement 'qbit'", id="unknown-statement"),
    pytest.param(
        "qubit q[2]\nquantum h q[0]; quantum x q[1]",
        2,
        17,
        "expected end of line",
        id="two-statements-on-a-line",
    ),
    pytest.param("quantum h", 1, 9, "no register q is declared", id="default-operand-without-q"),
    pytest.param(
        "quantum x a[0]\nqubit a[1]", 1, 11, "no register a is declared", id="use-before-declare"
    ),
    pytest.param(
        "let flag = true\nlet flag = false",
        2,
        5,
        "let flag is already defined on line 1",
        id="let-redefined",
    ),
    pytest.param(
        "fn both(a, b) { return a and b }\nlet x = both(true)",
        2,
        9,
        "fn both takes 2 arguments, got 1",
        id="fn-arity",
    ),
    pytest.param(
        'qubit q[1]\n#[experimental(feature = "kernels")',
        2,
        36,
        "expected ']'",
        id="malformed-attribute",
    ),
    pytest.param(
        "qubit q[1]\nquantum rz(pi/0) q[0]", 2, 12, "divides by zero", id="angle-divides-by-zero"
    ),
    pytest.param("qubit x[1]", 1, 7, "'x' is reserved in OpenQASM 3", id="register-named-x"),
    pytest.param("let if = true", 1, 5, "'if' is a keyword", id="keyword-as-name"),
]


@pytest.mark.parametrize(("source", "line", "column", "phrase"), MALFORMED_PROGRAMS)
def test_malformed_program_names_line_column_and_problem(
    source: str, line: int, column: int, phrase: str
) -> None:
    with pytest.raises(SynqSyntaxError) as caught:
        compile_synq(source)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert phrase in caught.value.message


def test_error_text_starts_with_the_position() -> None:
    with pytest.raises(SynqSyntaxError, match=r"^line 2, column 9: unknown gate 'hx'"):
        compile_synq("qubit q[1]\nquantum hx q[0]")


def test_deep_nesting_is_a_syntax_error() -> None:
    with pytest.raises(SynqSyntaxError, match="nests more than"):
        compile_synq("let x = " + "not " * 500 + "true")


def test_expanding_kernels_is_bounded() -> None:
    lines = ["qubit q[1]", "kernel k0(qubit t) { quantum x t }"]
    calls = "; ".join(["call k{}(t)"] * 10)
    lines += [f"kernel k{i}(qubit t) {{ {calls.format(*[i - 1] * 10)} }}" for i in range(1, 7)]
    with pytest.raises(SynqSyntaxError, match="more than 100000 gates"):
        compile_synq("\n".join(lines))


ALPHABET = [
    "qubit", "quantum", "measure", "as", "if", "then", "let", "fn", "kernel", "call", "return",
    "not", "and", "or", "true", "false", "q", "r", "h", "cx", "rz", "bell_pair", "pi", "theta",
    "angle", "[", "]", "(", ")", "{", "}", ",", ";", "=", "-", "*", "/", "0", "1", "2", "0.5",
    "\n", "#[", '"kernels"', "//", "@", "experimental", "feature",
]  # fmt: skip


def test_random_token_soup_only_ever_raises_synq_syntax_error() -> None:
    rng = random.Random(20240611)
    error_lines: list[int | None] = []
    for _ in range(400):
        source = " ".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 14)))
        try:
            program = compile_synq(source)
        except SynqSyntaxError as exc:
            error_lines.append(exc.line)
        else:
            qasm3.loads(program.qasm3)
    assert len(error_lines) > 300
    assert all(line is not None and line >= 1 for line in error_lines)


def _mutate(source: str, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        cut = rng.randrange(len(source))
        return source[:cut] + source[cut + 1 :]
    if kind == 1:
        lines = source.split("\n")
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
        return "\n".join(lines)
    words = re.split(r"(\W)", source)
    spot = rng.randrange(len(words))
    if kind == 2:
        words[spot] = rng.choice(ALPHABET)
    else:
        words.insert(spot, rng.choice(ALPHABET))
    return "".join(words)


def test_mutated_programs_compile_to_loadable_qasm_or_raise_synq_syntax_error() -> None:
    rng = random.Random(7)
    sources = [str(param.values[0]) for param in UNITARY_PROGRAMS + MEASURED_PROGRAMS]
    compiled = 0
    for _ in range(400):
        source = rng.choice(sources)
        for _ in range(rng.randint(1, 3)):
            source = _mutate(source, rng)
        try:
            program = compile_synq(source)
        except SynqSyntaxError:
            continue
        qasm3.loads(program.qasm3)
        compiled += 1
    assert 0 < compiled < 400


def test_the_direct_circuit_is_the_circuit_the_qasm_text_loads_to() -> None:
    # ``load_circuit`` builds SynQ straight into a circuit, skipping the OpenQASM 3 parse.
    rng = random.Random(11)
    sources = [str(param.values[0]) for param in UNITARY_PROGRAMS + MEASURED_PROGRAMS]
    compared = 0
    for source in sources + [_mutate(rng.choice(sources), rng) for _ in range(200)]:
        try:
            program = compile_synq(source)
        except SynqSyntaxError:
            continue
        direct, warnings = compile_synq_circuit(source)
        assert direct == qasm3.loads(program.qasm3), source
        assert warnings == program.warnings
        compared += 1
    assert compared > len(sources)


REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "synq-language.md"


def test_every_synq_example_in_the_reference_compiles() -> None:
    examples = re.findall(r"```synq\n(.*?)```", REFERENCE.read_text(encoding="utf-8"), re.S)
    assert len(examples) >= 10
    for example in examples:
        program = compile_synq(example)
        qasm3.loads(program.qasm3)
        assert program.warnings == ()
