"""The SynQ jobs panel in a real JupyterLab: live over the job event stream, no reloads."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from tests.ui.conftest import LabServer, dark_theme, run_command, screenshot, wait_for_kernel

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 60_000
BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\nmeasure q[0] as a\nmeasure q[1] as b\n"
# Minutes of noisy sampling: long enough to be cancelled while it runs.
LONG_VQE = {
    "hamiltonian": {
        "paulis": ["II", "IZ", "ZI", "ZZ", "XX"],
        "coeffs": [-1.05, 0.39, -0.39, -0.01, 0.18],
    },
    "ansatz": "real_amplitudes",
    "estimator": "noisy",
    "target": "aer_noisy_torino",
    "shots": 200_000,
    "optimizer": "spsa",
    "max_iterations": 10_000,
    "seed": 3,
}


def open_jobs(page: Page, lab_server: LabServer) -> None:
    page.goto(lab_server.lab_url(workspace=f"jobs-{uuid.uuid4().hex[:12]}"))
    tab = page.locator(".jp-SideBar.jp-mod-left").get_by_role("tab", name="SynQ Jobs", exact=True)
    expect(tab).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=FIRST_LOAD_MS)
    tab.click()
    expect(page.locator("#synq-jobs")).to_be_visible()
    expect(page.get_by_test_id("synq-jobs-connection")).to_have_text("live", timeout=FIRST_LOAD_MS)


def job_row(page: Page, job_id: str):
    return page.locator(f'[data-testid="synq-job-row"][data-job-id="{job_id}"]')


def submit(lab_server: LabServer, route: str, body: dict) -> dict:
    status, job = lab_server.request("POST", f"synq/api/{route}", body)
    assert status == 201, job
    return job


def wait_until_finished(lab_server: LabServer, job_id: str, seconds: float) -> dict:
    """The job as the server has it once it is no longer queued or running (or at the end
    of ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        status, stored = lab_server.request("GET", f"synq/api/jobs/{job_id}")
        assert status == 200, stored
        if stored["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return stored
        time.sleep(0.2)


def test_a_submitted_job_appears_and_finishes_without_reload(
    page: Page, lab_server: LabServer
) -> None:
    lists: list[str] = []

    def record(request: Request) -> None:
        url = urlparse(request.url)
        # The newest page; the queued and running jobs (?status=) are fetched beside it.
        if url.path.endswith("/synq/api/jobs") and "status=" not in url.query:
            lists.append(request.url)

    page.on("request", record)
    open_jobs(page, lab_server)
    job = submit(
        lab_server,
        "jobs",
        {
            "kind": "sample",
            "source": BELL,
            "target": "aer_simulator",
            "shots": 256,
            "seed": 5,
            "tags": ["bell", "demo"],
        },
    )

    row = job_row(page, job["id"])
    expect(row).to_be_visible(timeout=30_000)
    expect(row.get_by_test_id("synq-job-tag")).to_have_text(["bell", "demo"])
    expect(row).to_have_attribute("data-status", "succeeded", timeout=60_000)
    # The stream brought it in and moved it on: the list was fetched once, on connecting.
    assert len(lists) == 1
    expect(page.get_by_test_id("synq-queue-depth")).to_have_text("SynQ: 0 active")

    row.get_by_role("button", name=re.compile(f"^Open job {job['id']}")).click()
    detail = page.get_by_test_id("synq-job-detail")
    expect(detail).to_have_attribute("data-job-id", job["id"])
    histogram = detail.get_by_test_id("synq-histogram")
    expect(histogram).to_contain_text("over 256 shots", timeout=30_000)
    outcomes = histogram.locator("[data-outcome]").evaluate_all(
        "rows => rows.map(r => r.dataset.outcome)"
    )
    # A Bell pair measured into two one-bit registers: nothing but "0 0" and "1 1".
    assert set(outcomes) == {"0 0", "1 1"}
    timeline = detail.get_by_test_id("synq-job-timeline")
    expect(timeline).to_contain_text("queued")
    expect(timeline).to_contain_text("succeeded")


def test_a_running_job_is_cancelled_from_the_panel(page: Page, lab_server: LabServer) -> None:
    open_jobs(page, lab_server)
    job = submit(lab_server, "qml/vqe", LONG_VQE)
    row = job_row(page, job["id"])
    expect(row).to_have_attribute("data-status", "running", timeout=60_000)
    expect(page.get_by_test_id("synq-queue-depth")).to_contain_text("1 active")

    # At the sidebar's default width the name is whole (wrapped if it must be), and Cancel
    # goes under the row rather than beside it.
    name = row.locator(".synq-Job-name")
    expect(name).to_have_text(f"vqe · {LONG_VQE['target']}")
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")
    cancel = row.get_by_role("button", name=f"Cancel job {job['id']}")
    cancel.focus()
    page.keyboard.press("Enter")  # keyboard, as a user without a mouse would
    # A running job's work is lost when cancelled: the panel asks first, saying how much.
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(f"Cancel job {job['id'][:12]}?")
    expect(dialog).to_contain_text(re.compile(r"It has run for .*Its work so far is lost"))
    page.keyboard.press("Enter")  # the dialog's default keeps the job: a stray Enter is safe
    expect(dialog).to_have_count(0)
    expect(cancel).to_be_focused()  # the keyboard is back where it asked
    assert not lab_server.request("GET", f"synq/api/jobs/{job['id']}")[1]["cancel_requested"]
    page.keyboard.press("Enter")
    expect(dialog).to_contain_text(f"Cancel job {job['id'][:12]}?")
    page.keyboard.press("ArrowRight")  # to "Cancel job"
    page.keyboard.press("Enter")
    # The server first, then the panel: a failure says which of the two missed the cancel.
    stored = wait_until_finished(lab_server, job["id"], seconds=30)
    assert stored["status"] == "cancelled", (stored, lab_server.log.read_text()[-4000:])
    expect(row).to_have_attribute("data-status", "cancelled", timeout=10_000)
    expect(row.get_by_role("button", name=f"Retry job {job['id']}")).to_be_visible()
    # The keyboard stays in the row: Cancel went away under it, and focus fell to the page.
    expect(row.locator(":focus")).to_have_count(1)


def test_filters_empty_state_and_dark_theme(
    page: Page, lab_server: LabServer, tmp_path: Path
) -> None:
    open_jobs(page, lab_server)
    job = submit(
        lab_server,
        "jobs",
        {"kind": "sample", "source": BELL, "target": "aer_noisy_torino", "shots": 64},
    )
    panel = page.locator("#synq-jobs")
    expect(panel.get_by_test_id("synq-job-row").first).to_be_visible(timeout=30_000)

    panel.get_by_label("Filter jobs by target").select_option("aer_noisy_torino")
    expect(panel.get_by_test_id("synq-job-row").first).to_be_visible()
    panel.get_by_label("Filter jobs by status").select_option("queued")
    panel.get_by_label("Filter jobs by kind").select_option("sample")
    # Every sample job of this server finishes in seconds: none stays queued.
    expect(panel.get_by_test_id("synq-empty")).to_have_text(
        "No job matches the filter.", timeout=30_000
    )
    panel.get_by_label("Filter jobs by status").select_option("")

    with dark_theme(page):
        background = panel.evaluate("node => getComputedStyle(node).backgroundColor")
        assert background != "rgb(255, 255, 255)"  # the theme's colours, not hard-coded ones
        expect(job_row(page, job["id"])).to_have_attribute(
            "data-status", "succeeded", timeout=60_000
        )
        job_row(page, job["id"]).get_by_role("button").first.click()
        expect(panel.get_by_test_id("synq-histogram")).to_be_visible(timeout=30_000)
        # The job's transpile report for the device, one keypress away.
        transpiled = panel.get_by_test_id("synq-job-transpile")
        transpiled.locator("summary").focus()
        page.keyboard.press("Enter")
        _, result = lab_server.request("GET", f"synq/api/jobs/{job['id']}/result")
        expect(transpiled.get_by_test_id("synq-report-depth")).to_have_text(
            str(result["report"]["depth"])
        )
        expect(transpiled.get_by_test_id("synq-report-ops")).to_contain_text("cz")
        screenshot(page, "synq-jobs-dark.png", tmp_path)


def test_a_job_submitted_from_a_cell_is_followed_in_the_panel(
    page: Page, lab_server: LabServer
) -> None:
    name = f"submit-{uuid.uuid4().hex[:6]}.ipynb"
    cells = [
        "print('run elsewhere')",
        "%load_ext synq_jupyter",
        f"%%synq --submit --target aer_simulator --shots 128\n{BELL}",
    ]
    # A notebook from elsewhere, whose first cell's output was not made here: JupyterLab
    # does not trust it, and the widget's button must still open the job without asking to
    # trust the notebook first.
    lab_server.save_notebook(name, cells, untrusted=True)
    open_jobs(page, lab_server)
    run_command(page, "docmanager:open", {"path": name})
    wait_for_kernel(page, name)
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(code_cells).to_have_count(3, timeout=FIRST_LOAD_MS)
    code_cells.nth(1).locator(".jp-InputPrompt").click()
    run_command(page, "notebook:run-all-below")

    show = page.locator(".jp-OutputArea button.synq-OpenInPanel")
    try:
        expect(show).to_be_visible(timeout=120_000)
    except AssertionError:
        outputs = page.locator(".jp-Notebook").inner_text()
        raise AssertionError(f"no job widget; the notebook shows:\n{outputs}") from None
    show.click()
    detail = page.get_by_test_id("synq-job-detail")
    expect(detail).to_be_visible()
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    expect(detail.get_by_test_id("synq-job-detail-status")).to_have_text(
        "succeeded", timeout=60_000
    )
    expect(detail.get_by_test_id("synq-histogram")).to_contain_text("over 128 shots")
    job_id = detail.get_attribute("data-job-id")
    detail.get_by_role("button", name="← All jobs").click()
    expect(job_row(page, job_id or "")).to_have_attribute("data-status", "succeeded")


def test_the_detail_view_follows_cancels_and_shows_expectation_values(
    page: Page, lab_server: LabServer
) -> None:
    open_jobs(page, lab_server)
    running = submit(lab_server, "qml/vqe", LONG_VQE)
    row = job_row(page, running["id"])
    expect(row).to_have_attribute("data-status", "running", timeout=60_000)
    row.get_by_role("button", name=re.compile(f"^Open job {running['id']}")).click()
    detail = page.get_by_test_id("synq-job-detail")
    expect(detail.get_by_test_id("synq-job-progress-message")).to_have_text(
        re.compile(r"\S"), timeout=60_000
    )
    # How long it has run, counting up as it runs, as the widget and Cancel's question say.
    ran = detail.get_by_test_id("synq-job-duration")
    expect(ran).to_contain_text("running for")
    expect(ran).not_to_have_text(ran.inner_text(), timeout=5_000)
    # The timeline follows the job while it is open: no need to go back and open it again.
    # Its progress is one line, the newest update, counting the updates so far.
    newest = detail.get_by_test_id("synq-job-timeline").locator("li").last
    expect(newest).to_contain_text("progress", timeout=60_000)
    expect(newest).not_to_have_text(newest.inner_text(), timeout=60_000)
    detail.get_by_role("button", name="Cancel").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Keep running").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    assert not lab_server.request("GET", f"synq/api/jobs/{running['id']}")[1]["cancel_requested"]
    detail.get_by_role("button", name="Cancel").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Cancel job").click()
    expect(detail.get_by_test_id("synq-job-detail-status")).to_have_text(
        "cancelled", timeout=30_000
    )
    expect(detail.get_by_role("button", name="Retry")).to_be_visible()
    detail.get_by_role("button", name="← All jobs").click()

    estimate = submit(
        lab_server,
        "jobs",
        {"kind": "estimate", "source": BELL, "target": "aer_simulator", "observables": ["ZZ"]},
    )
    row = job_row(page, estimate["id"])
    expect(row).to_have_attribute("data-status", "succeeded", timeout=60_000)
    row.get_by_role("button", name=re.compile(f"^Open job {estimate['id']}")).click()
    values = page.get_by_test_id("synq-job-expectations")
    expect(values).to_contain_text("ZZ")
    expect(values).to_contain_text("1.0000")  # a Bell pair: ⟨ZZ⟩ = 1 exactly
    expect(page.get_by_test_id("synq-job-duration")).to_have_text(
        re.compile(r"^[\d.]+ (µs|ms|s|min|h)( \d+ (s|min))?$")
    )
    page.get_by_role("button", name="← All jobs").click()

    # Deleted elsewhere: the stream takes it off the list.
    assert lab_server.request("DELETE", f"synq/api/jobs/{estimate['id']}")[0] == 204
    expect(row).to_have_count(0, timeout=30_000)

    # An algorithm's result is summed up: a VQE's energy beside the exact one.
    short = {**LONG_VQE, "estimator": "statevector", "max_iterations": 5}
    short.pop("target"), short.pop("shots")
    vqe = submit(lab_server, "qml/vqe", short)
    row = job_row(page, vqe["id"])
    expect(row).to_have_attribute("data-status", "succeeded", timeout=60_000)
    row.get_by_role("button", name=re.compile(f"^Open job {vqe['id']}")).click()
    summary = page.get_by_test_id("synq-job-summary")
    expect(summary).to_contain_text("Energy (Ha)")
    expect(summary).to_contain_text("Exact energy (Ha)")


def test_the_keyboard_goes_into_a_job_and_back_to_its_row(
    page: Page, lab_server: LabServer
) -> None:
    open_jobs(page, lab_server)
    job = submit(
        lab_server,
        "jobs",
        {"kind": "sample", "source": BELL, "target": "aer_simulator", "shots": 16},
    )
    opener = job_row(page, job["id"]).get_by_role(
        "button", name=re.compile(f"^Open job {job['id']}")
    )
    expect(opener).to_be_visible(timeout=30_000)
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="← All jobs")).to_be_focused()
    page.keyboard.press("Escape")
    expect(opener).to_be_focused()


