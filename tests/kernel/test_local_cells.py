"""What a ``%%synq`` cell run on this machine (no ``--submit``) tells a user: the same one
line a submitted cell gets for the same mistake, and a result that reads as text too."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
NO_QUBITS = (
    "SynQ: the circuit has no qubits: declare some (qubit q[2], or qreg q[2]; in OpenQASM) "
    "and the gates on them"
)


@pytest.fixture
def shell(ipython, tmp_path, monkeypatch):
    """The test shell, with no SynQ settings (a fresh settings folder)."""
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    return ipython


@pytest.mark.parametrize(
    "cell", ["// only a comment\n", "OPENQASM 3.0;\n// nothing else\n", "OPENQASM 2.0;\n"]
)
def test_a_cell_without_qubits_says_so_as_a_submitted_one_does(shell, cell):
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", "--shots 10", cell)
    assert str(refused.value) == NO_QUBITS


@pytest.mark.parametrize("options", ["", "--target aer_simulator"])
def test_a_circuit_wider_than_the_simulator_is_refused_in_one_line(shell, options):
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", f"--shots 10 {options}", "qubit q[40]\nquantum h q[39]\n")
    assert str(refused.value) == "SynQ: the circuit uses 40 qubits but aer_simulator has 30"


@pytest.mark.parametrize("options", ["-O 7", "-O -1", "--target ibm_torino -O 7"])
def test_an_optimization_level_out_of_range_is_refused_on_every_target(shell, options):
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", f"--shots 10 {options}", BELL)
    level = options.split()[-1]
    assert str(refused.value) == f"SynQ: optimization level must be 0, 1, 2 or 3, not {level}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--bogus", "unrecognized arguments: --bogus"),
        ("--shots abc", "argument --shots/-s: invalid int value: 'abc'"),
        ("--format qasm4", "argument --format/-f: invalid choice: 'qasm4'"),
    ],
)
def test_an_option_argparse_refuses_is_a_synq_usage_message(shell, options, message):
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", options, BELL)
    assert str(refused.value).startswith(f"SynQ: {message}")


def test_the_histogram_has_a_plain_text_summary(shell):
    with capture_output() as captured:
        shell.run_cell_magic("synq", "--shots 300 --seed 7", BELL)
    *progress, histogram = [output.data for output in captured.outputs]
    assert "application/vnd.plotly.v1+json" in histogram
    assert progress[-1] == {"text/html": "", "text/plain": ""}  # cleared, in text too
    text = histogram["text/plain"]
    assert text.startswith("aer_simulator · 300 shots · seed 7 · ideal · ")
    counts = dict(part.split(": ") for part in text.split(" · ")[-1].split(", "))
    assert set(counts) == {"00", "11"}
    assert sum(int(n) for n in counts.values()) == 300


def test_the_summary_lists_the_most_frequent_outcomes_first():
    from synq_jupyter.kernel.histogram import TEXT_OUTCOMES, counts_text

    counts = {format(i, "04b"): i + 1 for i in range(16)}
    text = counts_text(counts, "t")
    assert text.startswith("t · 1111: 16, 1110: 15, ")
    assert text.endswith(f", … {16 - TEXT_OUTCOMES} more outcomes")


@pytest.mark.parametrize(
    "options", ['--target "ibm_torino" --shots 40', "--target 'ibm_torino' --shots '40'"]
)
def test_quoted_option_values_lose_their_quotes_as_in_the_line_magic(shell, options):
    """IPython's splitting kept them: 'unknown target '"ibm_torino"''."""
    with capture_output() as captured:
        shell.run_cell_magic("synq", f"{options} --seed 1", BELL)
    assert captured.outputs[-1].data["text/plain"].startswith("ibm_torino · 40 shots · seed 1")


def test_a_local_cell_with_an_opaque_gate_is_one_line(shell):
    cell = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nopaque foo a;\nqreg q[1];\nfoo q[0];\n'
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", "--shots 10", cell)
    assert str(refused.value).startswith("SynQ: the circuit uses foo, a gate with no definition")


def ran(shell, cell: str) -> tuple[object, list[str]]:
    """What ``shell.run_cell(cell)`` raised, if anything, and the lines it printed, as a
    notebook cell runs (its leading blank lines included)."""
    with capture_output() as captured:
        result = shell.run_cell(cell)
    return result.error_in_exec, (captured.stdout + captured.stderr).splitlines()


def test_a_synq_warning_is_shown_with_its_line_as_the_notebook_counts_it(shell):
    feature = '#[experimental(feature = "time_travel")]'
    cell = f"%%synq --shots 10\n{feature}\nqubit q[1]\nquantum x q[0]\n"
    error, lines = ran(shell, cell)
    assert error is None
    assert lines == [
        "SynQ warning: line 2, column 26: unknown experimental feature 'time_travel' is "
        "ignored; known features: kernels, measurement_feedback"
    ]


