"""Loading circuits: format detection and positioned errors for every format."""

from __future__ import annotations

import pytest

from synq_jupyter.errors import SynqInputError, SynqSyntaxError
from synq_jupyter.quantum import detect_format, load_circuit, parse_circuit

QASM2 = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'
QASM3 = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[0];\ncx q[0], q[1];\n'
SYNQ = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (QASM2, "qasm2"),
        (QASM3, "qasm3"),
        (SYNQ, "synq"),
        ("// comment\nqreg q[1];\nh q[0];\n", "qasm2"),
        ("qubit[1] q;\nh q[0];\n", "qasm3"),
    ],
)
def test_format_is_detected(source, expected):
    assert detect_format(source) == expected


@pytest.mark.parametrize("source", [QASM2, QASM3, SYNQ])
def test_every_format_gives_the_same_bell_circuit(source):
    from qiskit.quantum_info import Operator

    assert Operator(load_circuit(source)).equiv(Operator(load_circuit(SYNQ)))


@pytest.mark.parametrize(
    ("source", "line", "column", "phrase"),
    [
        (QASM2.replace("cx q[0],q[1]", "foo q[0]"), 5, 1, "'foo' is not defined"),
        (QASM3.replace("cx q[0], q[1]", "foo q[0]"), 5, 1, "gate 'foo' is not defined"),
        (QASM3.replace("cx q[0], q[1]", "cx q[0] q[1]"), 5, 9, "unexpected 'q'"),
        (QASM3.replace("h q[0];", "h q[7];"), 4, 3, "q[7] is out of range"),
        (QASM3.replace("h q[0];", "h r[0];"), 4, 3, "Undefined symbol 'r'"),
        ("\n" + QASM3.replace("h q[0];", "   h r[0];"), 5, 6, "Undefined symbol 'r'"),
        (QASM3.rstrip().rstrip(";"), 5, 14, "missing ';' at the end of 'cx q[0], q[1]'"),
        # A forgotten ';' is named where it was forgotten, not on the next statement's line.
        (
            QASM2.replace("h q[0];", "h q[0]  // Hadamard\n"),
            4,
            7,
            "missing ';' at the end of 'h q[0]'",
        ),
        (QASM3.replace("h q[0];", "h q[0]\n"), 4, 7, "missing ';' at the end of 'h q[0]'"),
        (QASM2.rstrip().rstrip(";") + "\n\n// done\n", 5, 13, "missing ';' at the end of 'cx"),
        # ... and only then: on one line, or where a ';' would not help, the parser's words.
        (QASM2.replace("h q[0];", "h q[0] x q[1];"), 4, 8, "needed ';', but instead saw"),
        (QASM2.replace("h q[0];", "h q[0]\n)"), 5, 1, "needed ';', but instead saw )"),
        (QASM2.replace("cx q[0],q[1];", "cx q[0],"), 5, 1, "end of the argument list"),
    ],
)
def test_errors_name_line_and_column(source, line, column, phrase):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert (info.value.line, info.value.column) == (line, column)
    assert phrase in info.value.message
    assert info.value.field == "source"


@pytest.mark.parametrize(
    ("source", "format", "line", "words"),
    [
        ("OPENQASM 5.0;\nqreg q[1];\n", None, 1, "the header says OPENQASM 5, not qasm3"),
        (QASM2, "qasm3", 1, "send it as format qasm2"),
        ("// a Bell pair\n" + QASM3, "qasm2", 2, "send it as format qasm3"),
    ],
)
def test_a_header_of_another_version_is_named(source, format, line, words):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source, format)
    assert words in info.value.message
    assert info.value.line == line


def test_empty_source_is_refused():
    with pytest.raises(SynqSyntaxError, match="empty"):
        load_circuit("   \n")


def test_unknown_format_names_the_field():
    with pytest.raises(SynqInputError) as info:
        load_circuit(SYNQ, "quil")
    assert info.value.field == "format"


def test_synq_warnings_come_back_with_the_circuit():
    parsed = parse_circuit('#[experimental(feature = "warp")]\n' + SYNQ)
    assert parsed.format == "synq"
    assert len(parsed.warnings) == 1
    assert "warp" in parsed.warnings[0].message


