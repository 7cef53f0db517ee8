"""Counts as a plotly bar chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synq_jupyter.kernel.lab_settings import plot_template

if TYPE_CHECKING:
    import plotly.graph_objects as go

MAX_BARS = 64
TEXT_OUTCOMES = 8
"""Outcomes the plain-text summary lists, most frequent first."""


def counts_figure(counts: dict[str, int], title: str) -> go.Figure:
    """A bar per outcome, in bitstring order; beyond ``MAX_BARS`` only the most frequent.

    Args:
        counts: Samples per outcome, as Qiskit keys them.
        title: Figure title.
    """
    import plotly.graph_objects as go

    shown = dict(counts)
    hidden = 0
    if len(shown) > MAX_BARS:
        top = sorted(shown.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_BARS]
        hidden = len(shown) - MAX_BARS
        shown = dict(top)
    outcomes = sorted(shown)
    total = sum(counts.values())
    figure = go.Figure(
        go.Bar(
            x=outcomes,
            y=[shown[o] for o in outcomes],
            customdata=[[shown[o] / total, _shots_word(shown[o])] for o in outcomes],
            hovertemplate="%{x}: %{y} %{customdata[1]} (%{customdata[0]:.1%})<extra></extra>",
            marker_color="#6f42c1",
        )
    )
    subtitle = f" — {hidden} rarer outcomes not shown" if hidden else ""
    figure.update_layout(
        title=f"{title}{subtitle}",
        xaxis_title="outcome",
        yaxis_title="shots",
        xaxis_type="category",
        height=340,
        margin={"l": 50, "r": 20, "t": 50, "b": 50},
        template=plot_template(),
    )
    return figure


def shots_phrase(shots: int) -> str:
    """``1 shot``, ``1,024 shots``."""
    return f"{shots:,} {_shots_word(shots)}"


def _shots_word(shots: int) -> str:
    return "shot" if shots == 1 else "shots"


def counts_text(counts: dict[str, int], title: str) -> str:
    """One line for where the chart cannot show (a terminal, a diff, a screen reader):
    ``title · 00: 153, 11: 147``, the ``TEXT_OUTCOMES`` most frequent outcomes."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{outcome}: {count:,}" for outcome, count in top[:TEXT_OUTCOMES])
    more = len(top) - TEXT_OUTCOMES
    return f"{title} · {listed}" + (f", … {more:,} more outcomes" if more > 0 else "")


def figure_bundle(figure: go.Figure, text: str | None = None) -> dict[str, Any]:
    """The MIME bundle JupyterLab renders a plotly figure from (for ``Output`` widgets),
    with ``text`` as its plain-text form (the figure's title when ``None``)."""
    import json

    import plotly.io as pio

    spec = json.loads(pio.to_json(figure, validate=False))
    return {
        "application/vnd.plotly.v1+json": {**spec, "config": {"displaylogo": False}},
        "text/plain": text if text is not None else f"<Figure: {figure.layout.title.text}>",
    }
