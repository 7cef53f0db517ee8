"""A plotly line that grows while a job runs: VQE energies, QAOA objectives, QNN losses."""

from __future__ import annotations

import threading
from copy import deepcopy
from typing import Any

from synq_jupyter.kernel.lab_settings import plot_template

# What each job kind plots, per iteration: (title, x axis, y axis).
PLOTTED = {
    "vqe": ("VQE convergence", "iteration", "energy (Ha)"),
    "qaoa": ("QAOA optimisation", "iteration", "⟨C⟩"),
    "qnn_train": ("QNN training", "epoch", "loss"),
}


class LivePlot:
    """A ``FigureWidget`` with one line, extended from any thread.

    Args:
        kind: A job kind in ``PLOTTED``.
    """

    def __init__(self, kind: str) -> None:
        import plotly.graph_objects as go

        title, x_title, y_title = PLOTTED[kind]
        self.template = plot_template()
        """The template it is drawn in."""
        self.figure = go.FigureWidget(
            layout={
                "title": {"text": title},
                "xaxis": {"title": {"text": x_title}},
                "yaxis": {"title": {"text": y_title}},
                "height": 300,
                "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
                "template": self.template,
                "showlegend": True,
            }
        )
        self.figure.add_scatter(x=[], y=[], mode="lines+markers", name=y_title)
        self._lock = threading.Lock()
        self._seen: set[float] = set()

    @property
    def points(self) -> list[tuple[float, float]]:
        line = self.figure.data[0]
        return list(zip(line.x or (), line.y or (), strict=True))

    def extend(self, points: list[list[float]]) -> None:
        """Adds ``[x, y]`` points; an x already shown (an event seen twice) is skipped."""
        with self._lock:
            fresh = [(x, y) for x, y in points if x not in self._seen]
            if not fresh:
                return
            self._seen.update(x for x, _ in fresh)
            line = self.figure.data[0]
            merged = sorted([*zip(line.x or (), line.y or (), strict=True), *fresh])
            with self.figure.batch_update():
                line.x = [x for x, _ in merged]
                line.y = [y for _, y in merged]
            self._sync_state()

    def replace(self, history: list[float], start: int = 1) -> None:
        """Shows a finished job's whole history (e.g. after attaching late)."""
        with self._lock:
            self._seen = {float(start + i) for i in range(len(history))}
            line = self.figure.data[0]
            with self.figure.batch_update():
                line.x = [start + i for i in range(len(history))]
                line.y = list(history)
            self._sync_state()

    def reference(self, value: float, name: str) -> None:
        """A dashed horizontal line, e.g. the exact ground-state energy."""
        with self._lock:
            self.figure.add_hline(y=value, line_dash="dash", annotation_text=name)
            self._sync_state()

    def retheme(self, template: str) -> None:
        """Draws the plot again in ``template``, if it is drawn in another."""
        with self._lock:
            if template == self.template:
                return
            self.template = template
            self.figure.layout.template = template
            self._sync_state()

    def _sync_state(self) -> None:
        # A FigureWidget sends each change as a message that only the views already drawn
        # apply; a view drawn later (the browser still loading plotly, a notebook opened
        # afterwards) draws the widget's synced state. Plotly refreshes that state when the
        # figure itself is displayed, not when a box holding it is: keep it current here.
        self.figure._widget_data = deepcopy(self.figure._data)
        self.figure._widget_layout = deepcopy(self.figure._layout_obj._props)

    def widget(self) -> Any:
        return self.figure
