"""Plots drawn before a theme switch follow it: the follower tells the widgets still shown,
and a job widget draws its histogram again in the new template."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from synq_jupyter.kernel.lab_settings import THEME_FILE
from synq_jupyter.kernel.theme_follower import ThemeFollower
from synq_jupyter.kernel.widgets import job_widget
from synq_jupyter.kernel.widgets.job_widget import JobWidget
from synq_jupyter.kernel.widgets.live_plot import LivePlot
from tests.kernel.test_job_widget import Handle, Server, SilentStream


class Plot:
    def __init__(self, fails: bool = False) -> None:
        self.templates: list[str] = []
        self.fails = fails

    def retheme(self, template: str) -> None:
        self.templates.append(template)
        if self.fails:
            raise RuntimeError("gone")


def test_every_plot_alive_is_told_each_template_read_and_an_unreadable_one_is_skipped(caplog):
    themes = iter(["plotly_white", None, "plotly_dark"])  # None: the file half-written
    follower = ThemeFollower(read=lambda: next(themes))
    kept, failing, dropped = Plot(), Plot(fails=True), Plot()
    for plot in (kept, failing, dropped):
        follower.follow(plot)
    del dropped
    gc.collect()
    for _ in range(3):
        follower.check()
    # A plot that fails does not stop the others, and is reported once, not every second.
    assert kept.templates == failing.templates == ["plotly_white", "plotly_dark"]
    assert caplog.text.count("could not redraw a plot") == 1


def paper(widget: JobWidget) -> str:
    (shown,) = widget.output.outputs
    figure = shown["data"]["application/vnd.plotly.v1+json"]
    return figure["layout"]["template"]["layout"]["paper_bgcolor"]


def test_a_job_widget_draws_its_histogram_again_in_the_new_theme(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    monkeypatch.setattr(job_widget, "follower_for", lambda client: SilentStream())
    theme = tmp_path / THEME_FILE
    theme.parent.mkdir(parents=True)
    theme.write_text(json.dumps({"theme": "JupyterLab Light"}))
    widget = JobWidget(Handle(Server(["succeeded"])))  # type: ignore[arg-type]
    light, before = paper(widget), widget.output.outputs

    widget.retheme("plotly_white")  # what it is drawn in: nothing to do
    assert widget.output.outputs is before

    theme.write_text(json.dumps({"theme": "JupyterLab Dark"}))
    widget.retheme("plotly_dark")

    assert paper(widget) != light
    assert paper(widget) == "rgb(17,17,17)"  # plotly_dark's
    (shown,) = widget.output.outputs  # drawn again, not added to
    assert shown["data"]["text/plain"].startswith("aer_simulator · 128 shots")


def test_a_live_plot_takes_the_new_template_and_keeps_its_points():
    plot = LivePlot("vqe")
    plot.extend([[1, -1.0], [2, -1.1]])
    plot.retheme("plotly_dark")
    assert plot.figure.layout.template.layout.paper_bgcolor == "rgb(17,17,17)"
    assert plot.points == [(1, -1.0), (2, -1.1)]
    # What a view drawn later shows (the synced state) has it too.
    assert plot.figure._widget_layout["template"]["layout"]["paper_bgcolor"] == "rgb(17,17,17)"


def test_a_theme_file_being_written_reads_as_unknown_not_as_light(tmp_path: Path, caplog):
    """JupyterLab empties the file before writing it: read then, it is no theme at all."""
    from synq_jupyter.kernel.lab_settings import plot_template_now

    assert plot_template_now(tmp_path) == "plotly_white"  # no file: the default
    theme = tmp_path / THEME_FILE
    theme.parent.mkdir(parents=True)
    theme.write_text("")
    assert plot_template_now(tmp_path) is None
    theme.write_text('{"theme": "JupyterLab Dark"}')
    assert plot_template_now(tmp_path) == "plotly_dark"
    assert caplog.text == ""  # read every second: never a warning
