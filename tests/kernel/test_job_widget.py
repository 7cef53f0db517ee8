"""The live job widget: it never misses the end of a job that finishes while it is built."""

from __future__ import annotations

import time
from typing import Any

import pytest

from synq_jupyter.kernel.widgets import job_widget
from synq_jupyter.kernel.widgets.job_widget import JobWidget

JOB_ID = "5ef9a63ee3914a68973bb28f2afacf37"


def job(status: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": JOB_ID,
        "kind": "sample",
        "status": status,
        "target": "aer_simulator",
        "attempts": 1,
        "started_at": "2026-11-27T00:00:00+00:00",
        "finished_at": "2026-11-27T00:00:01+00:00" if status == "succeeded" else None,
        "progress": 1.0 if status == "succeeded" else 0.5,
        "progress_message": None,
        "error": None,
        **changes,
    }


class Server:
    """Answers as the SynQ API would, one job whose state the test moves on."""

    url = "http://127.0.0.1:1/"

    def __init__(self, states: list[str], **changes: Any) -> None:
        self.states = states
        self.changes = changes
        self.result_reads = 0

    def request(self, method: str, path: str, timeout: float | None = None) -> dict[str, Any]:
        if path.endswith("/result"):
            self.result_reads += 1
            return {
                "kind": "sample",
                "counts": {"00": 60, "11": 68},
                "shots": 128,
                "seed": 3,
                "target": "aer_simulator",
            }
        status = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return job(status, **self.changes)


class Handle:
    def __init__(self, server: Server) -> None:
        self.id = JOB_ID
        self.client = server

    def info(self, timeout: float | None = None) -> dict[str, Any]:
        return self.client.request("GET", f"jobs/{JOB_ID}")


class SilentStream:
    """A stream that is up but brings nothing: the job's last event came before."""

    def subscribe(self, job_id: str, listener: Any) -> Any:
        return lambda: None


@pytest.fixture(autouse=True)
def silent_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_widget, "follower_for", lambda client: SilentStream())
    # A test's clicks come one after the other at once; the pause a user's second click
    # comes after is tested on its own.
    monkeypatch.setattr(job_widget, "SEEN_SECONDS", 0.0)


def test_a_job_that_ends_while_the_widget_is_built_is_shown_finished() -> None:
    server = Server(["running", "succeeded"])  # running when first read, then done
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.status == "succeeded"
    assert widget.cancel_button.disabled
    assert widget.bar.value == 1.0
    assert "succeeded" in widget.header.value
    (shown,) = widget.output.outputs
    assert "application/vnd.plotly.v1+json" in shown["data"]


def test_the_result_is_shown_once_however_often_the_job_is_read() -> None:
    server = Server(["succeeded"])
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    widget.refresh()
    widget.refresh()
    assert server.result_reads == 1
    assert len(widget.output.outputs) == 1


def test_a_job_cancelled_while_queued_says_it_never_started() -> None:
    server = Server(["cancelled"], started_at=None, attempts=0, progress=None)
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.message.value == "cancelled before it started"
    assert widget.elapsed.value == ""
    assert "attempt" not in widget.header.value
    assert "cancelled" in widget.header.value


def test_a_job_cancelled_back_in_the_queue_says_so() -> None:
    """Requeued after a lost worker, it has run once but not in this attempt."""
    server = Server(["cancelled"], started_at=None, attempts=1, progress=None)
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.message.value == "cancelled while queued"
    assert "attempt 1" in widget.header.value


def test_a_job_cancelled_while_running_says_how_far_it_got() -> None:
    server = Server(["cancelled"], finished_at="2026-11-27T00:00:02+00:00", progress=0.4)
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.message.value == "cancelled while running, at 40%"
    assert widget.elapsed.value == "2.0 s"
    assert "attempt 1" in widget.header.value


def test_a_failed_jobs_error_is_shown_as_text_not_markup() -> None:
    error = "QiskitError: 'x <b>not</b> y' & more"
    server = Server(["failed"], error=error, progress=None)
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.message.value == "QiskitError: 'x &lt;b&gt;not&lt;/b&gt; y' &amp; more"


def test_cancel_clicked_as_the_job_succeeds_shows_it_succeeded() -> None:
    """The server refuses to cancel a finished job (409): the widget shows how it ended."""
    from synq_jupyter.kernel.client import ApiError

    server = Server(["running", "running", "succeeded"])
    handle = Handle(server)

    def refuse() -> dict[str, Any]:
        raise ApiError(409, "the job already succeeded: there is nothing to cancel", {})

    handle.cancel = refuse  # type: ignore[attr-defined]
    widget = JobWidget(handle)  # type: ignore[arg-type]
    assert widget.status == "running"
    widget.cancel_button.click()
    widget.cancel_button.click()  # a running job: the second click confirms
    assert widget.status == "succeeded"
    assert widget.message.value != "cancelling…"