QASM2_HEAD = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n'
QASM3_HEAD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[1] q;\n'


@pytest.mark.parametrize(
    ("source", "column", "phrase"),
    [
        (QASM3_HEAD + "rz(1/0) q[0];", 4, "this angle divides by zero"),
        (QASM3_HEAD + "rz(0/0) q[0];", 4, "this angle divides by zero"),
        (QASM3_HEAD + "rz(pi/0) q[0];", 4, "this angle divides by zero"),
        (QASM3_HEAD + "rz(1e999) q[0];", 4, "this angle is not a finite number"),
        (QASM3_HEAD + "U(1e308*10, 0, 0) q[0];", 3, "this angle is not a finite number"),
        (QASM3_HEAD + "gphase(1/0);", 8, "this angle divides by zero"),
        (QASM3_HEAD + "pow(1e999) @ x q[0];", 5, "this exponent is not a finite number"),
        (QASM3_HEAD + "delay[1e999ns] q[0];", 6, "this duration is not a finite number"),
        (QASM3_HEAD + "gate g(t) a { rz(t/0) a; }", 18, "this angle divides by zero"),
        (QASM2_HEAD + "rz(1e999) q[0];", 4, "1e999 is too large to be a finite number"),
        (QASM2_HEAD + "U(0, -1.5e400, 0) q[0];", 7, "1.5e400 is too large to be a finite number"),
        (QASM2_HEAD + "rz(1/0) q[0];", 5, "cannot divide by zero"),
        # Outside an angle too.
        (QASM3_HEAD + "h q[1/0];", 5, "this expression divides by zero"),
        (QASM3_HEAD + "bit[1] c; if (c == 2/(1-1)) x q[0];", 20, "this expression divides by zero"),
    ],
)
def test_values_that_are_not_finite_are_refused_at_their_line(source, column, phrase):
    # Before: ZeroDivisionError out of the importer (an HTTP 500), or a circuit holding inf.
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert (info.value.line, info.value.column) == (4, column)
    assert phrase in info.value.message
    assert info.value.field == "source"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (QASM2_HEAD + "rz(1e308*10) q[0];", "the angle of rz on q[0] is not a finite number (inf)"),
        (QASM2_HEAD + "rz(exp(1000)) q[0];", "the angle of rz on q[0] is not a finite number"),
        (QASM2_HEAD + "u3(0, 0, 0^-1) q[0];", "the angle of u3 on q[0] is not a finite number"),
        (
            QASM2_HEAD + "gate g(t) a { rz(t*1e308) a; }\ng(10) q[0];",
            "the angle of rz in the body of g on q[0] is not a finite number (inf)",
        ),
        (
            QASM3_HEAD + "gate g(t) a { rz(t*1e308) a; }\ng(10) q[0];",
            "a value in the program is not a finite number",
        ),
    ],
)
def test_angles_that_overflow_only_when_computed_name_the_gate(source, message):
    # Where arithmetic makes the angle infinite, the line is lost; the gate says where.
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert message in info.value.message
    assert info.value.field == "source"


@pytest.mark.parametrize(
    "source",
    [
        QASM3_HEAD + "rz(1e308) q[0];",
        QASM3_HEAD + "rz(-pi/2) q[0];",
        QASM3_HEAD + "gate g(t) a { rz(t/2) a; }\ng(1e300) q[0];",
        QASM2_HEAD + "rz(1e308) q[0];",
        QASM2_HEAD + "gate g(t) a { rz(t*2) a; }\ng(1e300) q[0];",
    ],
)
def test_large_finite_angles_still_load(source):
    circuit = load_circuit(source)
    assert circuit.num_qubits == 1


def test_a_lexer_error_is_said_once_not_also_on_stderr(capsys):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(QASM3 + 'int x = "s";\n')
    assert info.value.line == 6
    assert capsys.readouterr().err == ""


QASM3_TWO = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n'
QASM2_TWO = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2]; creg c[2];\n'


