"""The live job widget: status, progress bar, elapsed time, Cancel, then the histogram."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from synq_jupyter.kernel.client import ApiError
from synq_jupyter.kernel.job_handle import TERMINAL
from synq_jupyter.kernel.job_stream import follower_for
from synq_jupyter.kernel.lab_settings import plot_template
from synq_jupyter.kernel.theme_follower import theme_follower
from synq_jupyter.kernel.widgets.live_plot import PLOTTED, LivePlot

if TYPE_CHECKING:
    from synq_jupyter.kernel.job_handle import JobHandle

_COLORS = {
    "queued": "var(--jp-warn-color1, #b8860b)",
    "running": "var(--jp-brand-color1, #1976d2)",
    "succeeded": "var(--jp-success-color1, #388e3c)",
    "failed": "var(--jp-error-color1, #d32f2f)",
    "cancelled": "var(--jp-ui-font-color2, #757575)",
    "deleted": "var(--jp-ui-font-color2, #757575)",
}
_BAR_STYLE = {"succeeded": "success", "failed": "danger", "cancelled": "warning"}
EVENT_PAGE = 5000
"""Events read at a time when drawing a running job's past iterations (the route's most)."""
BATCH_PLOTS = 3
"""A batch job's circuits the widget draws a histogram of, the first ones."""
CONFIRM_SECONDS = 5.0
"""How long Cancel, clicked on a running job, waits for the click that confirms it."""
SEEN_SECONDS = 0.5
"""How long the question shows before a click confirms it. A busy kernel handles clicks
only once its cell ends, all at once: two of them must not cancel unasked."""


