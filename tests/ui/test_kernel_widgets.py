"""The kernel's widgets in a real browser, in JupyterLab and in Notebook 7: the live job
widget with its histogram, VQE's convergence plot, QAOA's distribution and the QNN's loss
curve, following the JupyterLab theme."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import LabServer, dark_theme, run_command, wait_for_kernel

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 60_000
BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\nmeasure q[0] as a\nmeasure q[1] as b\n"
H2_VQE = (
    "import synq_jupyter\n"
    'H2 = {"symbols": ["H", "H"], "geometry": [[0, 0, 0], [0, 0, 0.735]], "basis": "sto-3g"}\n'
    'job = synq_jupyter.vqe(molecule=H2, ansatz="uccsd", optimizer="l-bfgs-b", seed=7)'
)
SQUARE_QAOA = (
    'square = synq_jupyter.qaoa({"type": "maxcut", "edges": [[0, 1], [1, 2], [2, 3], [3, 0]]},'
    " p=1, seed=1)"
)
SMALL_QNN = (
    'qnn = synq_jupyter.train_qnn(dataset={"name": "moons", "n_samples": 40, "noise": 0.1},'
    " layers=2, epochs=4, seed=0)"
)
DARK_PAPER = "rgb(17, 17, 17)"  # plotly_dark's paper colour
LIGHT_PAPER = "rgb(255, 255, 255)"


def open_notebook(page: Page, lab_server: LabServer, frontend: str, name: str) -> None:
    if frontend == "lab":
        workspace = f"widgets-{uuid.uuid4().hex[:12]}"
        page.goto(
            f"{lab_server.url}lab/workspaces/{workspace}/tree/{name}?token={lab_server.token}"
        )
    else:  # Notebook 7: one notebook per page
        page.goto(f"{lab_server.url}notebooks/{name}?token={lab_server.token}")
    wait_for_kernel(page, name)


def run_and_check_widgets(page: Page, paper: str) -> None:
    run_command(page, "notebook:run-all-cells")
    widgets = page.locator(".jp-OutputArea .widget-vbox", has_text="SynQ job")
    expect(widgets).to_have_count(4, timeout=120_000)
    bell, vqe, qaoa, qnn = (widgets.nth(i) for i in range(4))
    for widget in (bell, vqe, qaoa, qnn):
        expect(widget).to_contain_text("succeeded", timeout=180_000)
        expect(widget.locator(".widget-button", has_text="Cancel")).to_be_disabled()

    # The Bell pair's histogram: two bars, "0 0" and "1 1".
    bars = bell.locator(".js-plotly-plot .barlayer .point")
    expect(bars).to_have_count(2, timeout=30_000)
    expect(bell.locator(".js-plotly-plot .xtick")).to_have_text(["0 0", "1 1"])

    # VQE: the convergence plot filled in as it ran, and the result table under it.
    expect(vqe).to_contain_text("energy (Ha)")
    points = vqe.locator(".js-plotly-plot .scatterlayer .trace").first.locator(".point")
    expect(points.first).to_be_attached(timeout=30_000)
    assert points.count() >= 2
    # QAOA: its objective per iteration, then the output distribution, where the two
    # maximum cuts of a square, 0101 and 1010, are the most likely bitstrings.
    expect(qaoa).to_contain_text("QAOA output distribution", timeout=30_000)
    ticks = qaoa.locator(".js-plotly-plot", has_text="QAOA output distribution").locator(".xtick")
    assert {"0101", "1010"} == set(ticks.evaluate_all("ts => ts.map(t => t.textContent)")[:2])
    # The QNN: its loss per epoch (four epochs, four points), then the accuracy table.
    expect(qnn).to_contain_text("QNN classifier", timeout=30_000)
    losses = qnn.locator(".js-plotly-plot", has_text="QNN training").locator(".point")
    expect(losses).to_have_count(4, timeout=30_000)
    for plot in (bell, vqe, qaoa, qnn):
        background = plot.locator(".js-plotly-plot svg.main-svg").first.evaluate(
            "node => getComputedStyle(node).backgroundColor"
        )
        assert background == paper
    # "Show in SynQ Jobs" is drawn as the panel's buttons are, not the browser's light grey.
    link = bell.locator(".synq-OpenInPanel")
    theme = link.evaluate(
        "node => getComputedStyle(document.body).getPropertyValue('--jp-layout-color2').trim()"
    )
    probe = link.evaluate(
        "(node, colour) => { const d = document.createElement('div'); d.style.color = colour;"
        " document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; }",
        theme,
    )
    expect(link).to_have_css("background-color", probe)


@pytest.mark.parametrize("frontend", ["lab", "notebook7"])
def test_job_and_algorithm_widgets_work_in_jupyterlab_and_notebook_7(
    page: Page, lab_server: LabServer, frontend: str
) -> None:
    name = f"widgets-{frontend}-{uuid.uuid4().hex[:6]}.ipynb"
    cells = [
        "%load_ext synq_jupyter",
        f"%%synq --submit --target aer_simulator --shots 200 --seed 3\n{BELL}",
        H2_VQE,
        SQUARE_QAOA,
        SMALL_QNN,
    ]
    lab_server.save_notebook(name, cells)
    open_notebook(page, lab_server, frontend, name)
    if frontend == "lab":
        # Plots take the dark template when the JupyterLab theme is dark.
        with dark_theme(page):
            run_and_check_widgets(page, DARK_PAPER)
        # Back in the light theme, the plots drawn dark follow it: the histograms and the
        # live lines alike (they kept their template before).
        plots = page.locator(".jp-OutputArea .widget-vbox .js-plotly-plot")
        assert plots.count() >= 5
        for index in range(plots.count()):
            background = plots.nth(index).locator("svg.main-svg").first
            expect(background).to_have_css("background-color", LIGHT_PAPER, timeout=20_000)
    else:
        run_and_check_widgets(page, LIGHT_PAPER)