def test_blank_lines_above_the_magic_count_in_an_error_line(shell):
    error, _ = ran(shell, "\n\n%%synq\nqubit q[2]\nquantum hh q[0]")
    assert str(error).startswith("SynQ: line 5, column 9: unknown gate 'hh'")


def test_blank_lines_above_the_magic_count_in_a_warning_line(shell):
    cell = ' \n\n%%synq --shots 10\n#[experimental(feature = "time_travel")]\nqubit q[1]\n'
    _, lines = ran(shell, cell)
    assert lines[0].startswith("SynQ warning: line 4, column 26: ")


def test_a_magic_called_from_python_counts_from_its_own_first_line(shell):
    shell.run_cell("\n\n\nsource = 'qubit q[2]\\nquantum hh q[0]\\n'")
    error, _ = ran(shell, "get_ipython().run_cell_magic('synq', '', source)")
    assert str(error).startswith("SynQ: line 3, column 9: ")


def test_a_long_source_line_is_shown_around_the_error_with_the_caret_under_it(shell):
    body = "x q[0]; " * 1500 + "x q[0]"  # 12,006 characters, the ';' missing at the end
    cell = f'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[1] q;\n{body}\n'
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", "--shots 10", cell)
    first, source, caret = str(refused.value).splitlines()
    assert first.startswith("SynQ: line 5, column 12007: missing ';'")
    assert source == "    …" + body[-60:]
    assert caret == "    " + " " * 61 + "^"


def test_a_long_line_cut_on_both_sides_keeps_the_caret_on_the_column():
    from synq_jupyter.errors import SynqInputError
    from synq_jupyter.kernel.magics import _short_message

    line = "a" * 500 + "BAD" + "b" * 500
    error = SynqInputError("unexpected 'BAD'", line=1, column=501)
    _, source, caret = _short_message(error, line).splitlines()
    assert source == "    …" + "a" * 60 + "BAD" + "b" * 57 + "…"
    assert source[caret.index("^") :].startswith("BAD")


@pytest.mark.parametrize("options", ["-O 3 --seed 2", "--target aer_simulator -O 3"])
def test_an_optimization_level_on_the_ideal_simulator_says_it_does_nothing(shell, options):
    error, lines = ran(shell, f"%%synq --shots 10 {options}\n{BELL}")
    assert error is None
    assert lines == [
        "SynQ: -O applies to device targets; aer_simulator runs the circuit as written"
    ]


def test_an_optimization_level_out_of_range_is_all_a_cell_says(shell):
    error, lines = ran(shell, f"%%synq --shots 10 -O 7\n{BELL}")
    assert str(error) == "SynQ: optimization level must be 0, 1, 2 or 3, not 7"
    assert not [line for line in lines if "-O applies" in line]


@pytest.mark.parametrize("options", ["--seed 2", "--target ibm_torino -O 3"])
def test_no_word_on_the_optimization_level_where_it_applies_or_is_not_given(shell, options):
    error, lines = ran(shell, f"%%synq --shots 10 {options}\n{BELL}")
    assert error is None
    assert lines == []


def test_one_shot_is_written_in_the_singular(shell):
    with capture_output() as captured:
        shell.run_cell_magic("synq", "--shots 1 --seed 3", BELL)
    histogram = captured.outputs[-1].data
    assert histogram["text/plain"].startswith("aer_simulator · 1 shot · seed 3 · ideal · ")
    (bar,) = histogram["application/vnd.plotly.v1+json"]["data"]
    assert bar["customdata"][0][1] == "shot"  # the bar's hover text: "00: 1 shot (100.0%)"


def test_unbound_parameters_in_a_cell_are_given_values_in_the_cell(shell):
    cell = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n'
    cell += "input float theta;\nqubit[1] q;\nrx(theta) q[0];\n"
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", "--shots 10", cell)
    assert str(refused.value) == (
        "SynQ: the circuit has unbound parameters (theta); write a number in place of each "
        "(rx(0.5), not rx(theta)) and remove its input declaration"
    )


def test_help_shows_the_cell_magics_usage_and_runs_nothing(shell):
    for option in ("--help", "-h"):
        with capture_output() as captured:
            shell.run_cell_magic("synq", f"--shots 10 {option}", BELL)
        assert captured.outputs == []  # no histogram
        assert captured.stdout.startswith("%%synq [--target TARGET] [--shots SHOTS]")
        assert "  -O OPTIMIZATION_LEVEL, --optimization-level" in captured.stdout


def test_the_cell_magics_docstring_names_it_with_two_percent_signs(shell):
    assert "\n  %%synq [--target TARGET]" in shell.find_cell_magic("synq").__doc__
