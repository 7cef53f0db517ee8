"""Notebook views of finished algorithm jobs: tables and plotly figures per kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from synq_jupyter.kernel.histogram import shots_phrase
from synq_jupyter.kernel.lab_settings import plot_template
from synq_jupyter.kernel.views import rows_bundle, table_bundle

if TYPE_CHECKING:
    from synq_jupyter.kernel.widgets.live_plot import LivePlot

Bundle = dict[str, Any]


def vqe_view(result: dict[str, Any], plot: LivePlot | None) -> list[Bundle]:
    """The energy against the exact one, and the convergence (completed from the result)."""
    if plot is not None:
        plot.replace(result["history"])
        if result.get("exact_energy") is not None:
            plot.reference(result["exact_energy"], "exact")
    rows: list[tuple[str, Any]] = [("energy (Ha)", _number(result["energy"], 10))]
    if result.get("std_error") is not None:
        rows.append(("standard error", _number(result["std_error"], 6)))
    if result.get("exact_energy") is not None:
        rows += [
            ("exact ground energy (Ha)", _number(result["exact_energy"], 10)),
            ("error (Ha)", f"{result['error']:.3e}"),
        ]
    rows += [
        ("qubits", result["num_qubits"]),
        ("ansatz · optimizer · estimator", _joined(result, "ansatz", "optimizer", "estimator")),
        ("evaluations", result["evaluations"]),
        *_shots_used(result),
        ("seed", result["seed"]),
    ]
    return [table_bundle(rows, "VQE result")]


def qaoa_view(result: dict[str, Any], plot: LivePlot | None) -> list[Bundle]:
    """The best solution and ratio, and the output distribution as bars."""
    import plotly.graph_objects as go

    from synq_jupyter.kernel.histogram import figure_bundle

    if plot is not None:
        plot.replace(result["history"])
    rows = [
        ("best bitstring", result["best_bitstring"]),
        ("objective", result["best_objective"]),
        ("⟨C⟩", _number(result["expectation"], 6)),
        ("approximation ratio ⟨C⟩ / C_max", _number(result["approximation_ratio"], 4)),
        ("C_max", f"{result['c_max']} ({result['c_max_method']})"),
        ("depth p", result["p"]),
        ("evaluations", result["evaluations"]),
        *_shots_used(result),
    ]
    distribution = result["distribution"]
    figure = go.Figure(
        go.Bar(x=[d["bitstring"] for d in distribution], y=[d["probability"] for d in distribution])
    )
    figure.update_layout(
        title="QAOA output distribution (most likely bitstrings)",
        xaxis={"title": "bitstring", "type": "category"},
        yaxis={"title": "probability"},
        height=320,
        template=plot_template(),
    )
    return [table_bundle(rows, "QAOA result"), figure_bundle(figure)]


def _shots_used(result: dict[str, Any]) -> list[tuple[str, str]]:
    """A sampled run's shots, in all and per estimate (what a plan's monthly shots count);
    nothing for an exact one."""
    used = result.get("shots_used")
    if not used:
        return []
    return [("shots used", f"{used:,} ({shots_phrase(result['shots'])} per estimate)")]


def qnn_view(result: dict[str, Any], plot: LivePlot | None) -> list[Bundle]:
    """Accuracies against the SVC baseline on the same split."""
    if plot is not None:
        plot.replace(result["loss_curve"])
    rows = [
        ("model id (= training job)", result["job_id"]),
        (
            "train accuracy (QNN · SVC)",
            _pair(result["train_accuracy"], result["svc_train_accuracy"]),
        ),
        ("test accuracy (QNN · SVC)", _pair(result["test_accuracy"], result["svc_test_accuracy"])),
        ("samples (train · test)", f"{result['n_train']} · {result['n_test']}"),
        ("epochs", result["epochs"]),
    ]
    return [table_bundle(rows, "QNN classifier")]


def synthesis_view(result: dict[str, Any], plot: LivePlot | None) -> list[Bundle]:
    """The circuit's metrics and its verification."""
    check = result["verification"]
    verdict = "passed" if check["passed"] else "FAILED"
    rows = [(name, value) for name, value in result["metrics"].items()]
    rows.append(("verification", f"{verdict} ({check['method']})"))
    return [table_bundle(rows, f"Synthesized {result['spec'].get('kind', 'circuit')}")]


def cost_view(result: dict[str, Any], plot: LivePlot | None) -> list[Bundle]:
    """One row per target, and price against estimated success probability."""
    import plotly.graph_objects as go

    from synq_jupyter.kernel.histogram import figure_bundle

    columns = ("target", "feasible", "2q gates", "success prob.", "run time", "price", "note")
    rows = [
        (
            r["target"],
            "yes" if r["feasible"] else "no",
            _maybe(r["two_qubit_count"], "{}"),
            _maybe(r["estimated_success_probability"], "{:.4f}"),
            _maybe(r["estimated_run_time_s"], "{:.3g} s"),
            _maybe(r["price"], "{:,.2f} " + (r.get("currency") or "")),
            r["reason"] or r.get("price_formula") or "",
        )
        for r in result["rows"]
    ]
    feasible = [r for r in result["rows"] if r["feasible"] and r["price"] is not None]
    figure = go.Figure(
        go.Scatter(
            x=[r["price"] for r in feasible],
            y=[r["estimated_success_probability"] for r in feasible],
            text=[r["target"] for r in feasible],
            mode="markers+text",
            textposition="top center",
        )
    )
    figure.update_layout(
        title=f"{shots_phrase(result['shots'])} on each target",
        xaxis={"title": "price"},
        yaxis={"title": "estimated success probability"},
        height=360,
        template=plot_template(),
    )
    caption = f"Cost and feasibility ({shots_phrase(result['shots'])})"
    return [rows_bundle(columns, rows, caption), figure_bundle(figure)]


def optimize_view(result: dict[str, Any], plot: LivePlot | None) -> list[Bundle]:
    """Each measured suggestion with its before and after figures."""
    base = result["baseline"]
    columns = ("suggestion", "2q gates", "depth", "success prob.", "fidelity")
    rows = [
        (
            "baseline",
            base["two_qubit_count"],
            base["depth"],
            f"{base['estimated_success_probability']:.4f}",
            "",
        )
    ]
    for s in result["suggestions"]:
        after = s["after"]
        rows.append(
            (
                s["description"],
                after["two_qubit_count"],
                after["depth"],
                f"{after['estimated_success_probability']:.4f}",
                _maybe(s["fidelity"], "{:.6f}"),
            )
        )
    caption = f"Measured optimizations for {result['target']}"
    if not result["suggestions"]:
        caption += ": none helped"
    return [rows_bundle(columns, rows, caption)]


def _maybe(value: Any, form: str) -> str:
    return "" if value is None else form.format(value)


def _number(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def _pair(ours: float, baseline: float) -> str:
    return f"{ours:.3f} · {baseline:.3f}"


def _joined(result: dict[str, Any], *keys: str) -> str:
    return " · ".join(str(result[k]) for k in keys)


ALGORITHM_VIEWS: dict[str, Callable[[dict[str, Any], LivePlot | None], list[Bundle]]] = {
    "vqe": vqe_view,
    "qaoa": qaoa_view,
    "qnn_train": qnn_view,
    "synthesize": synthesis_view,
    "cost_estimate": cost_view,
    "optimize": optimize_view,
}
