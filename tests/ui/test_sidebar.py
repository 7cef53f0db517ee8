"""The SynQ sidebar in a real JupyterLab, against the real SynQ server extension."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from tests.ui.conftest import LabServer, screenshot

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 60_000
REFRESH_LABEL = "Refresh SynQ server status and targets"


def open_sidebar(page: Page, lab_server: LabServer) -> None:
    """Load JupyterLab and bring the SynQ panel up by clicking its tab in the left bar."""
    page.goto(lab_server.lab_url(workspace=f"ui-{uuid.uuid4().hex[:12]}"))
    tab = page.locator(".jp-SideBar.jp-mod-left").get_by_role("tab", name="SynQ", exact=True)
    expect(tab).to_be_visible(timeout=FIRST_LOAD_MS)
    # The splash screen goes once the layout is restored; a click before that can be
    # undone by the restore.
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=FIRST_LOAD_MS)
    expect(tab).to_have_attribute("aria-selected", "false")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#synq-sidebar")).to_be_visible()


def is_api_call(url: str, route: str) -> bool:
    return urlparse(url).path.endswith(f"/synq/api/{route}")


def test_sidebar_shows_server_health_and_targets(
    page: Page, lab_server: LabServer, tmp_path: Path
) -> None:
    open_sidebar(page, lab_server)
    sidebar = page.locator("#synq-sidebar")

    expect(sidebar.get_by_test_id("synq-health-status")).to_have_text("ok", timeout=FIRST_LOAD_MS)
    expect(sidebar.get_by_test_id("synq-health-database")).to_contain_text("sqlite")
    expect(sidebar.get_by_test_id("synq-health-executor")).to_contain_text("local")

    rows = sidebar.get_by_test_id("synq-target-row")
    expect(rows.first).to_be_visible(timeout=FIRST_LOAD_MS)
    names = set(rows.evaluate_all("rows => rows.map(row => row.dataset.target)"))
    assert {"ibm_torino", "ionq_aria_1", "rigetti_ankaa_3"} <= names
    expect(rows.filter(has_text="ionq_aria_1")).to_contain_text("25 qubits")
    expect(rows.filter(has_text="aer_simulator")).to_contain_text("simulator")

    screenshot(page, "synq-sidebar.png", tmp_path)


def test_refresh_button_fetches_health_and_targets_again(page: Page, lab_server: LabServer) -> None:
    health_requests: list[str] = []

    def record(request: Request) -> None:
        if is_api_call(request.url, "health"):
            health_requests.append(request.url)

    page.on("request", record)
    open_sidebar(page, lab_server)
    expect(page.get_by_test_id("synq-health-status")).to_have_text("ok", timeout=FIRST_LOAD_MS)
    before = len(health_requests)

    refresh = page.get_by_role("button", name=REFRESH_LABEL)
    refresh.focus()
    with (
        page.expect_response(lambda r: is_api_call(r.url, "health")) as health,
        page.expect_response(lambda r: is_api_call(r.url, "targets")) as targets,
    ):
        page.keyboard.press("Enter")

    assert health.value.status == 200
    assert targets.value.status == 200
    assert len(health_requests) == before + 1
    expect(page.get_by_test_id("synq-health-status")).to_have_text("ok")


def test_failed_request_shows_the_problem_detail(page: Page, lab_server: LabServer) -> None:
    detail = "The target catalogue is being rebuilt; try again in a minute."
    problem: dict[str, object] = {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": detail,
        "errors": [],
    }
    page.route(
        "**/synq/api/targets*",
        lambda route: route.fulfill(
            status=503, content_type="application/problem+json", body=json.dumps(problem)
        ),
    )
    open_sidebar(page, lab_server)

    targets = page.get_by_test_id("synq-section-targets")
    expect(targets.get_by_role("alert")).to_contain_text(detail, timeout=FIRST_LOAD_MS)
    expect(targets.get_by_test_id("synq-target-row")).to_have_count(0)
    expect(page.get_by_test_id("synq-health-status")).to_have_text("ok", timeout=FIRST_LOAD_MS)


def test_palette_command_opens_the_sidebar(page: Page, lab_server: LabServer) -> None:
    page.goto(lab_server.lab_url(workspace=f"ui-{uuid.uuid4().hex[:12]}"))
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=FIRST_LOAD_MS)
    expect(page.locator("#synq-sidebar")).to_be_hidden()

    page.locator(".jp-Launcher").first.click()
    page.keyboard.press("Control+Shift+C")
    search = page.locator(".jp-ModalCommandPalette .lm-CommandPalette-input")
    expect(search).to_be_focused()
    search.fill("Open SynQ Sidebar")
    palette = page.locator(".jp-ModalCommandPalette")
    expect(palette.locator(".lm-CommandPalette-header").first).to_have_text("SynQ")
    expect(palette.locator(".lm-CommandPalette-item").first).to_contain_text("Open SynQ Sidebar")
    page.keyboard.press("Enter")

    expect(page.locator("#synq-sidebar")).to_be_visible()
    expect(page.get_by_test_id("synq-health-status")).to_have_text("ok", timeout=FIRST_LOAD_MS)
