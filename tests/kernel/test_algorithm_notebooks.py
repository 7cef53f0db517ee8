"""The algorithm tutorials (03 to 06), executed by a real kernel against a real server."""

from __future__ import annotations

import re

import nbformat
import pytest

from tests.fixtures.notebooks import (
    NOTEBOOKS,
    cell_with,
    run_notebook,
    text_of,
    widget_children,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def execute(server, tmp_path_factory):
    """Runs a notebook once; later calls get the same executed notebook."""
    executed: dict[str, nbformat.NotebookNode] = {}

    def run(name: str) -> nbformat.NotebookNode:
        if name not in executed:
            with pytest.MonkeyPatch.context() as monkeypatch:
                notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
                cwd = tmp_path_factory.mktemp("nb")
                executed[name] = run_notebook(notebook, server, monkeypatch, cwd)
        return executed[name]

    return run


def numbers_after(text: str, label: str) -> list[float]:
    line = next(line for line in text.splitlines() if line.startswith(label))
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", line)]


def test_vqe_tutorial_reaches_h2_ground_energy_with_a_live_plot(execute):
    notebook = execute("03-vqe-h2.ipynb")
    out = text_of(cell_with(notebook, "h2 = job.result"))
    (energy,) = numbers_after(out, "VQE energy")
    (exact,) = numbers_after(out, "exact energy")
    assert exact == pytest.approx(-1.137306, abs=1e-6)
    assert energy == pytest.approx(exact, abs=1e-6)
    children = widget_children(notebook, cell_with(notebook, "synq_jupyter.vqe(molecule=H2"))
    assert any(
        "FigureModel" in str(c["state"].get("_model_name", ""))
        or "anywidget" in str(c["state"].get("_model_module", ""))
        for c in children
    )
    noisy = text_of(cell_with(notebook, 'estimator="shots"'))
    value, error, exact_noisy = numbers_after(noisy, "E =")
    assert error > 0
    assert abs(value - exact_noisy) < 0.05


def test_qaoa_tutorial_ratios_beat_the_worst_case_bounds(execute):
    notebook = execute("04-qaoa-maxcut.ipynb")
    lines = text_of(cell_with(notebook, "for p in (1, 2, 3)")).split("\n")
    ratios = {int(line.split()[0]): float(line.split()[1]) for line in lines if line.strip()}
    bounds = {1: 0.6924, 2: 0.7559, 3: 0.7924}
    assert all(ratios[p] > bound for p, bound in bounds.items()), ratios
    partition = text_of(cell_with(notebook, "number_partitioning")).strip()
    numbers = [3, 1, 1, 2, 2, 1]
    side = [numbers[i] for i, bit in enumerate(reversed(partition)) if bit == "1"]
    assert 2 * sum(side) == sum(numbers)


def test_qnn_tutorial_matches_the_svc_baseline_and_predicts(execute):
    notebook = execute("05-qnn-classifier.ipynb")
    qnn, svc = numbers_after(text_of(cell_with(notebook, "trained = job.result")), "QNN")
    assert qnn >= 0.98 * svc
    out = text_of(cell_with(notebook, "synq_jupyter.predict"))
    assert out.startswith("[")


def test_synthesis_tutorial_verifies_and_transpiles(execute):
    notebook = execute("06-synthesis-and-transpile.ipynb")
    assert "'passed': True" in text_of(cell_with(notebook, "5-qubit GHZ state"))
    assert "GHZ" in text_of(cell_with(notebook, "makes coffee"))
    table = text_of(cell_with(notebook, "for target in"))
    assert table.count("2q gates") == 3


def test_synthesis_tutorial_shows_costs_as_table_and_scatter(execute):
    notebook = execute("06-synthesis-and-transpile.ipynb")
    cell = cell_with(notebook, "synq_jupyter.estimate(")
    kinds = [key for output in cell.outputs for key in output.get("data", {})]
    assert "application/vnd.plotly.v1+json" in kinds
    html = "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)
    for target in ("aer_simulator", "ibm_torino", "ionq_aria_1", "rigetti_ankaa_3"):
        assert target in html
