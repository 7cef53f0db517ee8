"""notebooks/02-jobs.ipynb, executed by a real kernel against a real server."""

from __future__ import annotations

import json

import nbformat
import pytest

from tests.fixtures.notebooks import (
    NOTEBOOKS,
    cell_with,
    run_notebook,
    text_of,
    widget_children,
)

NOTEBOOK = NOTEBOOKS / "02-jobs.ipynb"


@pytest.fixture(scope="module")
def executed(server, tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        return run_notebook(notebook, server, monkeypatch, tmp_path_factory.mktemp("nb"))


def job_widget_part(notebook, cell, index: int) -> dict:
    """The state of child ``index`` of the job widget a cell displayed
    (0: header, 1: progress row, 2: message, 3: output with the histogram)."""
    return widget_children(notebook, cell)[index]["state"]


def job_header(notebook, cell) -> str:
    return job_widget_part(notebook, cell, 0)["value"]


def test_submit_cell_returns_a_live_widget_that_ends_succeeded(executed):
    cell = cell_with(executed, "--submit")
    header = job_header(executed, cell)
    assert "aer_noisy_torino" in header
    assert any(s in header for s in ("queued", "running", "succeeded"))


def test_wait_and_result_give_noisy_ghz_counts(executed):
    out = text_of(cell_with(executed, "ghz_job.wait"))
    assert "succeeded after 1 attempt(s)" in out
    probability = float(out.split("P(00000 or 11111) =")[1])
    assert 0.8 < probability < 1.0


def test_python_submit_runs_on_ionq_model(executed):
    out = text_of(cell_with(executed, "ionq_aria_1"))
    counts = dict(json.loads(out.strip().replace("(", "[").replace(")", "]").replace("'", '"')))
    assert sum(counts.values()) == 2000
    assert counts["00"] + counts["11"] > 1800


def test_estimate_job_returns_expectation_values(executed):
    out = text_of(cell_with(executed, 'kind="estimate"'))
    values = json.loads(out.strip())
    assert values == pytest.approx([1.0, 1.0, 0.0], abs=1e-9)


def test_long_job_is_cancelled(executed):
    assert text_of(cell_with(executed, "long_job.cancel()")).strip() == "cancelled"


def test_jobs_table_lists_the_jobs(executed):
    html = "".join(
        o["data"].get("text/html", "") for o in cell_with(executed, "%synq jobs").outputs
    )
    for status in ("succeeded", "cancelled"):
        assert status in html
    assert "sample_batch" in html


def test_attach_shows_the_finished_job_with_its_histogram(executed):
    cell = cell_with(executed, "%synq attach")
    assert "succeeded" in job_header(executed, cell)
    outputs = job_widget_part(executed, cell, 3)["outputs"]
    (figure,) = [o["data"]["application/vnd.plotly.v1+json"] for o in outputs]
    assert sum(figure["data"][0]["y"]) == 4000


def test_a_new_kernel_can_reattach_by_id(executed, server, monkeypatch, tmp_path):
    job_id = json.loads(json.dumps(server.request("GET", "synq/api/jobs?tag=tutorial")[1]))["jobs"][
        0
    ]["id"]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import synq_jupyter\n"
            f"job = synq_jupyter.attach({job_id!r})\n"
            "print(job.status(), sum(job.result()['counts'].values()))"
        )
    ]
    run_notebook(notebook, server, monkeypatch, tmp_path)
    assert notebook.cells[0].outputs[0]["text"].strip() == "succeeded 2000"
