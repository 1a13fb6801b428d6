"""The label-free estimate of a run report, for a terminal (``calmops report``)."""

from __future__ import annotations

from typing import Any

from calmops.pipeline.report import RunReport

__all__ = ["render_estimation"]


def render_estimation(out: Any, report: RunReport) -> None:
    """Each estimated metric with its interval, the realized value beside it when labelled,
    the estimation error and coverage, and why the estimate is not trusted if it is not."""
    section = report.estimation
    if section is None:
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
        if value.get("realized") is not None:
            line += f"   realized {_n(value['realized'])}"
        out.print(line, markup=False)
    if section.error is not None:
        out.print(f"  estimation error of {section.metric}: {section.error:+.3f}", markup=False)
    if section.coverage:
        hits, batches = section.coverage["hits"], section.coverage["batches"]
        out.print(
            f"  realized inside the interval in {hits} of the last {batches} labelled batches",
            markup=False,
        )
    for caveat in section.caveats:
        out.print(f"  caveat: {caveat}", markup=False)


def _n(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"
