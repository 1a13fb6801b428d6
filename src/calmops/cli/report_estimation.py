"""The label-free estimate of a run report, for a terminal (``calmops report``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from calmops.pipeline.report import RunReport

__all__ = ["render_estimation"]


def render_estimation(out: Any, report: RunReport) -> None:
    """Each estimated metric with its interval, the realized value beside it when labelled
    (by the batch, or later by ``calmops labels``),
    the estimation error and coverage, and why the estimate is not trusted if it is not."""
    section, late = report.estimation, report.realized
    if section is None:
        if late is not None:
            _render_late_only(out, late)
        return
    trust = "trusted" if section.trusted else "NOT trusted"
    out.print(
        f"\n[bold]estimated performance[/] ({section.method}, {trust}, "
        f"{section.confidence:.0%} intervals)"
    )
    for name, value in section.metrics.items():
        line = (
            f"  {name:<18} {_n(value.get('estimated'))} "
            f"[{_n(value.get('low'))}, {_n(value.get('high'))}]"
        )
        real = value.get("realized")
        if real is None and late is not None:
            real = late.metrics.get(name)
        if real is not None:
            line += f"   realized {_n(real)}"
        out.print(line, markup=False)
    error = section.error
    if late is not None and section.metrics.get(section.metric or ""):
        out.print(f"  {_late(late)}", markup=False)
        mine = section.metrics[section.metric]
        if error is None and None not in (late.metrics.get(section.metric), mine.get("estimated")):
            error = late.metrics[section.metric] - mine["estimated"]
    if error is not None:
        out.print(f"  estimation error of {section.metric}: {error:+.3f}", markup=False)
    if section.coverage:
        hits, batches = section.coverage["hits"], section.coverage["batches"]
        out.print(
            f"  realized inside the interval in {hits} of the last {batches} labelled batches",
            markup=False,
        )
    for caveat in section.caveats:
        out.print(f"  caveat: {caveat}", markup=False)


def _late(late: Any) -> str:
    """Where labels that came after the run were joined from, and when."""
    source = late.labels_file or ""
    # a labels file is named by its file name; served feedback by its description
    name = source if source.startswith("feedback") else Path(source).name or "a labels file"
    return (
        f"realized from {name} ({late.matched:,} of {late.logged:,} rows labelled, by "
        f"{', '.join(late.key)}, joined {late.at[:16].replace('T', ' ')})"
    )


def _render_late_only(out: Any, late: Any) -> None:
    out.print("\n[bold]realized performance[/] (labels that came after the run)")
    for name, value in late.metrics.items():
        out.print(f"  {name:<18} {_n(value)}", markup=False)
    out.print(f"  {_late(late)}", markup=False)


def _n(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"
