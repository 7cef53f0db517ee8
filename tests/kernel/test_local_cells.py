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
