"""Views of reports, catalogues and jobs for notebook output, as HTML and plain text."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import Any

from synq_jupyter.quantum.transpile_report import TranspileReport

_STYLE = (
    "border-collapse:collapse;font-size:12px;margin:4px 0;"
    "font-family:var(--jp-ui-font-family, sans-serif)"
)
_CELL = "padding:2px 10px;text-align:left;border-bottom:1px solid var(--jp-border-color2,#ddd)"


def table(rows: list[tuple[str, Any]], caption: str) -> str:
    """A two-column HTML table of (label, value) rows."""
    body = "".join(
        f"<tr><th style='{_CELL}'>{escape(label)}</th>{_td(value)}</tr>" for label, value in rows
    )
    return (
        f"<table style='{_STYLE}'><caption style='text-align:left;font-weight:bold'>"
        f"{escape(caption)}</caption>{body}</table>"
    )


def rows_table(
    columns: tuple[str, ...], rows: list[tuple[Any, ...]], caption: str | None = None
) -> str:
    """An HTML table with a header row, and a caption when one is given."""
    head = "".join(f"<th style='{_CELL}'>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in rows)
    title = (
        f"<caption style='text-align:left;font-weight:bold'>{escape(caption)}</caption>"
        if caption is not None
        else ""
    )
    return f"<table style='{_STYLE}'>{title}<tr>{head}</tr>{body}</table>"


def report_bundle(report: TranspileReport) -> dict[str, str]:
    """The transpile report as a table."""
    duration = report.estimated_duration_s
    ops = ", ".join(f"{name} {n}" for name, n in report.ops.items())
    rows = [
        ("target", report.target),
        ("optimization level", report.optimization_level),
        ("seed", report.seed),
        ("operations", ops),
        ("depth", report.depth),
        ("2-qubit gates", report.two_qubit_count),
        ("2-qubit depth", report.two_qubit_depth),
        ("layout (input qubit → physical)", report.layout),
        ("final layout", report.final_layout),
        ("estimated success probability", f"{report.estimated_success_probability:.4f}"),
        ("estimated duration", _microseconds(duration)),
        ("fingerprint", report.fingerprint[:16] + "…"),
        ("qiskit", report.versions.get("qiskit", "?")),
    ]
    return table_bundle(rows, f"Transpiled for {report.target}")


def targets_bundle(targets: list[dict[str, Any]]) -> dict[str, str]:
    """The catalogue as a table, one target per row."""
    columns = ("name", "provider", "qubits", "kind", "region", "connectivity", "price")
    rows = [
        (
            t["name"],
            t["provider"],
            t["num_qubits"],
            "simulator" if t["simulator"] else "hardware",
            t["region"],
            "all-to-all" if t["all_to_all"] else "coupling map",
            t["price_model"],
        )
        for t in targets
    ]
    return rows_bundle(columns, rows)


def _td(value: Any) -> str:
    return f"<td style='{_CELL}'>{escape(str(value))}</td>"


def _microseconds(seconds: float | None) -> str:
    return "n/a (simulator)" if seconds is None else f"{seconds * 1e6:.2f} µs"


JOB_COLUMNS = (
    "id",
    "kind",
    "status",
    "target",
    "shots",
    "created (local time)",
    "attempts",
    "progress",
)


def jobs_bundle(jobs: list[dict[str, Any]]) -> dict[str, str]:
    """Recent jobs, newest first, as an HTML table and as plain text (for a terminal or
    nbconvert), to show with ``display(bundle, raw=True)``."""
    if not jobs:
        return {
            "text/html": "<p>No jobs yet: submit one with <code>%%synq --submit</code>.</p>",
            "text/plain": "No jobs yet: submit one with %%synq --submit.",
        }
    return rows_bundle(JOB_COLUMNS, [_job_row(job) for job in jobs])


def _job_row(job: dict[str, Any]) -> tuple[Any, ...]:
    return (
        job["id"],
        job["kind"],
        job["status"],
        job["target"],
        f"{job['shots']:,}" if job.get("shots") else "",
        local_time(job["created_at"]),
        job["attempts"],
        _progress(job),
    )


def local_time(stamp: Any) -> str:
    """The server's time (UTC, ``2026-11-29T09:54:30.123456Z``) in the kernel's time zone,
    named: ``2026-11-29 10:54:30 CET``. A time without a zone is the server's, in UTC."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def _progress(job: dict[str, Any]) -> str:
    """How far a running job is; nothing for one that is not running (a failed job's last
    progress, "10%", read as if it were still going)."""
    if job["status"] != "running" or job.get("progress") is None:
        return ""
    return f"{job['progress']:.0%}"


def rows_bundle(
    columns: tuple[str, ...], rows: list[tuple[Any, ...]], caption: str | None = None
) -> dict[str, str]:
    """A table with a header row as HTML and as aligned plain text (for a terminal or
    nbconvert), to show with ``display(bundle, raw=True)``."""
    text = rows_text(columns, rows)
    return {
        "text/html": rows_table(columns, rows, caption),
        "text/plain": text if caption is None else f"{caption}\n{text}",
    }


def table_bundle(rows: list[tuple[str, Any]], caption: str) -> dict[str, str]:
    """``table`` as HTML and as plain text."""
    plain = "\n".join([caption, *(f"  {label}: {value}" for label, value in rows)])
    return {"text/html": table(rows, caption), "text/plain": plain}


def target_rows(detail: dict[str, Any]) -> list[tuple[str, Any]]:
    """A target's detail as table rows: its couplings and the drawing's coordinates (over
    10,000 characters for a 133-qubit device) summed up in one connectivity row."""
    drawn = {"coupling_map", "connectivity"}
    rows = [(key, value) for key, value in detail.items() if key not in drawn]
    couplings = {tuple(sorted(pair)) for pair in detail.get("coupling_map") or []}
    connectivity = "all to all" if detail.get("all_to_all") else f"{len(couplings)} coupled pairs"
    return [*rows, ("connectivity", connectivity)]


def rows_text(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    """A plain-text table: a header row, a rule, then the rows, each column as wide as its
    widest cell."""
    cells = [list(columns), *([str(value) for value in row] for row in rows)]
    widths = [max(len(cell[i]) for cell in cells) for i in range(len(columns))]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(values) for values in cells[1:])])
