"""The targets panel: a device's connectivity, errors and prices, and "Estimate this circuit"."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.ui.conftest import LabServer, dark_theme, run_command, screenshot
from tests.ui.test_sidebar import FIRST_LOAD_MS, open_sidebar

pytestmark = pytest.mark.browser

GHZ = (
    "%%synq --target aer_simulator --shots 300\n"
    "qubit q[3]\nquantum h q[0]\nquantum cx q[0], q[1]\nquantum cx q[1], q[2]\n"
)


def estimate_cell(page: Page, lab_server: LabServer, cell: str) -> Locator:
    """Opens a notebook of one cell beside the SynQ sidebar and clicks "Estimate this
    circuit" with the cursor in the cell; returns the cell's editor."""
    name = f"estimate-{uuid.uuid4().hex[:6]}.ipynb"
    lab_server.save_notebook(name, [cell])
    open_sidebar(page, lab_server)
    run_command(page, "docmanager:open", {"path": name})
    source = page.locator(".jp-Notebook .jp-CodeCell .cm-content").first
    expect(source).to_contain_text(cell.splitlines()[-1], timeout=FIRST_LOAD_MS)
    source.click()
    page.locator("#synq-sidebar").get_by_test_id("synq-estimate").click()
    return source


def test_a_target_shows_its_connectivity_errors_and_prices(
    page: Page, lab_server: LabServer
) -> None:
    open_sidebar(page, lab_server)
    sidebar = page.locator("#synq-sidebar")
    status, torino = lab_server.request("GET", "synq/api/targets/ibm_torino")
    assert status == 200

    open_torino = sidebar.get_by_role("button", name="Open target ibm_torino: 133 qubits, hardware")
    expect(open_torino).to_be_visible(timeout=FIRST_LOAD_MS)
    open_torino.focus()
    page.keyboard.press("Enter")  # keyboard, as a user without a mouse would

    detail = sidebar.get_by_test_id("synq-target-detail")
    expect(detail.get_by_test_id("synq-target-qubits")).to_have_text("133", timeout=30_000)
    # The keyboard lands in the detail, on its way back (it fell to the page).
    expect(detail.get_by_role("button", name="← All targets")).to_be_focused()
    graph = detail.get_by_role("img", name="Connectivity of ibm_torino: 133 qubits, 150 links")
    expect(graph).to_be_visible()
    assert graph.locator("circle").count() == 133
    assert graph.locator("line").count() == len(torino["connectivity"]["links"])
    # Each qubit is coloured by its own readout error against the device's median.
    errors = torino["connectivity"]["qubit_errors"]
    median = sorted(errors)[len(errors) // 2]
    worst = max(range(133), key=lambda q: errors[q])
    qubit = graph.locator(f'circle[data-qubit="{worst}"]')
    expected = "poor" if errors[worst] > 2 * median else "fair"
    expect(qubit).to_have_class(f"synq-Qubit synq-Quality-{expected}")
    assert f"q{worst}: readout error {100 * errors[worst]:.2f}%" in (qubit.text_content() or "")
    two_q = 100 * torino["calibration"]["median_2q_error"]
    expect(detail.get_by_test_id("synq-target-2q-error")).to_have_text(f"{two_q:.3f}%")
    expect(detail.get_by_test_id("synq-target-prices")).to_contain_text("per second")
    expect(detail.get_by_test_id("synq-target-prices")).to_contain_text(torino["pricing"]["as_of"])

    page.keyboard.press("Escape")  # back to the list, on the row it left from
    expect(sidebar.get_by_test_id("synq-target-detail")).to_have_count(0)
    expect(open_torino).to_be_focused()
    page.keyboard.press("Enter")
    detail.get_by_role("button", name="← All targets").click()
    expect(sidebar.get_by_test_id("synq-target-row").first).to_be_visible()


def test_an_all_to_all_device_is_drawn_as_a_circle(page: Page, lab_server: LabServer) -> None:
    open_sidebar(page, lab_server)
    sidebar = page.locator("#synq-sidebar")
    sidebar.get_by_role("button", name="Open target ionq_aria_1: 25 qubits, hardware").click()
    graph = sidebar.get_by_role("img", name="Connectivity of ionq_aria_1: 25 qubits, 300 links")
    expect(graph).to_be_visible(timeout=30_000)
    expect(sidebar.get_by_test_id("synq-target-detail")).to_contain_text("(all-to-all)")


def test_estimate_this_circuit_compares_every_target(
    page: Page, lab_server: LabServer, tmp_path: Path
) -> None:
    source = estimate_cell(page, lab_server, GHZ)
    report = page.get_by_test_id("synq-estimate-report")
    table = report.get_by_test_id("synq-cost-table")
    expect(table).to_be_visible(timeout=120_000)

    status, result = lab_server.request(
        "GET", f"synq/api/jobs/{report.get_attribute('data-job-id')}/result"
    )
    assert status == 200
    assert result["shots"] == 300  # the cell's own --shots, not the settings' 1024
    _, catalogue = lab_server.request("GET", "synq/api/targets")
    rows = table.get_by_test_id("synq-cost-row")
    expect(rows).to_have_count(len(catalogue["targets"]))
    for row in result["rows"]:
        shown = table.locator(f'[data-testid="synq-cost-row"][data-target="{row["target"]}"]')
        expect(shown).to_have_attribute("data-feasible", str(row["feasible"]).lower())
        if row["feasible"] and row["estimated_success_probability"] is not None:
            success = 100 * row["estimated_success_probability"]
            expect(shown).to_contain_text(f"{success:.1f}%")
        if row["feasible"] and row["price"] is not None and row["price"] >= 0.01:
            expect(shown).to_contain_text(f"${row['price']:,.2f}")
    # Feasible targets come first, the cheapest of them at the top.
    order = rows.evaluate_all("rows => rows.map(r => r.dataset.target)")
    feasible = [r for r in result["rows"] if r["feasible"]]
    cheapest = min(feasible, key=lambda r: (r["price"] is None, r["price"] or 0, r["target"]))
    assert order[0] == cheapest["target"]
    hardware = [r for r in feasible if not r["simulator"]]
    best = max(hardware, key=lambda r: r["estimated_success_probability"])
    expect(table.locator(f'[data-target="{best["target"]}"] .synq-Badge')).to_have_text("best")
    # A second report opens as a tab beside the first, not as one more column squeezing
    # the notebook.
    notebook_width = page.locator(".jp-NotebookPanel").first.bounding_box()["width"]
    source.click()
    page.locator("#synq-sidebar").get_by_test_id("synq-estimate").click()
    expect(page.get_by_test_id("synq-estimate-report")).to_have_count(2)
    tabs = page.locator(".lm-DockPanel-tabBar", has_text="Cost estimate")
    expect(tabs).to_have_count(1)
    expect(tabs.locator(".lm-TabBar-tab", has_text="Cost estimate")).to_have_count(2)
    assert page.locator(".jp-NotebookPanel").first.bounding_box()["width"] == notebook_width

    # The picture for the README: the comparison beside a device's connectivity, dark.
    page.locator("#synq-sidebar").get_by_role(
        "button", name="Open target ibm_torino: 133 qubits, hardware"
    ).click()
    expect(page.get_by_test_id("synq-connectivity")).to_be_visible(timeout=30_000)
    with dark_theme(page):
        screenshot(page, "synq-targets-dark.png", tmp_path)


def test_a_cells_mistake_is_named_at_the_line_the_notebook_shows(
    page: Page, lab_server: LabServer
) -> None:
    estimate_cell(page, lab_server, "%%synq --target aer_simulator\nqubit q[2]\nquantum hx q[0]\n")
    # The server counts the source it was sent; the cell's %%synq line comes first.
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("line 3, column 9: unknown gate 'hx'", timeout=30_000)