def test_deleted_jobs_leave_the_panel_here_and_in_other_tabs(
    page: Page, lab_server: LabServer
) -> None:
    open_jobs(page, lab_server)
    body = {"kind": "sample", "source": BELL, "target": "aer_simulator", "shots": 64}
    mine, elsewhere = submit(lab_server, "jobs", body), submit(lab_server, "jobs", body)
    for job in (mine, elsewhere):
        expect(job_row(page, job["id"])).to_have_attribute(
            "data-status", "succeeded", timeout=60_000
        )

    job_row(page, mine["id"]).get_by_role(
        "button", name=re.compile(f"^Open job {mine['id']}")
    ).click()
    delete = page.get_by_test_id("synq-job-detail").get_by_role("button", name="Delete")
    delete.click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(f"Delete job {mine['id'][:12]}?")
    page.keyboard.press("Enter")  # the dialog's default keeps the job: a stray Enter is safe
    expect(dialog).to_have_count(0)
    assert lab_server.request("GET", f"synq/api/jobs/{mine['id']}")[0] == 200
    delete.click()
    dialog.get_by_role("button", name="Delete").click()
    gone = page.get_by_test_id("synq-job-gone")
    expect(gone).to_have_text(f"Job {mine['id'][:12]} was deleted.")
    # The Delete button the keyboard was on is gone: the notice has the focus, not the page.
    expect(gone).to_be_focused()
    expect(job_row(page, mine["id"])).to_have_count(0)
    assert lab_server.request("GET", f"synq/api/jobs/{mine['id']}")[0] == 404

    # Deleted by another client (a notebook, another tab): the stream takes the row away.
    status, _ = lab_server.request("DELETE", f"synq/api/jobs/{elsewhere['id']}")
    assert status == 204
    expect(job_row(page, elsewhere["id"])).to_have_count(0, timeout=10_000)


