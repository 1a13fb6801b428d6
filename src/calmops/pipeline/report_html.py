"""A run report as HTML: a fragment for notebooks (``RunReport._repr_html_``) and a page
(``RunReport.save_html``): what the run decided and why, its signals, the champion before
and after, its challengers, what needs attention, its drift per column, notes and timings.

The renderers take a :class:`~calmops.pipeline.report.RunReport` and do not import its
module (which imports them). No scripts, so the page is small and opens anywhere.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from calmops.atomic import atomic_write_text
from calmops.drift.html import FRAGMENT_CSS, badge, feature_table, format_number

__all__ = ["render_run_fragment", "render_run_page", "write_run_html"]

MAX_FEATURES = 30
_DECISION_COLOURS = {"retrain": "drift", "train": "warning", "alert": "drift", "paused": "warning"}


def render_run_fragment(report: Any) -> str:
    """The report as one ``<div>`` with its own scoped style.

    Examples
    --------
    >>> from calmops.pipeline.report import RunReport
    >>> report = RunReport.from_dict({"run_id": "r1", "pipeline": "demo",
    ...     "status": "succeeded", "decision": {"kind": "no_drift", "reason": "all quiet"},
    ...     "signals": {"data": {"fired": False, "summary": "0 of 3 features drifted"}}})
    >>> fragment = render_run_fragment(report)
    >>> "all quiet" in fragment, "0 of 3 features drifted" in fragment, "<script" in fragment
    (True, True, False)
    """
    parts = [f'<div class="calmops-report"><style>{FRAGMENT_CSS}</style>', _header(report)]
    parts += [_decision(report), _signals(report), _challengers(report), _attention(report)]
    drift = report.drift or {}
    if drift.get("features"):
        reason = html.escape(str(drift.get("reason", "")))
        parts.append(f'<h4>Drift</h4><p class="muted">{reason}</p>')
        parts.append(feature_table(drift["features"], limit=MAX_FEATURES))
    parts += [_notes(report), _timings(report), "</div>"]
    return "".join(parts)


def render_run_page(report: Any) -> str:
    """The report as a whole HTML document."""
    title = html.escape(f"Run {report.run_id} of {report.pipeline}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body style="margin:2rem">{render_run_fragment(report)}</body></html>\n'
    )


def write_run_html(report: Any, path: str | Path) -> Path:
    """Write :func:`render_run_page` to ``path`` (UTF-8, atomically); returns the path."""
    target = Path(path)
    atomic_write_text(target, render_run_page(report))
    return target


def _header(report: Any) -> str:
    source = (report.file or {}).get("path")
    where = f" on {Path(source).name}" if source else ""
    rows = f", {report.rows:,} rows" if report.rows is not None else ""
    line = f"{report.status}{where}{rows}; started {report.started_at or '—'}"
    error = f"<p><b>error:</b> {html.escape(report.error)}</p>" if report.error else ""
    champion = (
        f"champion: {_v(report.champion_before)} → {_v(report.champion_after)}"
        if report.champion_before is not None or report.champion_after is not None
        else "no champion yet"
    )
    return (
        f"<h3>Run {html.escape(report.run_id)} of {html.escape(report.pipeline)}</h3>"
        f'<p class="muted">{html.escape(line)}; {html.escape(champion)}</p>{error}'
    )


def _decision(report: Any) -> str:
    decision = report.decision
    if decision is None:
        return ""
    colour = _DECISION_COLOURS.get(decision.kind.value, "no_drift")
    metrics = ", ".join(f"{k} {format_number(v, 3)}" for k, v in report.champion_metrics.items())
    shown = (
        f'<p class="muted">champion on this batch: {html.escape(metrics)}</p>' if metrics else ""
    )
    return f"<p>{badge(colour, decision.kind.value)} {html.escape(decision.reason)}</p>{shown}"


def _signals(report: Any) -> str:
    if not report.signals:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        f"<td>{badge('drift', 'fired') if s.fired else badge('no_drift', 'quiet')}</td>"
        f"<td>{html.escape(s.summary)}</td></tr>"
        for name, s in report.signals.items()
    )
    return (
        "<h4>Signals</h4><table><thead><tr><th>signal</th><th>state</th><th>summary</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _challengers(report: Any) -> str:
    items = "".join(
        f"<li><b>v{c.version}</b> ({html.escape(c.strategy)}, trained on "
        f"{html.escape(c.trained_on)}){' — promoted' if c.promoted else ''}: "
        f"{html.escape(c.reason)}</li>"
        for c in report.challengers
    )
    return f"<h4>Challengers</h4><ul>{items}</ul>" if items else ""


def _attention(report: Any) -> str:
    items = "".join(f"<li>{html.escape(text)}</li>" for text in report.attention or ())
    return f"<h4>Needs attention</h4><ul>{items}</ul>" if items else ""


def _notes(report: Any) -> str:
    items = "".join(f"<li>{html.escape(note)}</li>" for note in report.notes)
    return f"<h4>Notes</h4><ul>{items}</ul>" if items else ""


def _timings(report: Any) -> str:
    if not report.timings:
        return ""
    shown = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in report.timings.items())
    return f'<p class="muted">timings: {html.escape(shown)}</p>'


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"
