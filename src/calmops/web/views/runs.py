"""The Runs tab: a timeline of runs with their decisions, and the primary metric over time
with the champion's baseline, the tolerance and interval the decision used, and lanes of
signal, retrain and promotion markers (``runs_metric``); a point opens its run."""

from __future__ import annotations

from typing import Any

from calmops.store import RunRecord
from calmops.web import figures
from calmops.web.format import cell_time, clip, clock, label, number, when, words
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, link, notice, tab, table
from calmops.web.views.block_metrics import block_metric_section, empty_metric_notice
from calmops.web.views.common import file_name, primary_metric, run_metric
from calmops.web.views.pick import click_links
from calmops.web.views.runs_metric import chart_time, decision_confidence, metric_figure
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


def build_runs(reader: Reader, name: str, *, limit: int = 200, base: str = "") -> dict[str, Any]:
    """The Runs tab of pipeline ``name`` over its newest ``limit`` runs."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=limit)
    if not runs:
        text = empty_runs_text(record.spec, name)
        return tab("runs", "Runs", [notice("runs-empty", text)], runs=[])
    metric = primary_metric(record.spec, runs)
    chronological = list(reversed(runs))
    order = {r.id: i + 1 for i, r in enumerate(chronological)}
    promotions = _promotions(chronological)
    sections = [
        _kpis(runs, limit, metric, promotions),
        figure(
            "runs-timeline",
            "Timeline of runs, oldest to newest",
            _timeline(chronological, order),
            note="Click a point to open its run.",
        ),
    ]
    sections[-1]["click"] = {"by": "customdata", "links": _run_links(base, name, chronological)}
    blocks = None
    if metric is not None and record.kind in ("block", "ipip"):
        blocks = block_metric_section(reader, name, record.kind, chronological, metric)
    if metric is not None and not any(run_metric(r, metric) is not None for r in runs):
        sections.append(empty_metric_notice(metric, runs, blocks is not None))
    elif metric is not None:
        sections.append(
            _metric_section(
                reader, name, record.spec, base, chronological, metric, promotions, order
            )
        )
    states = {r.id: run_drift(r, reader, name) for r in runs[:TABLE_ROWS]}
    if blocks is not None:
        sections.append(blocks)
    sections.append(_table(runs[:TABLE_ROWS], metric, name, base, states))
    rows = [_run_row(r, metric, states[r.id]) for r in runs[:TABLE_ROWS]]
    return tab("runs", "Runs", sections, runs=rows)


def _kpis(
    runs: list[RunRecord], limit: int, metric: str | None, promotions: list
) -> dict[str, Any]:
    """The headline counts of the runs shown."""
    decisions = [_decision(r) for r in runs]
    return kpis(
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
    )


def _metric_section(
    reader: Reader, name: str, spec, base: str, chronological, metric: str, promotions, order
) -> dict[str, Any]:
    """The primary metric over the batches, with the baseline, tolerance and interval the
    decision used; a point opens its run."""
    confidence = decision_confidence(spec)
    found = figure(
        "runs-metric",
        f"{metric} of the champion on each batch",
        metric_figure(reader, name, chronological, metric, promotions, order, spec),
        note=f"Grey: the champion's baseline; dashed red: the tolerance "
        f"(decision.max_drop of the baseline); the band: the {confidence:.0%} interval "
        "the decision used (decision.confidence), around the baseline: the performance "
        "signal fires when the whole band lies beyond the tolerance. Under the chart: × "
        "a signal fired, ▲ a model was retrained, ★ a promotion. Click a point to open "
        "its run.",
    )
    found["click"] = {"by": "customdata", "links": _run_links(base, name, chronological)}
    return found


def _run_row(run: RunRecord, metric: str | None, state) -> dict[str, Any]:
    """One run in the JSON twin's ``runs`` list."""
    return {
        "id": run.id,
        "status": run.status,
        "decision": run.decision,
        "started_at": when(run.started_at),
        "finished_at": when(run.finished_at),
        "file": file_name(run.source),
        "champion": run.summary.get("champion_version", run.model_version),
        "metric": run_metric(run, metric),
        "drift_detected": run.summary.get("drift_detected"),
        "drift": None if state is None else state.to_dict(),
    }


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
                "x": [chart_time(r) for r in chosen],
                "y": [label(decision)] * len(chosen),
                "customdata": [r.id for r in chosen],
                "text": [f"run {order[r.id]} · {_hover(r)}" for r in chosen],
                "hovertemplate": "%{text}<extra>%{y}</extra>",
                "marker": {"size": 10, "color": DECISION_COLORS.get(decision, "#64748b")},
            }
        )
    fig = {"data": traces, "layout": figures.layout(x_title="time (UTC)", height=240)}
    fig["layout"]["xaxis"]["type"] = "date"
    fig["layout"]["yaxis"]["categoryorder"] = "array"
    fig["layout"]["yaxis"]["categoryarray"] = [label(d) for d in [*DECISIONS, "running"]]
    fig["layout"]["showlegend"] = False
    return fig


def _run_links(base: str, name: str, runs: list[RunRecord]) -> dict[str, str]:
    """Each run's page, by run id (what a clicked point carries)."""
    return click_links(base, name, "run", [r.id for r in runs], [r.id for r in runs])["links"]


def _hover(run: RunRecord) -> str:
    why = clip(run.summary.get("reason") or run.error, 160)
    return f"{clock(run.started_at)}<br>{file_name(run.source)}<br>{words(why)}"


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
                words(clip(r.summary.get("reason") or r.error, 240)),
            ]
        )
    columns = ["started", "file", "status", "decision", "champion", metric or "metric",
               *([f"estimated {metric}"] if shown else []), "drift", "why"]  # fmt: skip
    phone = ["started", "file", "decision", metric or "metric", "drift"]
    return table("runs-table", "Latest runs", columns, rows, note="Newest first.", phone=phone)