class JobWidget(widgets.VBox):
    """Follows one job over the server's event stream until it ends.

    Args:
        handle: The job to follow.
        timeout: Seconds each of its requests may wait for an answer (the client's default
            when ``None``): ``wait(timeout=)`` bounds the reads that build the widget.
    """

    def __init__(self, handle: JobHandle, timeout: float | None = None) -> None:
        self.handle = handle
        self._timeout = timeout
        self.header = widgets.HTML()
        self.bar = widgets.FloatProgress(min=0.0, max=1.0, layout=widgets.Layout(width="260px"))
        # HTML, not a Label: a Label cuts a long error at one line; this wraps it.
        self.message = widgets.HTML()
        self.elapsed = widgets.Label()
        self.cancel_button = widgets.Button(
            description="Cancel", icon="stop", button_style="", tooltip="Cancel this job"
        )
        self.cancel_button.on_click(lambda _: self._cancel_clicked())
        self._confirming: threading.Timer | None = None
        self._asked_at = 0.0
        self._kernel_waiting = False
        self.output = widgets.Output()
        first = handle.info(timeout)
        # Algorithm jobs plot their iterations live, between the message and the result.
        self.plot = LivePlot(first["kind"]) if first["kind"] in PLOTTED else None
        plots = [self.plot.widget()] if self.plot is not None else []
        super().__init__(
            [
                self.header,
                widgets.HBox([self.bar, self.elapsed, self.cancel_button]),
                self.message,
                *plots,
                self.output,
            ]
        )
        self.job: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._shown_result = False
        self._lost: str | None = None
        """Why the event stream is down, while it is."""
        self._ticking: threading.Thread | None = None
        self._deleted = False
        self._result: dict[str, Any] | None = None
        self._drawn: str | None = None  # the template the result's figures are drawn in
        self._show(first)
        # Followed for good, past the end: a retried job runs again.
        follower_for(handle.client).subscribe(handle.id, self._on_event)
        self._draw_history()
        # Read again now that events reach us: a short job may have finished while the
        # widget was being built, and its last event would be missed.
        self.refresh()
        theme_follower().follow(self)

    def _draw_history(self) -> None:
        """The iterations a running job reported before this widget was made (attached
        late, after a kernel restart): the stream brings only those after. Only this
        attempt's: a retried job counts its iterations from 1 again. A finished job's
        result draws its whole history itself."""
        if self.plot is None or self.status in TERMINAL:
            return
        points: list[list[float]] = []
        after = 0
        while True:
            page = self.handle.client.request(
                "GET",
                f"jobs/{self.handle.id}/events",
                timeout=self._timeout,
                after=after,
                limit=EVENT_PAGE,
            )["events"]
            for event in page:
                if event["type"] == "status" and event["data"].get("status") == "running":
                    points = []  # an attempt starts
                elif event["type"] == "progress":
                    points += event["data"].get("points") or []
            if len(page) < EVENT_PAGE:
                break
            after = page[-1]["id"]
        if points:
            self.plot.extend(points)

    def __repr__(self) -> str:
        """The widget's ``text/plain``, where it cannot render: the job as its header
        shows it (ipywidgets' default lists the child widgets), then its result as text.

        Taken when the widget is displayed: updating that display later would make
        JupyterLab render the widget again, into the same output, over the one shown."""
        job = getattr(self, "job", None) or {"id": self.handle.id, "target": "?", "status": "?"}
        lines = [f"SynQ job {job['id'][:12]} on {job['target']} · {job['status']}"]
        if job["status"] in ("failed", "cancelled"):
            lines.append(_message(job))
        shown = getattr(getattr(self, "output", None), "outputs", ())
        return "\n".join([*lines, *(o["data"]["text/plain"] for o in shown if _texted(o))])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        # All of the text: ipywidgets cuts it at 110 characters.
        return {**super()._repr_mimebundle_(**kwargs), "text/plain": repr(self)}

    @property
    def status(self) -> str:
        return str(self.job.get("status", "unknown"))

    def refresh(self) -> None:
        """Re-reads the job from the server and redraws."""
        self._show(self.handle.info(self._timeout))

    def _on_event(self, event: dict[str, Any] | None) -> None:
        if self._deleted:  # nothing to read any more: keep showing what was shown
            return
        if event is not None and event["type"] == "deleted":
            self._show_deleted()
            return
        if event is None:  # the stream is (back) up
            self._lost = None
        if event is None or event["type"] == "status":
            self.refresh()
        elif event["type"] == "progress":
            data = event["data"]
            with self._lock:
                self.job = {
                    **self.job,
                    "progress": data["progress"],
                    "progress_message": data["message"],
                }
            self.bar.value = float(data["progress"])
            self.message.value = escape(str(data["message"]), quote=False)
            if self.plot is not None and data.get("points"):
                self.plot.extend(data["points"])
        elif event["type"] == "cancelling":
            self.message.value = "cancelling…"
        elif event["type"] == "disconnected":
            # Until the stream is back (then the job is read again), say so rather than
            # go on showing a status nothing can update.
            self._lost = str(event["data"]["message"])
            self._show(self.job)

    def _show(self, job: dict[str, Any]) -> None:
        status = job["status"]
        with self._lock:  # the stream's thread and the kernel's may both get here
            self.job = job
            show_result = status == "succeeded" and not self._shown_result
            self._shown_result = self._shown_result or show_result
        self.header.value = _header(job)
        self.bar.value = 1.0 if status == "succeeded" else float(job.get("progress") or 0.0)
        self.bar.bar_style = _BAR_STYLE.get(status, "info")
        message = _message(job)
        if self._lost is not None and status not in TERMINAL:
            message = f"lost contact with the SynQ server: {self._lost}; reconnecting…"
        self.message.value = escape(message, quote=False)
        # Asked to cancel, a running job is stopped within seconds: no second click.
        over = status in TERMINAL or bool(job.get("cancel_requested"))
        self.cancel_button.disabled = over or self._kernel_waiting
        if self._kernel_waiting and not over:
            self.cancel_button.tooltip = (
                "The kernel is waiting for this job: interrupt it to stop waiting (the job "
                "goes on), then Cancel"
            )
        elif self._confirming is None:
            self.cancel_button.tooltip = "Cancel this job"
        self.elapsed.value = _elapsed(job)
        if show_result:
            self._show_result()
        if status not in TERMINAL:
            self._keep_ticking()

    def _show_deleted(self) -> None:
        """The job was deleted (here or elsewhere): said so; a result already shown stays,
        as this notebook's copy, and nothing can cancel or read the job any more."""
        with self._lock:
            self._deleted = True
            self.job = {**self.job, "status": "deleted"}
            shown = self._shown_result
        self.header.value = _header(self.job, link=False)
        self.cancel_button.disabled = True
        self.message.value = "deleted from the server" + (
            "; the result below is this notebook's copy" if shown else ""
        )

    def _show_result(self) -> None:
        path = f"jobs/{self.handle.id}/result"
        result = self.handle.client.request("GET", path, timeout=self._timeout)
        drawn = plot_template()  # read before the views read it: a switch meanwhile redraws
        bundles = _result_bundles(result, self.plot)
        # outputs, not ``with self.output``: this runs on a background thread, and the
        # context manager would capture whatever cell is executing meanwhile.
        with self._lock:
            self._result, self._drawn = result, drawn
            self.output.outputs = (*self.output.outputs, *map(_display, bundles))

    def retheme(self, template: str) -> None:
        """Draws the live plot and the result's figures again in the theme's ``template``
        if they are drawn in another (``theme_follower`` asks every second)."""
        if self.plot is not None:
            self.plot.retheme(template)
        with self._lock:
            result, drawn = self._result, self._drawn
        if result is None or drawn == template or not any(map(_plotted, self.output.outputs)):
            return
        # Without the live plot: the views add to it (the whole history, a reference).
        bundles = _result_bundles(result, None)
        with self._lock:
            self.output.outputs = tuple(map(_display, bundles))
            self._drawn = template

    def _cancel_clicked(self) -> None:
        """Cancels a queued job at once. A running one loses its work so far, as a misplaced
        click near the bar would: the first click asks (the button says so, in red for
        ``CONFIRM_SECONDS``), the second cancels."""
        if self.status == "running" and self._confirming is None:
            self.cancel_button.description = "Confirm cancel"
            self.cancel_button.button_style = "danger"
            self.cancel_button.tooltip = "Click again to cancel: the work so far is lost"
            self._asked_at = time.monotonic()
            self._confirming = threading.Timer(CONFIRM_SECONDS, self._stand_down)
            self._confirming.daemon = True
            self._confirming.start()
            return
        if self._confirming is not None and time.monotonic() - self._asked_at < SEEN_SECONDS:
            return  # handled together with the click that asked: not seen, not an answer
        self._stand_down()
        self._cancel()

    def kernel_waiting(self, waiting: bool) -> None:
        """While ``wait()`` holds the kernel, a click would be handled only after the job
        ended: Cancel is off meanwhile, and says how to get it back."""
        self._kernel_waiting = waiting
        self._show(self.job)

    def _stand_down(self) -> None:
        """Cancel as it was before it asked."""
        timer, self._confirming = self._confirming, None
        if timer is not None:
            timer.cancel()
        self.cancel_button.description = "Cancel"
        self.cancel_button.button_style = ""
        self.cancel_button.tooltip = "Cancel this job"

    def _cancel(self) -> None:
        self.cancel_button.disabled = True
        self.message.value = "cancelling…"
        try:
            self._show(self.handle.cancel())
        except ApiError:  # it finished meanwhile: show how
            self.refresh()

    def _keep_ticking(self) -> None:
        """Counts the elapsed time up while the job runs (again, after a retry)."""
        with self._lock:
            if self._ticking is not None and self._ticking.is_alive():
                return
            name = f"synq-job-{self.handle.id[:8]}"
            self._ticking = threading.Thread(target=self._tick, name=name, daemon=True)
        self._ticking.start()

    def _tick(self) -> None:
        while self.status not in TERMINAL:
            self.elapsed.value = _elapsed(self.job)
            time.sleep(1.0)