def test_a_batch_jobs_counts_are_shown_one_circuit_at_a_time(
    page: Page, lab_server: LabServer
) -> None:
    open_jobs(page, lab_server)
    flip, stay, both = (
        "qubit q[1]\nquantum x q[0]\n",
        "qubit q[1]\n",
        "qubit q[2]\nquantum x q[1]\n",
    )
    job = submit(
        lab_server,
        "jobs/batch",
        {"sources": [flip, stay, both], "target": "aer_simulator", "shots": 50},
    )
    row = job_row(page, job["id"])
    expect(row).to_have_attribute("data-status", "succeeded", timeout=60_000)
    row.get_by_role("button", name=re.compile(f"^Open job {job['id']}")).click()

    batch = page.get_by_test_id("synq-batch-counts")
    expect(batch).to_contain_text("of 3")
    outcomes = batch.get_by_test_id("synq-histogram").locator("[data-outcome]")
    expect(outcomes).to_have_count(1)
    expect(outcomes).to_have_attribute("data-outcome", "1")
    batch.get_by_role("button", name="Next circuit").click()
    expect(batch.locator(".synq-Batch-source")).to_have_text("sources[1]")
    expect(outcomes).to_have_attribute("data-outcome", "0")
    batch.get_by_role("spinbutton").fill("3")
    expect(outcomes).to_have_attribute("data-outcome", "10")
    expect(batch.get_by_role("button", name="Next circuit")).to_be_disabled()
