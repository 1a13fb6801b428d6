"""The Runs tab: a timeline of runs with their decisions, and the primary metric over time
with retrain and promotion markers and its confidence band."""

from __future__ import annotations

import math
from typing import Any

from calmops.store import RunRecord
from calmops.web import figures
from calmops.web.format import cell_time, clock, label, number, when, words
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, link, notice, tab, table
from calmops.web.views.block_metrics import block_metric_section, empty_metric_notice
from calmops.web.views.common import file_name, higher_is_better, primary_metric, run_metric
from calmops.web.views.status import empty_runs_text
from calmops.web.views.verdicts import run_drift

__all__ = ["DECISIONS", "build_runs"]

DECISIONS = ["failed", "predict_only", "no_drift", "alert", "paused", "train", "retrain"]
DECISION_COLORS = {
    "failed": "#dc2626",
    "predict_only": "#64748b",
    "no_drift": "#16a34a",
    "paused": "#9333ea",
    "alert": "#b91c1c",
    "train": "#2563eb",
    "retrain": "#f97316",
    "running": "#0891b2",
}
TABLE_ROWS = 50
Z95 = 1.959964


def build_runs(reader: Reader, name: str, *, limit: int = 200, base: str = "") -> dict[str, Any]:
    """The Runs tab of pipeline ``name`` over its newest ``limit`` runs."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=limit)
    if not runs:
        text = empty_runs_text(record.spec, name)
        return tab("runs", "Runs", [notice("runs-empty", text)], runs=[])
    metric = primary_metric(record.spec, runs)
    chronological = list(reversed(runs))
    decisions = [_decision(r) for r in runs]
    order = {r.id: i + 1 for i, r in enumerate(chronological)}
    promotions = _promotions(chronological)
    sections = [
        kpis(
            "runs-kpis",
            [
                kpi("runs shown", len(runs), f"newest {limit} at most"),
                kpi("succeeded", sum(r.status == "succeeded" for r in runs), tone="ok"),
                kpi(
                    "failed",
                    sum(r.status == "failed" for r in runs),
                    tone="bad" if any(r.status == "failed" for r in runs) else "",
                ),
                kpi("models trained", sum(d in ("train", "retrain") for d in decisions)),
                kpi("promotions", len(promotions)),
                kpi(f"latest {metric or 'metric'}", _latest(runs, metric)),
            ],
        ),
        figure(
            "runs-timeline", "Timeline of runs, oldest to newest", _timeline(chronological, order)
        ),
    ]
    blocks = None
    if metric is not None and record.kind in ("block", "ipip"):
        blocks = block_metric_section(reader, name, record.kind, chronological, metric)
    if metric is not None and not any(run_metric(r, metric) is not None for r in runs):
        sections.append(empty_metric_notice(metric, runs, blocks is not None))
    elif metric is not None:
        sections.append(
            figure(
                "runs-metric",
                f"{metric} of the champion on each batch",
                _metric_figure(chronological, metric, promotions, order),
                note="The band is the 95% interval of the metric on a batch of that size "
                "(normal approximation); ▲ marks a retraining, ★ a promotion.",
            )
        )
    states = {r.id: run_drift(r, reader, name) for r in runs[:TABLE_ROWS]}
    if blocks is not None:
        sections.append(blocks)
    sections.append(_table(runs[:TABLE_ROWS], metric, name, base, states))
    return tab(
        "runs",
        "Runs",
        sections,
        runs=[
            {
                "id": r.id,
                "status": r.status,
                "decision": r.decision,
                "started_at": when(r.started_at),
                "finished_at": when(r.finished_at),
                "file": file_name(r.source),
                "champion": r.summary.get("champion_version", r.model_version),
                "metric": run_metric(r, metric),
                "drift_detected": r.summary.get("drift_detected"),
                "drift": None if states[r.id] is None else states[r.id].to_dict(),
            }
            for r in runs[:TABLE_ROWS]
        ],
    )


def _decision(run: RunRecord) -> str:
    if run.status != "succeeded":
        return run.status
    return run.decision or "no_drift"


def _latest(runs: list[RunRecord], metric: str | None) -> str:
    for run in runs:
        value = run_metric(run, metric)
        if value is not None:
            return number(value)
    return "—"


def _promotions(chronological: list[RunRecord]) -> list[tuple[RunRecord, int]]:
    """Runs after which the champion changed, with the new champion."""
    found, previous = [], None
    for run in chronological:
        champion = run.summary.get("champion_version")
        if run.status == "succeeded" and champion is not None and champion != previous:
            if previous is not None or run.decision in ("train", "retrain"):
                found.append((run, champion))
            previous = champion
    return found


def _timeline(chronological: list[RunRecord], order: dict[str, int]) -> dict[str, Any]:
    traces = []
    for decision in [*DECISIONS, "running"]:
        chosen = [r for r in chronological if _decision(r) == decision]
        if not chosen:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label(decision),
                "x": [order[r.id] for r in chosen],
                "y": [label(decision)] * len(chosen),
                "text": [_hover(r) for r in chosen],
                "hovertemplate": "run %{x} · %{text}<extra>%{y}</extra>",
                "marker": {"size": 10, "color": DECISION_COLORS.get(decision, "#64748b")},
            }
        )
    fig = {"data": traces, "layout": figures.layout(x_title="run", height=240)}
    fig["layout"]["yaxis"]["categoryorder"] = "array"
    fig["layout"]["yaxis"]["categoryarray"] = [label(d) for d in [*DECISIONS, "running"]]
    fig["layout"]["showlegend"] = False
    return fig


def _hover(run: RunRecord) -> str:
    why = (run.summary.get("reason") or run.error or "")[:160]
    return f"{clock(run.started_at)}<br>{file_name(run.source)}<br>{words(why)}"


def _band(run: RunRecord, value: float | None, metric: str) -> tuple[float, float] | None:
    rows = run.summary.get("rows")
    bounded = higher_is_better(metric) and metric not in ("r2",)
    if value is None or not rows or not bounded or not 0 <= value <= 1:
        return None
    half = Z95 * math.sqrt(max(value * (1 - value), 0.0) / rows)
    return max(0.0, value - half), min(1.0, value + half)


def _metric_figure(
    chronological: list[RunRecord],
    metric: str,
    promotions: list[tuple[RunRecord, int]],
    order: dict[str, int],
) -> dict[str, Any]:
    measured = [(r, run_metric(r, metric)) for r in chronological]
    measured = [(r, v) for r, v in measured if v is not None]
    x = [order[r.id] for r, _ in measured]
    y = [v for _, v in measured]
    bands = [_band(r, v, metric) for r, v in measured]
    data: list[dict[str, Any]] = []
    if any(b is not None for b in bands):
        upper = [b[1] if b else None for b in bands]
        lower = [b[0] if b else None for b in bands]
        data.append(
            {"type": "scatter", "mode": "lines", "x": x, "y": upper, "name": "95% interval",
             "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False}
        )  # fmt: skip
        data.append(
            {"type": "scatter", "mode": "lines", "x": x, "y": lower, "name": "95% interval",
             "fill": "tonexty", "fillcolor": "rgba(37,99,235,0.15)", "line": {"width": 0},
             "hoverinfo": "skip"}
        )  # fmt: skip
    data.append(
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": y, "name": metric,
         "line": {"color": "#2563eb"}, "marker": {"size": 5},
         "text": [_hover(r) for r, _ in measured],
         "hovertemplate": "run %{x}: %{y:.3f}<br>%{text}<extra></extra>"}
    )  # fmt: skip
    retrained = [(r, v) for r, v in measured if r.decision in ("train", "retrain")]
    if retrained:
        data.append(
            {"type": "scatter", "mode": "markers", "name": "retrained",
             "x": [order[r.id] for r, _ in retrained], "y": [v for _, v in retrained],
             "marker": {"symbol": "triangle-up", "size": 12, "color": "#f97316"}}
        )  # fmt: skip
    value_of = dict((r.id, v) for r, v in measured)
    shown = [(r, v) for r, v in promotions if r.id in value_of]
    if shown:
        data.append(
            {"type": "scatter", "mode": "markers+text", "name": "promoted",
             "x": [order[r.id] for r, _ in shown], "y": [value_of[r.id] for r, _ in shown],
             "text": [f"v{v}" for _, v in shown], "textposition": "top center",
             "marker": {"symbol": "star", "size": 15, "color": "#16a34a"}}
        )  # fmt: skip
    return {"data": data, "layout": figures.layout(metric, "run")}


def _estimated(run: RunRecord, metric: str | None) -> str | None:
    """The label-free estimate of ``metric`` on the run's batch with its interval, or None."""
    found = run.summary.get("estimation") or {}
    if not metric or found.get("metric") != metric or found.get("estimated") is None:
        return None
    return f"{number(found['estimated'])} [{number(found.get('low'))}, {number(found.get('high'))}]"


def _table(
    runs: list[RunRecord], metric: str | None, name: str, base: str, states: dict
) -> dict[str, Any]:
    estimates = [_estimated(r, metric) for r in runs]
    shown = any(e is not None for e in estimates)
    rows = []
    for r, estimate in zip(runs, estimates, strict=True):
        champion = r.summary.get("champion_version", r.model_version)
        drift = states[r.id]
        rows.append(
            [
                cell_time(r.started_at),
                link(f"{base}/pipelines/{name}/runs/{r.id}", file_name(r.source)),
                badge(r.status),
                badge(r.decision) if r.decision else "—",
                f"v{champion}" if champion else "—",
                number(run_metric(r, metric)),
                *([estimate or "—"] if shown else []),
                "—" if drift is None else drift.badge(),
                words((r.summary.get("reason") or r.error or "")[:240]),
            ]
        )
    columns = ["started", "file", "status", "decision", "champion", metric or "metric",
               *([f"estimated {metric}"] if shown else []), "drift", "why"]  # fmt: skip
    phone = ["started", "file", "decision", metric or "metric", "drift"]
    return table("runs-table", "Latest runs", columns, rows, note="Newest first.", phone=phone)
