"""The Runs tab's performance over time, as the decision saw it.

For each run, the champion's metric on the batch; the champion's baseline (what the
performance signal compared with); the tolerance below it (``decision.max_drop`` of the
baseline); and the interval the decision used (``decision.confidence``, 99% by default: the
bootstrap interval of the change from the baseline, drawn around the baseline). The signal
fires when the whole interval lies beyond the tolerance. Under the chart, one lane per kind
of event (a signal fired, a model retrained, a champion promoted), so no marker hides
another. Times on the x axis; the run's number, file and the signals on hover.
"""

from __future__ import annotations

from typing import Any

from calmops.store import RunRecord
from calmops.web import figures
from calmops.web.format import when
from calmops.web.reader import Reader
from calmops.web.views.common import file_name, higher_is_better, run_metric

__all__ = ["LANES", "chart_time", "decision_confidence", "metric_figure"]

#: the event lanes under the metric, bottom to top
LANES = ("promoted", "retrained", "signal fired")
LANE_STYLE = {
    "signal fired": {"symbol": "x", "size": 11, "color": "#dc2626"},
    "retrained": {"symbol": "triangle-up", "size": 12, "color": "#f97316"},
    "promoted": {"symbol": "star", "size": 14, "color": "#16a34a"},
}


def decision_confidence(spec: dict[str, Any]) -> float:
    """The confidence of the decision's intervals (``decision.confidence``, default 0.99).

    >>> decision_confidence({}), decision_confidence({"decision": {"confidence": 0.95}})
    (0.99, 0.95)
    """
    from calmops.spec.policy import DecisionSpec

    given = (spec.get("decision") or {}).get("confidence")
    return float(given) if given is not None else DecisionSpec().confidence


def _performance(reader: Reader, name: str, run: RunRecord) -> dict[str, Any] | None:
    """The performance signal's numbers of ``run`` (baseline, change interval, tolerance)."""
    signal = (reader.report(name, run).signals or {}).get("performance")
    details = getattr(signal, "details", None) or {}
    return details if details.get("baseline") is not None else None


def _band(details: dict[str, Any] | None, higher: bool) -> tuple[Any, Any, Any]:
    """``(baseline, tolerance line, (low, high))`` in metric units, or Nones."""
    if details is None:
        return None, None, (None, None)
    base, tol = details["baseline"], details.get("tolerance") or 0.0
    low, high = details.get("change_low"), details.get("change_high")
    sign = 1.0 if higher else -1.0
    edges = (None, None)
    if low is not None and high is not None:
        a, b = base + sign * low, base + sign * high
        edges = (min(a, b), max(a, b))
    return base, base - sign * tol, edges


def metric_figure(
    reader: Reader,
    name: str,
    chronological: list[RunRecord],
    metric: str,
    promotions: list[tuple[RunRecord, int]],
    order: dict[str, int],
    spec: dict[str, Any],
) -> dict[str, Any]:
    """The figure: metric, baseline, tolerance, the decision's interval, event lanes."""
    higher = higher_is_better(metric)
    measured = [(r, run_metric(r, metric)) for r in chronological]
    measured = [(r, v) for r, v in measured if v is not None]
    x = [_at(r) for r, _ in measured]
    hover = [_hover(r, order) for r, _ in measured]
    bands = [_band(_performance(reader, name, r), higher) for r, _ in measured]
    confidence = decision_confidence(spec)
    data: list[dict[str, Any]] = []
    if any(b[2][0] is not None for b in bands):
        label = f"{confidence:.0%} interval the decision used"
        data += [
            {"type": "scatter", "mode": "lines", "x": x, "y": [b[2][1] for b in bands],
             "name": label, "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
             "connectgaps": False},
            {"type": "scatter", "mode": "lines", "x": x, "y": [b[2][0] for b in bands],
             "name": label, "fill": "tonexty", "fillcolor": "rgba(37,99,235,0.15)",
             "line": {"width": 0}, "hoverinfo": "skip", "connectgaps": False},
        ]  # fmt: skip
    if any(b[0] is not None for b in bands):
        data += [
            {"type": "scatter", "mode": "lines+markers", "x": x, "y": [b[0] for b in bands],
             "name": "champion's baseline", "line": {"color": "#64748b", "shape": "hv"},
             "marker": {"size": 4}, "hovertemplate": "baseline %{y:.3f}<extra></extra>"},
            {"type": "scatter", "mode": "lines+markers", "x": x, "y": [b[1] for b in bands],
             "name": "tolerance", "line": {"color": "#dc2626", "dash": "dash", "shape": "hv"},
             "marker": {"size": 4, "symbol": "line-ew-open"},
             "hovertemplate": "tolerance %{y:.3f}<extra></extra>"},
        ]  # fmt: skip
    data.append(
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": [v for _, v in measured],
         "name": metric, "line": {"color": "#2563eb"}, "marker": {"size": 6},
         "text": hover, "customdata": [r.id for r, _ in measured],
         "hovertemplate": "%{text}<br>" + metric + " %{y:.3f}<extra></extra>"}
    )  # fmt: skip
    data += _lanes(chronological, promotions, order)
    lay = figures.layout(metric, "time (UTC)", height=400)
    lay["xaxis"] |= {"type": "date", "anchor": "y2"}
    lay["yaxis"] |= {"domain": [0.3, 1.0]}
    lay["yaxis2"] = {"domain": [0.0, 0.2], "type": "category", "categoryorder": "array",
                     "categoryarray": list(LANES), "range": [-0.6, len(LANES) - 0.4],
                     "fixedrange": True, "showgrid": False, "automargin": True}  # fmt: skip
    return {"data": data, "layout": lay}


def _lanes(
    chronological: list[RunRecord], promotions: list[tuple[RunRecord, int]], order: dict[str, int]
) -> list[dict[str, Any]]:
    """One row of markers per event kind, each on its own lane."""
    fired = [r for r in chronological if any((r.summary.get("signals") or {}).values())]
    retrained = [r for r in chronological if r.decision in ("train", "retrain")]
    events = {
        "signal fired": [(r, "fired: " + ", ".join(sorted(
            k for k, v in (r.summary.get("signals") or {}).items() if v))) for r in fired],
        "retrained": [(r, r.decision or "") for r in retrained],
        "promoted": [(r, f"champion → v{v}") for r, v in promotions],
    }  # fmt: skip
    traces = []
    for lane, found in events.items():
        if not found:
            continue
        traces.append(
            {"type": "scatter", "mode": "markers", "name": lane, "yaxis": "y2",
             "x": [_at(r) for r, _ in found], "y": [lane] * len(found),
             "customdata": [r.id for r, _ in found],
             "text": [f"{_hover(r, order)}<br>{what}" for r, what in found],
             "hovertemplate": "%{text}<extra></extra>", "marker": LANE_STYLE[lane]}
        )  # fmt: skip
    return traces


def chart_time(run: RunRecord) -> str:
    """When ``run`` finished (else started), as plotly.js reads a date: UTC, to the
    microsecond (runs a second apart stay apart).

    >>> from datetime import datetime, UTC
    >>> run = RunRecord(id="r", pipeline="p", status="succeeded",
    ...                 started_at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    >>> chart_time(run)
    '2026-01-02 03:04:05.000006'
    """
    from datetime import UTC

    moment = run.finished_at or run.started_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _at(run: RunRecord) -> str:
    return chart_time(run)


def _hover(run: RunRecord, order: dict[str, int]) -> str:
    at = (when(run.finished_at or run.started_at) or "")[:19].replace("T", " ")
    return f"run {order.get(run.id, '?')} · {file_name(run.source)} · {at} UTC"