def _result_bundles(result: dict[str, Any], plot: LivePlot | None) -> list[dict[str, Any]]:
    """The result's displays: its algorithm's view (completing ``plot``), the expectation
    values of an estimate, or a sample's histograms."""
    from synq_jupyter.kernel.algorithm_views import ALGORITHM_VIEWS

    view = ALGORITHM_VIEWS.get(result["kind"])
    if view is not None:
        return view(result, plot)
    if "expectation_values" in result:
        return [_estimates_bundle(result)]
    return _counts_bundles(result)


def _display(bundle: dict[str, Any]) -> dict[str, Any]:
    return {"output_type": "display_data", "data": bundle, "metadata": {}}


def _plotted(output: dict[str, Any]) -> bool:
    return "application/vnd.plotly.v1+json" in output["data"]


def _texted(output: dict[str, Any]) -> bool:
    return "text/plain" in output["data"]


def _panel_link(job_id: str) -> str:
    """A button that opens the job in JupyterLab's SynQ Jobs panel. SynQ's labextension
    handles its clicks: JupyterLab's command linker would first ask to trust a notebook
    that came from elsewhere."""
    return (
        "<button type='button' class='synq-OpenInPanel' title='Open this job in the SynQ "
        f"Jobs panel' data-synq-job-id='{escape(job_id, quote=True)}'>Show in SynQ Jobs</button>"
    )