@pytest.mark.parametrize(
    ("head", "statement", "column", "message"),
    [
        # Before: Qiskit's text with no line ("The amount of qubit(1)/clbit(0) arguments
        # does not match the gate expectation (2).", "label expects a string or None").
        (QASM3_TWO, "cx q[0];", 1, "'cx' acts on 2 qubits, but is given 1"),
        (QASM3_TWO, "h q[0], q[1];", 1, "'h' acts on 1 qubit, but is given 2"),
        (QASM3_TWO, "ccx q[0], q[1];", 1, "'ccx' acts on 3 qubits, but is given 2"),
        (
            QASM3_TWO,
            "ctrl(2) @ x q[0], q[1];",
            1,
            "'x' with 2 controls acts on 3 qubits, but is given 2",
        ),
        (QASM3_TWO, "gphase(0.5) q[0];", 1, "'gphase' acts on no qubits, but is given 1"),
        (QASM3_TWO, "rx q[0];", 1, "'rx' takes 1 parameter, but is given 0"),
        (QASM3_TWO, "rx(0.1, 0.2) q[0];", 1, "'rx' takes 1 parameter, but is given 2"),
        (QASM3_TWO, "U(0, 0) q[0];", 1, "'U' takes 3 parameters, but is given 2"),
        (QASM3_TWO, "cx q[0], q[0];", 1, "a gate cannot act on the same qubit twice (q[0])"),
        (QASM3_TWO, "cx q, q[1];", 1, "a gate cannot act on the same qubit twice (q[1])"),
        (QASM3_TWO, "if (true) { cx q[0]; }", 13, "'cx' acts on 2 qubits, but is given 1"),
        (QASM3_TWO, "gate g a { cx a, a; }", 12, "a gate cannot act on the same qubit twice (a)"),
        # Before: Qiskit's "duplicate bit arguments", with no line. Broadcast over a slice
        # or a set, the second call is cx q[1], q[1].
        (QASM3_TWO, "cx q[0:1], q[1];", 1, "a gate cannot act on the same qubit twice (q[1])"),
        (
            QASM3_TWO,
            "cx q[{0, 1}], q[{1, 1}];",
            1,
            "a gate cannot act on the same qubit twice (q[1])",
        ),
        (QASM3_TWO, "cx q, q[0:1];", 1, "a gate cannot act on the same qubit twice (q[0])"),
        (QASM3_TWO, "cx q[0:1:1], q[0];", 1, "a gate cannot act on the same qubit twice (q[0])"),
        (QASM3_TWO, "cx q[:1], q[1];", 1, "a gate cannot act on the same qubit twice (q[1])"),
        (QASM3_TWO, "cx q[1:], q[1];", 1, "a gate cannot act on the same qubit twice (q[1])"),
        # Through an alias ('let'), on the qubits it stands for; before, Qiskit's "duplicate
        # bit arguments" with no line, and a bare IndexError past the alias's end.
        (
            QASM3_TWO,
            "let a = q; cx a[0], q[0];",
            12,
            "a gate cannot act on the same qubit twice (q[0])",
        ),
        (
            QASM3_TWO,
            "let a = q[0:1]; cx a, q[1];",
            17,
            "a gate cannot act on the same qubit twice (q[1])",
        ),
        (
            QASM3_TWO,
            "let a = q[{1, 0}]; let b = a[1:1]; cx b[0], q[0];",
            36,
            "a gate cannot act on the same qubit twice (q[0])",
        ),
        (QASM3_TWO, "let a = q[0:1]; h a[2];", 19, "a has 2 elements; a[2] is out of range"),
        (QASM3_TWO, "let a = q[1:5]; h a[1];", 19, "a has 1 element; a[1] is out of range"),
        # Before: TypeError "RXGate.__init__() missing 1 required positional argument:
        # 'theta'" out of Qiskit (an HTTP 500), where 'rx() q[0];' was refused at its line.
        (QASM2_TWO, "rx q[0];", 1, "'rx' takes 1 parameter, but got 0"),
        (QASM2_TWO, "u3 q[0];", 1, "'u3' takes 3 parameters, but got 0"),
        (QASM2_TWO, "U q[0];", 1, "'U' takes 3 parameters, but got 0"),
        (QASM2_TWO, "u1 q[0];", 1, "'u1' takes 1 parameter, but got 0"),
        (QASM2_TWO, "cu1 q[0],q[1];", 1, "'cu1' takes 1 parameter, but got 0"),
        (QASM2_TWO, "rzz q[0],q[1];", 1, "'rzz' takes 1 parameter, but got 0"),
        (QASM2_TWO, "h q[0]; rx\n  q[1];", 9, "'rx' takes 1 parameter, but got 0"),
        (QASM2_TWO, "if (c==1) rx q[0];", 11, "'rx' takes 1 parameter, but got 0"),
        # Qiskit built these without a word, to fail only in transpile.
        (QASM2_TWO, "gate g a { rx a; }", 12, "'rx' takes 1 parameter, but got 0"),
        (QASM2_TWO, "opaque o(t) a;  o q[0];", 17, "'o' takes 1 parameter, but got 0"),
    ],
)
def test_a_gate_call_that_does_not_fit_the_gate_is_named_at_its_line(
    head, statement, column, message
):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(head + statement)
    assert (info.value.line, info.value.column) == (4, column)
    assert info.value.message == message
    assert info.value.field == "source"