def test_the_widget_and_its_histogram_read_as_plain_text() -> None:
    """Where widgets cannot render (a terminal, a diff of the notebook)."""
    widget = JobWidget(Handle(Server(["succeeded"])))  # type: ignore[arg-type]
    counts = "aer_simulator · 128 shots · seed 3 · 11: 68, 00: 60"
    assert widget._repr_mimebundle_()["text/plain"] == (
        f"SynQ job {JOB_ID[:12]} on aer_simulator · succeeded\n{counts}"
    )
    (shown,) = widget.output.outputs
    assert shown["data"]["text/plain"] == counts


def test_a_lost_server_is_said_until_the_stream_is_back() -> None:
    server = Server(["running"])
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    lost = {"type": "disconnected", "data": {"message": "the server is not running"}}
    widget._on_event(lost)
    assert widget.message.value == (
        "lost contact with the SynQ server: the server is not running; reconnecting…"
    )
    widget.refresh()  # an answer over HTTP is not the stream: still lost
    assert widget.message.value.startswith("lost contact")
    widget._on_event(None)  # the stream is back: the job is read again
    assert widget.message.value == ""
    assert widget.status == "running"


def test_a_finished_job_does_not_say_the_server_is_lost() -> None:
    widget = JobWidget(Handle(Server(["succeeded"])))  # type: ignore[arg-type]
    widget._on_event({"type": "disconnected", "data": {"message": "gone"}})
    assert "lost" not in widget.message.value


def test_a_cancel_in_progress_keeps_the_button_off_and_says_so() -> None:
    """The cancel's answer still says running (the job stops within seconds): the button
    must not come back on, nor the progress message replace "cancelling…"."""
    server = Server(["running"], progress_message="250 of 1,500 circuits")
    handle = Handle(server)
    handle.cancel = lambda: job("running", cancel_requested=True)  # type: ignore[attr-defined]
    widget = JobWidget(handle)  # type: ignore[arg-type]
    assert not widget.cancel_button.disabled
    widget.cancel_button.click()
    widget.cancel_button.click()
    assert widget.cancel_button.disabled
    assert widget.message.value == "cancelling…"


def test_cancelling_a_running_job_takes_a_second_click(monkeypatch) -> None:
    """Its work so far is lost: the first click asks, and stands down unanswered."""
    monkeypatch.setattr(job_widget, "CONFIRM_SECONDS", 0.2)
    asked: list[str] = []
    handle = Handle(Server(["running"]))
    handle.cancel = recorded(asked, job("running", cancel_requested=True))  # type: ignore[attr-defined]
    widget = JobWidget(handle)  # type: ignore[arg-type]
    widget.cancel_button.click()
    assert (asked, widget.cancel_button.description) == ([], "Confirm cancel")
    assert widget.cancel_button.button_style == "danger"
    deadline = time.monotonic() + 10
    while widget.cancel_button.description != "Cancel" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert widget.cancel_button.description == "Cancel"  # unanswered: as it was
    widget.cancel_button.click()
    widget.cancel_button.click()
    assert asked == ["cancel"]
    assert widget.cancel_button.disabled


def test_a_queued_job_is_cancelled_at_the_first_click() -> None:
    asked: list[str] = []
    handle = Handle(Server(["queued"]))
    handle.cancel = recorded(asked, job("cancelled"))  # type: ignore[attr-defined]
    widget = JobWidget(handle)  # type: ignore[arg-type]
    widget.cancel_button.click()
    assert asked == ["cancel"]
    assert widget.status == "cancelled"


class Stream:
    """A stream the test speaks through: its listeners, until they unsubscribe."""

    def __init__(self) -> None:
        self.listeners: list[Any] = []

    def subscribe(self, job_id: str, listener: Any) -> Any:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def status(self, status: str) -> None:
        for listener in list(self.listeners):
            listener({"type": "status", "job_id": JOB_ID, "data": {"status": status}})


