"""OpenQASM may declare no more qubits and bits than SynQ, refused at the line, unallocated."""

from __future__ import annotations

import pytest

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum import load_circuit
from synq_jupyter.quantum.synq_lang.lowering import MAX_QUBITS

QASM2 = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'
QASM3 = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n'


@pytest.fixture
def nothing_is_built(monkeypatch):
    """Makes Qiskit's readers fail the test if called: a refused program must not reach
    them (a 1e8-qubit register would take gigabytes), and a regression stays cheap."""
    import qiskit.qasm2
    import qiskit_qasm3_import

    def build(*args, **kwargs):
        raise AssertionError("the program reached Qiskit and was allocated")

    monkeypatch.setattr(qiskit.qasm2, "loads", build)
    monkeypatch.setattr(qiskit_qasm3_import, "convert", build)


@pytest.mark.usefixtures("nothing_is_built")
@pytest.mark.parametrize(
    ("source", "line", "column", "message"),
    [
        (QASM3 + "qubit[100000000] q;", 3, 1, "q declares 100000000 qubits"),
        (QASM2 + "qreg q[100000000];", 3, 1, "q declares 100000000 qubits"),
        (QASM3 + "qubit[1000000] q;", 3, 1, "q declares 1000000 qubits"),
        (QASM3 + "qreg q[100000000];", 3, 1, "q declares 100000000 qubits"),
        (QASM3 + "qubit[10000 * 10000] q;", 3, 1, "q declares 100000000 qubits"),
        (QASM3 + f"qubit[{10**40}] q;", 3, 1, "q declares far too many qubits"),
        (QASM2 + f"qreg q[{10**40}];", 3, 1, "q declares far too many qubits"),
        (QASM3 + "qubit[2] a;\nqubit[9999] b;", 4, 1, "b brings the program to 10001 qubits"),
        (QASM2 + "qreg a[2];\n\n  qreg b [ 9999 ] ;", 5, 3, "b brings the program to 10001 qubits"),
        (QASM3 + "qubit[10000] q;\nqubit extra;", 4, 1, "extra brings the program to 10001 qubits"),
        (QASM3 + "bit[100000000] c;", 3, 1, "c declares 100000000 classical bits"),
        (QASM3 + "creg c[100000000];", 3, 1, "c declares 100000000 classical bits"),
        (QASM2 + "qreg q[1];\ncreg c[100000000];", 4, 1, "c declares 100000000 classical bits"),
        (QASM3 + "bit c;\nbit[10000] d;", 4, 1, "d brings the program to 10001 classical bits"),
    ],
)
def test_declarations_past_the_limit_are_refused_before_anything_is_built(
    source, line, column, message
):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert (info.value.line, info.value.column) == (line, column)
    assert message in info.value.message
    assert f"at most {MAX_QUBITS} " in info.value.message
    assert info.value.field == "source"


@pytest.mark.usefixtures("nothing_is_built")
@pytest.mark.parametrize(
    ("source", "line", "column", "message"),
    [
        (QASM3 + "h $123456789;", 3, 3, f"a program may use at most {MAX_QUBITS} qubits"),
        (QASM3 + f"h ${MAX_QUBITS};", 3, 3, f"qubits $0 to ${MAX_QUBITS}"),
        (
            QASM3 + "qubit[2] q;\nctrl(100000000) @ x q[0], q[1];",
            4,
            1,
            f"ctrl asks for more control qubits than the {MAX_QUBITS}",
        ),
        (QASM3 + "qubit[-1] q;", 3, 1, "q cannot have a negative size (-1)"),
        (QASM3 + "qubit[4/0] q;", 3, 6, "this size divides by zero"),
        (
            QASM3 + "qubit[3] q;\nfor int i in [0:2] { h q[i]; }",
            4,
            24,
            "q[i]: Qiskit's OpenQASM 3 importer cannot index a register with the loop variable i",
        ),
        (
            QASM3 + "qubit[3] q;\nbit[3] c;\nfor int k in [0:1] {\n  c[0] = measure q[k + 1];\n}",
            6,
            18,
            "q[k]",
        ),
    ],
)
def test_what_qiskit_would_allocate_or_crash_on_is_refused(source, line, column, message):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert (info.value.line, info.value.column) == (line, column)
    assert message in info.value.message


@pytest.mark.parametrize(
    "source",
    [
        QASM3 + f"qubit[{MAX_QUBITS - 1}] q;\nqubit extra;\nbit[{MAX_QUBITS}] c;",
        QASM2 + f"qreg q[{MAX_QUBITS}];\ncreg c[{MAX_QUBITS}];",
        QASM3 + f"h ${MAX_QUBITS - 1};",
    ],
)
def test_the_limit_itself_is_allowed(source):
    assert load_circuit(source).num_qubits == MAX_QUBITS


@pytest.mark.parametrize(
    "source",
    [
        QASM2 + "qreg q[1];\n// qreg big[100000000];\nh q[0];",
        QASM2 + "qreg q[1];  // was: qreg big[100000000];\nh q[0];",
    ],
)
def test_declarations_in_comments_do_not_count(source):
    assert load_circuit(source).num_qubits == 1


def test_synq_refuses_at_the_same_limit():
    with pytest.raises(SynqSyntaxError, match=f"at most {MAX_QUBITS} qubits"):
        load_circuit(f"qubit q[{MAX_QUBITS + 1}]\n")


def test_a_loop_variable_used_as_an_angle_still_loads():
    circuit = load_circuit(QASM3 + "qubit[1] q;\nfor int i in [0:2] { rx(i * 0.1) q[0]; }")
    assert circuit.count_ops() == {"for_loop": 1}


def test_a_type_error_inside_the_importer_is_a_syntax_error(monkeypatch):
    """What the checks do not know the importer refuses with a bare TypeError: a message,
    not a crash (a traceback in the kernel, a 500 from the server)."""
    import qiskit_qasm3_import

    def convert(program):
        raise TypeError("index must be int, slice or list")

    monkeypatch.setattr(qiskit_qasm3_import, "convert", convert)
    with pytest.raises(SynqSyntaxError, match="index must be int, slice or list"):
        load_circuit(QASM3 + "qubit[1] q;\nh q[0];")


@pytest.mark.parametrize(
    "header", [QASM2 + "qreg q[1];\n", QASM3 + "qubit[1] q;\n", "qubit q[1]\n"]
)
def test_a_byte_order_mark_before_the_program_is_not_part_of_it(header):
    """OpenQASM 3 refused it: "line 1, column 1: token recognition error at: '\ufeff'"."""
    assert load_circuit("\ufeff" + header).num_qubits == 1