@pytest.mark.parametrize(
    ("statement", "pairs"),
    [
        ("cx q[0:1], q[2:3];", [[0, 2], [1, 3]]),
        ("cx q[0:1], q[1:2];", [[0, 1], [1, 2]]),  # never the same qubit in one call
        ("cx q[{0, 1}], q[{1, 0}];", [[0, 1], [1, 0]]),
        ("cx q[3:-1:2], q[1];", [[3, 1], [2, 1]]),
        ("cx q[2:], q[:1];", [[2, 0], [3, 1]]),  # open slices run to the register's ends
        ("let a = q[2:3]; cx a, q[0:1];", [[2, 0], [3, 1]]),
        ("let a = q[{3, 1}]; cx a[1], a[0];", [[1, 3]]),
    ],
)
def test_a_broadcast_over_slices_that_never_repeats_a_qubit_runs(statement, pairs):
    head = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[4] q;\n'
    circuit = load_circuit(head + statement)
    assert [[circuit.find_bit(q).index for q in op.qubits] for op in circuit.data] == pairs


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            QASM3_TWO + "gate g(t) a, b { rz(t) a; cx a, b; }\ng(0.5) q[0];\n",
            "'g' acts on 2 qubits, but is given 1",
        ),
        (
            QASM2_TWO + "gate g(a, b) x { U(a, b, 0) x; }\ng q[0];\n",
            "'g' takes 2 parameters, but got 0",
        ),
    ],
)
def test_a_call_of_a_programs_own_gate_is_checked_against_its_definition(source, message):
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert (info.value.line, info.value.column) == (5, 1)
    assert info.value.message == message


@pytest.mark.parametrize(
    "source",
    [
        QASM3_TWO + "cx q[0], q[1];",
        QASM3_TWO + "h q;",
        QASM3_TWO + "U(0, 0, 0) q;",
        QASM3_TWO + "ctrl @ rx(0.1) q[0], q[1];",
        QASM3_TWO + "negctrl @ inv @ x q[1], q[0];",
        QASM3_TWO + "ctrl @ gphase(0.5) q[0];",
        QASM3_TWO + "gate g(t) a, b { rz(t) a; cx a, b; }\ng(0.5) q[0], q[1];",
        QASM2_TWO + "h q[0]; h() q[1]; x q;",
        QASM2_TWO + "rx(0.5) q[0]; U (1, 2, 3) q[1];",
        QASM2_TWO + "// rx q[0];\nbarrier q; measure q -> c; reset q[0];",
        QASM2_TWO + "gate gateway(t) a { U(t, 0, 0) a; }\ngateway(1) q[0];",
        QASM2_TWO + "gate g a, b { cx a, b; h a; }\ng q[0], q[1];",
    ],
)
def test_gate_calls_that_fit_still_load(source):
    assert load_circuit(source).num_qubits == 2


