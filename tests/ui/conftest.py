"""A real JupyterLab server and a headless Debian Chromium for the browser tests.

The server is started from this virtualenv with isolated Jupyter config, data and
runtime directories, so it sees only what is installed into the environment (the
sys-prefix `etc/jupyter` and `share/jupyter`): the SynQ labextension and the
`jupyter_server_config.d` file that enables the server extension. Nothing is
enabled by hand here, so the tests also prove that `pip install -e .` is enough.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.fixtures.server_process import ServerProcess

CHROMIUM = os.environ.get("SYNQ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# User settings for the test server: a long poll interval, so that only the panel's
# own fetches (on show, on Refresh) reach /synq/api/health during a test, and no
# "get Jupyter news?" toast over the screenshot.
USER_SETTINGS = {
    "synq-jupyter/plugin.jupyterlab-settings": {"refreshInterval": 3600},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


@pytest.fixture(autouse=True)
def jp_asyncio_loop() -> None:
    """Overrides pytest-jupyter's autouse loop fixture for these tests.

    It would take Playwright's running loop as its own and close it at teardown; the
    browser tests need no in-process server, so there is nothing to set up.
    """


@pytest.fixture(autouse=True)
def jp_server_cleanup() -> None:
    """Overrides pytest-jupyter's autouse cleanup of an in-process server (none here)."""


DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def run_command(page: Page, command: str, args: dict | None = None) -> None:
    """Starts a JupyterLab command in the page (the app is exposed as window.jupyterapp);
    the test then waits for what the command should show."""
    page.evaluate(
        "([command, args]) => { void window.jupyterapp.commands.execute(command, args); }",
        [command, args or {}],
    )


def wait_for_kernel(page: Page, path: str) -> None:
    """Waits until the notebook ``path`` is open in the page (JupyterLab or Notebook 7)
    and its kernel has answered, then makes it the current widget: before that, running
    its cells would do nothing."""
    status = page.evaluate(
        """async path => {
            const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
            for (let i = 0; i < 1200; i++) {
                const app = window.jupyterapp;
                const panel = app && Array.from(app.shell.widgets('main')).find(
                    w => w.context && w.context.path === path
                );
                if (panel) {
                    await panel.sessionContext.ready;
                    const info = await panel.sessionContext.session.kernel.info;
                    app.shell.activateById(panel.id);
                    return info.status;
                }
                await sleep(100);
            }
            return `${path} never opened`;
        }""",
        path,
    )
    assert status == "ok", status


@contextmanager
def dark_theme(page: Page) -> Iterator[None]:
    """JupyterLab Dark, fully applied, for the body of the block; then Light again."""
    run_command(page, "apputils:change-theme", {"theme": "JupyterLab Dark"})
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false", timeout=30_000)
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=30_000)
    yield
    run_command(page, "apputils:change-theme", {"theme": "JupyterLab Light"})
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "true", timeout=30_000)


def screenshot(page: Page, name: str, scratch: Path) -> None:
    """A screenshot of the page: into docs/images/ with SYNQ_UPDATE_SCREENSHOTS=1 (for
    the README), else into ``scratch``, so test runs leave the working tree alone."""
    folder = DOCS_IMAGES if os.environ.get("SYNQ_UPDATE_SCREENSHOTS") == "1" else scratch
    shot = folder / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


class LabServer(ServerProcess):
    """A `jupyter lab` subprocess (see ``ServerProcess``)."""

    def lab_url(self, workspace: str) -> str:
        """JupyterLab in a workspace of its own, so no test inherits another's layout."""
        return f"{self.url}lab/workspaces/{workspace}?token={self.token}"

    def save_notebook(self, name: str, cells: list[str], untrusted: bool = False) -> None:
        """Writes a notebook of unexecuted code cells with a Python 3 kernelspec; with
        ``untrusted``, the first cell keeps an HTML output from elsewhere, as a notebook
        someone sent has, which JupyterLab does not trust."""
        notebook = {
            "cells": [
                {
                    "cell_type": "code",
                    "source": source,
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                }
                for source in cells
            ],
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        if untrusted:
            html = {"text/html": "<b>run elsewhere</b>", "text/plain": "run elsewhere"}
            output = {"output_type": "display_data", "data": html, "metadata": {}}
            notebook["cells"][0]["outputs"] = [output]  # type: ignore[index]
        body = {"type": "notebook", "format": "json", "content": notebook}
        status, answer = self.request("PUT", f"api/contents/{name}", body)
        assert status in (200, 201), answer


def _check_synq_is_installed(server: LabServer) -> None:
    """Fails at once, rather than after a minute of waiting for a sidebar tab.

    The first health call also starts the executor's worker process, so the page's
    first request does not pay for it.
    """
    status, page = server.request("GET", "lab")
    if status != 200 or '"name": "synq-jupyter"' not in str(page):
        pytest.fail(
            f"JupyterLab does not list the synq-jupyter labextension; build and install it "
            f"into {sys.prefix} with `pip install -e .`:\n{server.log.read_text()}"
        )
    status, body = server.request("GET", "synq/api/health")
    if status != 200:
        pytest.fail(
            f"GET /synq/api/health answered {status} (is the synq_jupyter_server extension "
            f"enabled?): {body}\n{server.log.read_text()}"
        )


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A `jupyter lab` subprocess on a free port, with a token and a fresh SQLite file."""
    base = tmp_path_factory.mktemp("lab")
    # Where JupyterLab, Notebook 7 and the kernel all look by default (the kernel reads the
    # theme and SynQ's settings from here too).
    settings = base / "config" / "lab" / "user-settings"
    for name, values in USER_SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    server = LabServer(
        base,
        f"sqlite:///{base / 'synq.sqlite'}",
        [
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            # Stay off the network: no news, no update check, no PyPI extension listing.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            # window.jupyterapp, so a test can run a command (switch the theme).
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
            "--SynqApp.executor_workers=1",
            "--SynqApp.worker_start_method=forkserver",
        ],
        module="jupyterlab",
    )
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        _check_synq_is_installed(server)
        yield server
    finally:
        server.stop()


# Module scope: Playwright's sync API keeps an event loop running on this thread while
# it is open, which pytest-jupyter's loop fixture in later test modules would pick up.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (or set SYNQ_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, lab_server: LabServer) -> Iterator[Page]:
    """A fresh browser context and page (no video, no shared storage between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