def test_a_retried_job_is_followed_to_its_new_end(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Stream()
    monkeypatch.setattr(job_widget, "follower_for", lambda client: stream)
    server = Server(["failed"], error="worker lost")
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.status == "failed"
    server.states = ["running"]  # retried
    server.changes = {}
    stream.status("running")
    assert widget.status == "running"
    assert not widget.cancel_button.disabled
    server.states = ["succeeded"]
    stream.status("succeeded")
    assert widget.status == "succeeded"
    (shown,) = widget.output.outputs
    assert "application/vnd.plotly.v1+json" in shown["data"]


def test_times_with_a_z_are_read_on_every_python() -> None:
    """The server writes UTC as ``Z``, which Python 3.10's ``fromisoformat`` refuses."""
    finished = job(
        "succeeded", started_at="2026-11-27T00:00:00.5Z", finished_at="2026-11-27T00:00:02Z"
    )
    assert job_widget._elapsed(finished) == "1.5 s"
    assert job_widget._instant("2026-11-27T00:00:00Z").utcoffset() is not None


def test_a_deleted_job_says_so_and_keeps_its_result_as_a_copy() -> None:
    """It went on saying "succeeded" though status() and result() were 404s."""
    server = Server(["succeeded"])
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    widget._on_event({"type": "deleted", "job_id": JOB_ID, "data": {}})
    assert ">deleted</span>" in widget.header.value
    assert "panel" not in widget.header.value.lower()  # nothing left to show there
    assert widget.message.value == (
        "deleted from the server; the result below is this notebook's copy"
    )
    assert widget.cancel_button.disabled
    assert len(widget.output.outputs) == 1
    assert repr(widget).startswith(f"SynQ job {JOB_ID[:12]} on aer_simulator · deleted\n")
    server.request = lambda *args, **kwargs: pytest.fail("a deleted job was read again")
    widget._on_event(None)  # the stream coming back reads nothing


class ResultServer(Server):
    """A finished job whose result the test gives."""

    def __init__(self, result: dict[str, Any], kind: str) -> None:
        super().__init__(["succeeded"], kind=kind)
        self.result = result

    def request(self, method: str, path: str, timeout: float | None = None) -> dict[str, Any]:
        if path.endswith("/result"):
            return {"kind": self.changes["kind"], "target": "aer_simulator", **self.result}
        return super().request(method, path, timeout)


def test_a_batchs_first_circuits_are_drawn_and_the_rest_said() -> None:
    """It showed only "5 circuits sampled"."""
    counts = [{"0": 10 + i, "1": 10 - i} for i in range(5)]
    result = {"counts": counts, "shots": 20, "seed": 4}
    widget = JobWidget(Handle(ResultServer(result, "sample_batch")))  # type: ignore[arg-type]
    *charts, rest = [output["data"] for output in widget.output.outputs]
    assert len(charts) == job_widget.BATCH_PLOTS == 3
    assert all("application/vnd.plotly.v1+json" in chart for chart in charts)
    assert (
        charts[1]["text/plain"]
        == "circuit 2 of 5 (counts[1]) · aer_simulator · 20 shots · seed 4 · 0: 11, 1: 9"
    )
    assert rest["text/plain"] == "… 2 more circuits: result()['counts'][i]"
    # The widget's own text holds all of them, uncut (ipywidgets stops at 110 characters).
    text = widget._repr_mimebundle_()["text/plain"]
    assert len(text) > 110
    assert text.endswith(rest["text/plain"])


def test_each_expectation_value_is_shown_with_its_observable() -> None:
    """The values were listed with nothing saying which observable each belongs to."""
    result = {
        "observables": [[["ZZ", 1.0]], [["XX", 0.5], ["ZI", -0.25]]],
        "expectation_values": [1.0, 0.125],
        "standard_errors": [0.0, 0.01],
        "shots": None,
        "seed": 1,
    }
    widget = JobWidget(Handle(ResultServer(result, "estimate")))  # type: ignore[arg-type]
    (shown,) = widget.output.outputs
    assert shown["data"]["text/plain"] == (
        "⟨ZZ⟩ = 1.0000 ± 0.0000\n⟨0.5·XX - 0.25·ZI⟩ = 0.1250 ± 0.0100"
    )


def recorded(calls: list[str], answer: dict[str, Any]) -> Any:
    """A handle's ``cancel`` that notes each call and answers ``answer``."""

    def cancel() -> dict[str, Any]:
        calls.append("cancel")
        return answer

    return cancel


def test_a_job_of_one_shot_is_titled_in_the_singular() -> None:
    result = {"target": "aer_simulator", "shots": 1, "seed": 3, "counts": {"1": 1}}
    (shown,) = job_widget._counts_bundles(result)
    assert shown["text/plain"] == "aer_simulator · 1 shot · seed 3 · 1: 1"


def test_a_sampled_vqe_says_the_shots_it_used_and_an_exact_one_does_not() -> None:
    from synq_jupyter.kernel.algorithm_views import vqe_view

    result = {
        "energy": -1.1,
        "std_error": 0.01,
        "exact_energy": None,
        "num_qubits": 2,
        "ansatz": "efficient_su2",
        "optimizer": "spsa",
        "estimator": "shots",
        "evaluations": 12,
        "shots": 1000,
        "shots_used": 12_012,
        "seed": 4,
    }
    (table,) = vqe_view(result, None)
    assert "shots used: 12,012 (1,000 shots per estimate)" in table["text/plain"]
    (exact,) = vqe_view({**result, "estimator": "statevector", "shots_used": 0}, None)
    assert "shots used" not in exact["text/plain"]


def test_a_cost_estimate_of_one_shot_says_shot() -> None:
    from synq_jupyter.kernel.algorithm_views import cost_view

    row = {
        "target": "ionq_aria_1",
        "feasible": True,
        "two_qubit_count": 1,
        "estimated_success_probability": 0.97,
        "estimated_run_time_s": 0.2,
        "price": 0.33,
        "currency": "USD",
        "reason": None,
        "price_formula": "0.30 + 1 x 0.03",
    }
    table, figure = cost_view({"shots": 1, "rows": [row]}, None)
    assert "Cost and feasibility (1 shot)" in table["text/plain"]
    assert figure["application/vnd.plotly.v1+json"]["layout"]["title"]["text"] == (
        "1 shot on each target"
    )


def test_two_clicks_handled_together_do_not_cancel_unasked(monkeypatch) -> None:
    """A busy kernel handles the clicks made meanwhile at once, when its cell ends: the
    question was never seen, so the second click is no answer."""
    monkeypatch.setattr(job_widget, "SEEN_SECONDS", 0.2)
    asked: list[str] = []
    handle = Handle(Server(["running"]))
    handle.cancel = recorded(asked, job("running", cancel_requested=True))  # type: ignore[attr-defined]
    widget = JobWidget(handle)  # type: ignore[arg-type]
    widget.cancel_button.click()
    widget.cancel_button.click()
    assert (asked, widget.cancel_button.description) == ([], "Confirm cancel")
    time.sleep(0.3)  # seen: now a click answers
    widget.cancel_button.click()
    assert asked == ["cancel"]


def test_cancel_is_off_while_the_kernel_waits_for_the_job() -> None:
    """Under wait() a click would be handled only after the job ended."""
    widget = JobWidget(Handle(Server(["running"])))  # type: ignore[arg-type]
    widget.kernel_waiting(True)
    assert widget.cancel_button.disabled
    assert "interrupt it to stop waiting" in widget.cancel_button.tooltip
    widget._on_event({"type": "status"})  # a status event must not turn it back on
    assert widget.cancel_button.disabled
    widget.kernel_waiting(False)
    assert not widget.cancel_button.disabled
    assert widget.cancel_button.tooltip == "Cancel this job"


class HistoryServer(Server):
    """A running VQE with progress events before the widget was made, over two attempts."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        super().__init__(["running"], kind="vqe")
        self.events = events
        self.pages: list[tuple[int, int]] = []

    def request(
        self, method: str, path: str, timeout: float | None = None, **params: Any
    ) -> dict[str, Any]:
        if path.endswith("/events"):
            self.pages.append((params["after"], params["limit"]))
            later = [e for e in self.events if e["id"] > params["after"]]
            return {"events": later[: params["limit"]]}
        return super().request(method, path, timeout)


def test_attaching_to_a_running_algorithm_draws_its_iterations_so_far(monkeypatch) -> None:
    """Attached at iteration 150, the plot started at 148: the stream brings only what
    comes after. This attempt's iterations only: a retry counts from 1 again."""
    monkeypatch.setattr(job_widget, "EVENT_PAGE", 2)

    def progress(id_: int, points: list[list[float]]) -> dict[str, Any]:
        return {"id": id_, "type": "progress", "data": {"progress": 0.1, "points": points}}

    def status(id_: int, value: str) -> dict[str, Any]:
        return {"id": id_, "type": "status", "data": {"status": value}}

    server = HistoryServer(
        [
            status(1, "running"),
            progress(2, [[1, -0.5]]),
            status(3, "queued"),  # the first attempt failed and was retried
            status(4, "running"),
            progress(5, [[1, -0.9], [2, -1.0]]),
            progress(6, [[3, -1.1]]),
        ]
    )
    widget = JobWidget(Handle(server))  # type: ignore[arg-type]
    assert widget.plot is not None
    line = widget.plot.figure.data[0]
    assert (list(line.x), list(line.y)) == ([1, 2, 3], [-0.9, -1.0, -1.1])
    assert server.pages == [(0, 2), (2, 2), (4, 2), (6, 2)]  # every page, in order
