"""A run report rendered for a terminal (``calmops report``)."""

from __future__ import annotations

from typing import Any

from calmops.cli.output import local_time
from calmops.cli.report_blocks import render_blocks
from calmops.cli.report_estimation import render_estimation
from calmops.pipeline.report import RunReport

__all__ = ["render_report"]

MAX_FEATURES = 15


def render_report(out: Any, record: Any, report: RunReport) -> None:
    decision = report.decision
    out.print(
        f"[bold]run {record.id}[/] of {record.pipeline} · {record.status} · "
        f"{local_time(record.started_at)}"
    )
    if record.source:
        out.print(f"file: {record.source} ({report.rows or 0:,} rows)", markup=False)
    if report.period is not None or report.chunk is not None:
        out.print(_chunk_line(report), markup=False)
    if record.error:
        out.print("error: " + record.error, markup=False)
    if decision is not None:
        out.print(f"\n[bold]decision: {decision.kind}[/]")
        out.print(decision.reason, markup=False)
    if report.run_id:
        before, after = report.champion_before, report.champion_after
        out.print(f"champion: {_v(before)} → {_v(after)}")
    if report.signals:
        out.print("\n[bold]signals[/]")
        width = max(12, *(len(name) for name in report.signals))
        for name, signal in report.signals.items():
            mark = "FIRED" if signal.fired else "quiet"
            out.print(f"  {name:<{width}} {mark:<6} {signal.summary}", markup=False)
    render_estimation(out, report)
    _candidates(out, report)
    for challenger in report.challengers:
        out.print(
            f"\n[bold]challenger v{challenger.version}[/] ({challenger.strategy}, "
            f"trained on {challenger.trained_on})",
            markup=True,
        )
        out.print(f"  {challenger.reason}", markup=False)
    for text in report.attention or ():
        out.print(f"\n[bold red]needs attention:[/] {text}")
    _drift_table(out, report.drift)
    render_blocks(out, report)
    for note in report.notes:
        out.print(f"note: {note}", markup=False)
    if report.timings:
        shown = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
        out.print(f"\ntimings: {shown}", markup=False)


def _candidates(out: Any, report: RunReport) -> None:
    """Adaptive retraining: each history's candidate and its holdout metrics."""
    if not report.candidates:
        return
    change = report.change_point
    where = f", change located at row {change['row'] + 1:,}" if change else ""
    out.print(f"\n[bold]candidates[/] (scored on the same holdout rows{where})")
    for candidate in report.candidates:
        metrics = ", ".join(f"{k} {v:.3f}" for k, v in candidate.metrics.items())
        mark = "best" if candidate.chosen else "    "
        out.print(
            f"  {mark} {candidate.history:<13} {metrics}  ({candidate.trained_on})",
            markup=False,
        )


def _drift_table(out: Any, drift: dict[str, Any] | None) -> None:
    if not drift or not drift.get("features"):
        return
    from rich.table import Table

    features = drift["features"]
    ordered = sorted(features.items(), key=lambda kv: (not kv[1].get("drift"), kv[0]))
    table = Table(box=None, header_style="bold", title=f"drift ({drift.get('reason', '')})")
    for column in ("feature", "test", "statistic", "p-value", "verdict"):
        table.add_column(column)
    for name, feature in ordered[:MAX_FEATURES]:
        p_value = feature.get("p_value")
        table.add_row(
            name,
            feature.get("test", ""),
            _number(feature.get("statistic")),
            "—" if p_value is None else f"{p_value:.2g}",
            feature.get("verdict", ""),
        )
    out.print()
    out.print(table)
    if len(ordered) > MAX_FEATURES:
        out.print(f"… and {len(ordered) - MAX_FEATURES} more features (see --json)")


def _chunk_line(report: RunReport) -> str:
    """``period: 2026-01-05T00:00:00 → ... (chunk by time; partial)`` and the files it took."""
    chunk = report.chunk
    what = f"{report.period.start} → {report.period.end}" if report.period else chunk.label
    flags = [] if chunk is None else [f"chunk by {chunk.by}"]
    flags += [flag for flag in ("partial", "late") if chunk is not None and getattr(chunk, flag)]
    files = "" if chunk is None else "; from " + ", ".join(_share(f) for f in chunk.files)
    return f"period: {what} ({'; '.join(flags)}){files}" if flags else f"period: {what}"


def _share(file: dict[str, Any]) -> str:
    name = str(file.get("path", "")).rsplit("/", 1)[-1]
    if "first" in file:
        return f"{name} rows {file['first']:,}–{file['stop'] - 1:,}"
    return f"{name} ({file.get('rows', 0):,} rows)"


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"


def _number(value: Any) -> str:
    return "—" if value is None else f"{value:.4g}"
