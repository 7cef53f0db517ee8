"""Editing SynQ in JupyterLab: `.synq` files and `%%synq` cells are highlighted as SynQ."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import LabServer

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 60_000
PROGRAM = """// a Bell pair, then a rotation
#[experimental(feature = "fast_reset")]
qubit q[2]
quantum h q[0]
quantum cx q[0], q[1]
quantum rz(pi/2) q[1]
measure q[0] as r
"""


def token_style(page: Page, text: str) -> dict[str, str]:
    """The computed style of the editor's token that reads exactly ``text``."""
    span = page.locator(".jp-FileEditor .cm-content span").filter(has_text=text).first
    expect(span).to_be_visible(timeout=FIRST_LOAD_MS)
    return span.evaluate(
        "node => { const s = getComputedStyle(node);"
        " return {color: s.color, weight: s.fontWeight, style: s.fontStyle}; }"
    )


def test_a_synq_file_opens_highlighted(page: Page, lab_server: LabServer) -> None:
    name = f"bell-{uuid.uuid4().hex[:6]}.synq"
    status, _ = lab_server.request(
        "PUT", f"api/contents/{name}", {"type": "file", "format": "text", "content": PROGRAM}
    )
    assert status in (200, 201)
    workspace = f"synq-{uuid.uuid4().hex[:12]}"
    page.goto(f"{lab_server.url}lab/workspaces/{workspace}/tree/{name}?token={lab_server.token}")
    editor = page.locator(".jp-FileEditor .cm-content")
    expect(editor).to_contain_text("quantum cx", timeout=FIRST_LOAD_MS)

    keyword = token_style(page, "quantum")
    comment = token_style(page, "// a Bell pair")
    gate = token_style(page, "cx")
    plain = (
        page.locator(".jp-FileEditor .cm-line")
        .nth(2)
        .evaluate("node => getComputedStyle(node).color")
    )
    assert keyword["weight"] in ("700", "bold")  # the theme's keyword style
    assert comment["style"] == "italic"
    assert gate["color"] != plain  # gate names are coloured apart from plain text
    assert keyword["color"] != comment["color"]
    # The status bar names the language.
    expect(page.locator(".jp-StatusBar-Widget", has_text="SynQ").first).to_be_visible()


def test_a_synq_cell_is_highlighted_as_synq(page: Page, lab_server: LabServer) -> None:
    name = f"cells-{uuid.uuid4().hex[:6]}.ipynb"
    synq_cell = "%%synq --target aer_simulator\n// entangle\nqubit q[2]\nquantum cx q[0], q[1]\n"
    python_cell = "quantum = 2  # a Python name, not SynQ"
    lab_server.save_notebook(name, [synq_cell, python_cell])
    workspace = f"cells-{uuid.uuid4().hex[:12]}"
    page.goto(f"{lab_server.url}lab/workspaces/{workspace}/tree/{name}?token={lab_server.token}")
    cells = page.locator(".jp-Notebook .jp-CodeCell .cm-content")
    expect(cells.nth(1)).to_contain_text("a Python name", timeout=FIRST_LOAD_MS)

    synq, python = cells.nth(0), cells.nth(1)
    keyword = synq.locator(".cm-synq-keyword", has_text="quantum")
    expect(keyword).to_have_count(1)
    expect(synq.locator(".cm-synq-builtin", has_text="cx")).to_have_count(1)
    expect(synq.locator(".cm-synq-comment")).to_have_text("// entangle")
    expect(python.locator("[class*='cm-synq-']")).to_have_count(0)
    style = keyword.evaluate(
        "node => { const s = getComputedStyle(node);"
        " const v = getComputedStyle(document.body)"
        ".getPropertyValue('--jp-mirror-editor-keyword-color').trim();"
        " const probe = document.createElement('span'); probe.style.color = v;"
        " document.body.appendChild(probe); const want = getComputedStyle(probe).color;"
        " probe.remove(); return {color: s.color, weight: s.fontWeight, want}; }"
    )
    assert style["color"] == style["want"]  # the theme's keyword colour, over IPython's
    assert style["weight"] in ("700", "bold")


def test_transpile_for_shows_the_report_of_the_active_cell(
    page: Page, lab_server: LabServer
) -> None:
    name = f"ghz-{uuid.uuid4().hex[:6]}.ipynb"
    cell = (
        "%%synq --target aer_simulator\n"
        "qubit q[3]\nquantum h q[0]\nquantum cx q[0], q[1]\nquantum cx q[1], q[2]\n"
    )
    lab_server.save_notebook(name, [cell])
    workspace = f"transpile-{uuid.uuid4().hex[:12]}"
    page.goto(f"{lab_server.url}lab/workspaces/{workspace}/tree/{name}?token={lab_server.token}")
    source = page.locator(".jp-Notebook .jp-CodeCell .cm-content").first
    expect(source).to_contain_text("quantum cx", timeout=FIRST_LOAD_MS)
    source.click()

    source.click(button="right")
    # SynQ's entries make a group of their own, after the cell's own and before the
    # notebook's (JupyterLab's "Enable Scrolling for Outputs" went between them).
    entries = page.locator(".lm-Menu-content > .lm-Menu-item").evaluate_all(
        "items => items.map(i => i.dataset.type === 'separator' ? '---'"
        " : i.querySelector('.lm-Menu-itemLabel').textContent)"
    )
    synq = entries.index("Transpile for…")
    assert entries[synq - 1] == "---", entries
    assert entries[synq + 1] == "Estimate this circuit", entries
    assert entries[synq + 2] == "---", entries
    page.locator(".lm-Menu-item", has_text="Transpile for…").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Target", timeout=FIRST_LOAD_MS)
    dialog.locator("select").select_option("ibm_torino")
    dialog.get_by_role("button", name="Ok").click()

    report = page.get_by_test_id("synq-transpile-report")
    expect(report).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(report.get_by_test_id("synq-report-target")).to_have_text("ibm_torino")
    # A 3-qubit GHZ state needs two two-qubit gates on a device (CZ on Heron), at least.
    two_qubit = int(report.get_by_test_id("synq-report-2q").inner_text().split()[0])
    assert two_qubit >= 2
    expect(report.get_by_test_id("synq-report-ops")).to_contain_text("cz")
    success = float(report.get_by_test_id("synq-report-success").inner_text().rstrip("%"))
    assert 0 < success < 100  # from the device's error rates: below certainty
