"""The live plot's synced state: what a view drawn after the updates shows."""

from __future__ import annotations

from synq_jupyter.kernel.widgets.live_plot import LivePlot


def drawn(plot: LivePlot) -> tuple[list[float], list[float]]:
    """The line a browser view created now would draw (the widget's synced state)."""
    line = plot.figure._widget_data[0]
    return list(line["x"]), list(line["y"])


def test_points_sent_before_the_view_exists_are_in_its_state():
    """In a busy browser the plot's view can be drawn after the job's first iterations (or
    after the job ended); those iterations must not be missing from it."""
    plot = LivePlot("vqe")
    plot.extend([[2, -1.10], [1, -0.90]])
    plot.extend([[2, -1.10], [3, -1.13]])  # an event seen twice
    assert drawn(plot) == ([1, 2, 3], [-0.90, -1.10, -1.13])


def test_a_finished_jobs_history_and_reference_line_are_in_its_state():
    plot = LivePlot("vqe")
    plot.replace([-0.9, -1.1, -1.137])
    plot.reference(-1.137306, "exact")
    assert drawn(plot) == ([1, 2, 3], [-0.9, -1.1, -1.137])
    assert [shape["y0"] for shape in plot.figure._widget_layout["shapes"]] == [-1.137306]