def _counts_bundles(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A sample job's histogram; a batch's first ``BATCH_PLOTS``, then how to read the rest."""
    from synq_jupyter.kernel.histogram import (
        counts_figure,
        counts_text,
        figure_bundle,
        shots_phrase,
    )

    title = f"{result['target']} · {shots_phrase(result['shots'])} · seed {result['seed']}"
    batch = result["counts"] if isinstance(result["counts"], list) else None
    charts = (
        [(title, result["counts"])]
        if batch is None
        else [
            # Counted from 1, as the jobs panel does, with the index it has in the result.
            (f"circuit {index + 1} of {len(batch):,} (counts[{index}]) · {title}", counts)
            for index, counts in enumerate(batch[:BATCH_PLOTS])
        ]
    )
    bundles = [figure_bundle(counts_figure(c, t), counts_text(c, t)) for t, c in charts]
    if batch is not None and len(batch) > BATCH_PLOTS:
        rest = f"… {len(batch) - BATCH_PLOTS:,} more circuits: result()['counts'][i]"
        bundles.append({"text/plain": rest, "text/html": escape(rest)})
    return bundles


def _estimates_bundle(result: dict[str, Any]) -> dict[str, str]:
    """Each observable with its expectation value and standard error, one per line."""
    observables = result.get("observables") or [None] * len(result["expectation_values"])
    lines = [
        f"⟨{_observable_label(terms) if terms else f'O{index}'}⟩ = {value:.4f} ± {error:.4f}"
        for index, (terms, value, error) in enumerate(
            zip(observables, result["expectation_values"], result["standard_errors"], strict=True)
        )
    ]
    return {"text/plain": "\n".join(lines), "text/html": "<br>".join(map(escape, lines))}


def _observable_label(terms: list[list[Any]]) -> str:
    """``ZZ``, or ``0.5·ZZ + 0.5·XX`` for a weighted sum of Pauli strings."""
    if len(terms) == 1 and terms[0][1] == 1:
        return str(terms[0][0])
    return " + ".join(f"{coeff:g}·{label}" for label, coeff in terms).replace("+ -", "- ")


def _header(job: dict[str, Any], link: bool = True) -> str:
    """The job's id, target and status, and the link to it in the SynQ Jobs panel."""
    status = job["status"]
    color = _COLORS.get(status, "inherit")
    # A job that never started has no attempt to count.
    attempt = f" · attempt {job['attempts']}" if job["attempts"] else ""
    return (
        f"<b>SynQ job</b> <code>{escape(job['id'][:12])}</code> on "
        f"<b>{escape(job['target'])}</b> · <span style='color:{color};font-weight:bold'>"
        f"{escape(status)}</span>{attempt}" + (f" {_panel_link(job['id'])}" if link else "")
    )


def _message(job: dict[str, Any]) -> str:
    """The line under the bar: the failure, what the job is doing, or how it was cancelled."""
    if job["status"] == "cancelled":
        if not job.get("started_at"):
            return "cancelled while queued" if job["attempts"] else "cancelled before it started"
        progress = job.get("progress")
        return "cancelled while running" + (f", at {progress:.0%}" if progress else "")
    if job.get("cancel_requested") and job["status"] not in TERMINAL:
        return "cancelling…"
    return str(job.get("error") or job.get("progress_message") or "")


def _elapsed(job: dict[str, Any]) -> str:
    if not job.get("started_at"):
        # Queued jobs wait; one that ended without starting has no time to show.
        return "" if job["status"] in TERMINAL else "waiting"
    start = _instant(job["started_at"])
    end = _instant(job["finished_at"]) if job.get("finished_at") else None
    seconds = ((end or datetime.now(timezone.utc)) - start).total_seconds()
    return f"{seconds:,.1f} s"


def _instant(text: str) -> datetime:
    """An ISO 8601 time from the server, whose ``Z`` Python 3.10's parser does not read."""
    return datetime.fromisoformat(text.removesuffix("Z") + "+00:00" if text.endswith("Z") else text)