def test_a_gate_qiskit_cannot_build_is_refused_as_input_not_a_crash(monkeypatch):
    # Should a call escape the reading above, Qiskit's TypeError still becomes a refusal.
    from synq_jupyter.quantum import qasm2_gate_parameters

    monkeypatch.setattr(qasm2_gate_parameters, "check_qasm2_gate_parameters", lambda *a, **k: None)
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(QASM2_TWO + "rx q[0];")
    assert "RXGate.__init__() missing 1 required positional argument" in info.value.message
    assert info.value.field == "source"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "OPENQASM 2.0;\nqreg q[2];\nh q[0];",
            "gate 'h' is not defined; add include \"qelib1.inc\"; after the OPENQASM line",
        ),
        (
            "OPENQASM 2.0;\nqreg q[2];\ncx q[0],q[1];",
            "gate 'cx' is not defined; add include \"qelib1.inc\"; after the OPENQASM line",
        ),
        ("OPENQASM 2.0;\nqreg q[2];\ndelay(1) q[0];", "gate 'delay' is not defined"),
        (
            "OPENQASM 3.0;\nqubit[2] q;\nh q[0];",
            "gate 'h' is not defined; add include \"stdgates.inc\"; after the OPENQASM line",
        ),
        ("OPENQASM 3.0;\nqubit[2] q;\nfoo q[0];", "gate 'foo' is not defined"),
    ],
)
def test_a_gate_used_without_its_include_says_to_add_it(source, message):
    # Before, in OpenQASM 2: "cannot use non-builtin custom instruction 'h' before definition".
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(source)
    assert (info.value.line, info.value.column) == (3, 1)
    assert info.value.message == message


QASM3_MEASURED = QASM3_TWO + "bit[2] c;\nbit b;\nc[0] = measure q[0];\nb = measure q[1];\n"


@pytest.mark.parametrize(
    ("condition", "index", "value"),
    [
        ("c[0] == 1", 0, True),
        ("c[0] == 0", 0, False),
        ("c[1] != 1", 1, False),
        ("1 == b", None, True),
        ("c[0] == true", 0, True),
    ],
)
def test_a_bit_compared_with_0_or_1_is_the_condition_it_reads_as(condition, index, value):
    """``index`` is the bit's in c, or None for b."""
    # Before: "conditions must be 'bit == const bool' or 'bitarray == const int', not
    # 'bit == const int'".
    circuit = load_circuit(QASM3_MEASURED + f"if ({condition}) x q[1];\n")
    clbit, compared = circuit.data[-1].operation.condition
    expected = circuit.clbits[-1] if index is None else circuit.cregs[0][index]
    assert (clbit, compared) == (expected, value)


def test_a_register_compared_with_an_integer_is_still_the_registers_value():
    circuit = load_circuit(QASM3_MEASURED + "if (c == 1) x q[1];\n")
    assert circuit.data[-1].operation.condition == (circuit.cregs[0], 1)


def test_a_bit_compared_with_another_integer_is_refused_at_the_integer():
    with pytest.raises(SynqSyntaxError) as info:
        load_circuit(QASM3_MEASURED + "if (c[0] == 2) x q[1];\n")
    assert (info.value.line, info.value.column) == (8, 13)
    assert info.value.message == "a bit is 0 or 1; compare it with 0 or 1, not 2"


@pytest.mark.parametrize(
    "body",
    [
        # An alias of a block is the block's alone: after it, 'a' is the outer one again.
        "let a = q[0:1];\nif (c[0]) { let a = q[1:1]; }\ncx a[0], q[1];\nh a[1];\n",
        # A gate's qubits hide an alias of the same name.
        "let a = q;\ngate g a, q { cx a, q; }\ng q[0], q[1];\n",
    ],
)
def test_a_valid_program_with_aliases_is_not_refused(body):
    head = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\n'
    assert load_circuit(head + body).num_qubits == 2


def test_an_index_past_an_alias_the_checks_do_not_follow_is_refused_in_words():
    """It was a bare IndexError out of Qiskit's importer."""
    head = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n'
    with pytest.raises(SynqSyntaxError, match="past the end of its register or alias"):
        load_circuit(head + "let a = q[{0, 5}];\n")
