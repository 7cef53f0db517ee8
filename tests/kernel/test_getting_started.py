"""notebooks/01-getting-started.ipynb, executed by a real kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "01-getting-started.ipynb"
PLOTLY = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}},
    )
    client.execute()
    return notebook


def cell_with(notebook: nbformat.NotebookNode, text: str) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if c.cell_type == "code" and text in c.source)


def figures(cell: nbformat.NotebookNode) -> list[dict]:
    return [o["data"][PLOTLY] for o in cell.outputs if PLOTLY in o.get("data", {})]


def html(cell: nbformat.NotebookNode) -> str:
    return "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)


def bar_counts(figure: dict) -> dict[str, int]:
    bar = figure["data"][0]
    return dict(zip(bar["x"], bar["y"], strict=True))


def test_target_catalogue_is_listed(executed):
    table = html(cell_with(executed, "%synq targets"))
    for name in ("ibm_torino", "ionq_aria_1", "rigetti_ankaa_3", "aer_simulator"):
        assert name in table


def test_synq_bell_cell_shows_a_histogram_of_correlated_counts(executed):
    (figure,) = figures(cell_with(executed, "--name bell"))
    counts = bar_counts(figure)
    assert sum(counts.values()) == 2000
    # Two one-bit registers a and b: Qiskit prints them as "b a".
    assert set(counts) == {"0 0", "1 1"}
    assert "seed 7" in figure["layout"]["title"]["text"]


def test_bell_result_is_stored_in_the_namespace(executed):
    outputs = cell_with(executed, "bell.counts").outputs
    text = outputs[0]["data"]["text/plain"]
    assert "'0 0'" in text
    assert "'1 1'" in text


def test_qasm2_cell_runs_a_ghz_state(executed):
    (figure,) = figures(cell_with(executed, "OPENQASM 2.0"))
    assert set(bar_counts(figure)) == {"000", "111"}


def test_transpile_cell_shows_the_report_and_noisy_counts(executed):
    cell = cell_with(executed, "--target ibm_torino")
    report = html(cell)
    assert "Transpiled for ibm_torino" in report
    assert "2-qubit gates" in report
    assert "cz" in report
    (figure,) = figures(cell)
    counts = bar_counts(figure)
    assert sum(counts.values()) == 1024
    assert counts["00000"] + counts["11111"] > 800
    assert len(counts) > 2  # device noise shows up as other outcomes


def test_stored_report_is_usable_from_python(executed):
    text = cell_with(executed, "ghz.report.two_qubit_count").outputs[0]["text"]
    assert "2-qubit gates: 4" in text


def test_draw_shows_the_circuit_and_feedback_runs(executed):
    cell = cell_with(executed, "--draw")
    drawing = next(o["data"]["text/plain"] for o in cell.outputs if "data" in o)
    assert "Ry(π/2)" in drawing
    assert "If" in drawing
    (figure,) = figures(cell)
    counts = bar_counts(figure)
    # q[1] is flipped exactly when r = 1, so the final measurement always agrees with r.
    assert set(counts) <= {"0 0", "1 1"}
    assert len(counts) == 2


def test_syntax_error_is_one_short_message_with_its_line(executed):
    cell = cell_with(executed, "quantum cnot")
    # IPython prints a UsageError as one message on stderr, without a traceback.
    (stderr,) = [o["text"] for o in cell.outputs if o.get("name") == "stderr"]
    assert stderr.startswith("UsageError: SynQ: line 4, column 9: unknown gate 'cnot'")
    assert "    quantum cnot q[0], q[1]\n            ^" in stderr
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) == 3
    assert not [o for o in cell.outputs if o["output_type"] == "error"]
