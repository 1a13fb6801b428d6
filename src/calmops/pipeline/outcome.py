"""What a run commits: its :class:`~calmops.pipeline.report.RunReport` and the store rows
(``RunOutcome``: the run, its file's status, metrics, drift rows, new versions, aliases,
breaker and detector state), built from the finished :class:`RunContext`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from calmops.alerts import breaker_opening
from calmops.models.metrics import primary_metric
from calmops.pipeline.context import RunContext
from calmops.pipeline.estimation import estimation_rows, summary_of
from calmops.pipeline.report import RunReport
from calmops.store import DriftRow, MetricRow, RunOutcome, RunRecord, utcnow

__all__ = ["build_outcome", "build_report", "drift_rows"]


def build_report(ctx: RunContext, status: str, error: str | None) -> RunReport:
    """The report of the run as it stands (``status`` succeeded or failed)."""
    return RunReport(
        run_id=ctx.run_id,
        pipeline=ctx.spec.name,
        status=status,
        error=error,
        started_at=ctx.started_at.isoformat(),
        finished_at=utcnow().isoformat(),
        file=None if ctx.file is None else asdict(ctx.file),
        rows=None if ctx.frame is None else len(ctx.frame),
        labelled=ctx.labelled,
        task=ctx.task,
        notes=tuple(ctx.notes),
        decision=ctx.decision,
        signals=dict(ctx.signals),
        champion_before=None if ctx.champion is None else ctx.champion.version,
        champion_after=ctx.champion_after,
        champion_metrics=dict(ctx.batch_metrics),
        challengers=tuple(c.entry() for c in ctx.challengers),
        drift=None if ctx.drift_report is None else ctx.drift_report.to_dict(),
        timings={name: round(seconds, 4) for name, seconds in ctx.timings.items()},
        candidates=tuple(ctx.candidates),
        change_point=None if ctx.change is None else asdict(ctx.change),
        attention=_attention(ctx) if status == "succeeded" else None,
        period=ctx.period,
        blocks=ctx.block_section,
        ipip=ctx.ipip_section,
        chunk=ctx.chunk,
        estimation=ctx.estimation,
    )


def build_outcome(ctx: RunContext, status: str, error: str | None = None) -> RunOutcome:
    """What the run commits: on failure only the run, its file and the breaker."""
    report = build_report(ctx, status, error).to_dict()
    reason = error if status == "failed" else (ctx.decision.reason if ctx.decision else None)
    run = RunRecord(
        id=ctx.run_id,
        pipeline=ctx.spec.name,
        status=status,
        started_at=ctx.started_at,
        finished_at=utcnow(),
        decision=None if status == "failed" or ctx.decision is None else ctx.decision.kind.value,
        source=None if ctx.source is None else str(ctx.source),
        error=error,
        model_version=ctx.champion_after,
        summary=_summary(ctx, reason),
        report=report,
    )
    if status == "failed":
        return RunOutcome(run, file_status="failed" if ctx.file else None, breaker=ctx.new_breaker)
    return RunOutcome(
        run,
        file_status="done" if ctx.file else None,
        metrics=tuple(_metric_rows(ctx)),
        drift=tuple(_drift_rows(ctx)),
        new_versions=tuple(c.version for c in ctx.challengers),
        aliases=dict(ctx.aliases),
        alias_reason=ctx.alias_reason,
        breaker=ctx.new_breaker,
        detector_state=_detector_state(ctx),
    )


def _summary(ctx: RunContext, reason: str | None) -> dict[str, Any]:
    data = ctx.signals.get("data")
    promoted = [c for c in ctx.challengers if c.promoted]
    metrics = dict(ctx.batch_metrics)
    if promoted:
        metrics = {f"holdout_{k}": v for k, v in promoted[0].metrics.items()} | metrics
    return {
        "metric": None
        if ctx.task is None
        else ctx.spec.decision.metric or primary_metric(ctx.task).name,
        "drift_detected": bool(data and data.fired),
        "signals": {name: s.fired for name, s in ctx.signals.items()},
        "champion_version": ctx.champion_after,
        "metrics": metrics,
        "reason": reason,
        "rows": None if ctx.frame is None else len(ctx.frame),
        "attention": None if _attention(ctx) is None else list(_attention(ctx)),
        **({"estimation": summary_of(ctx.estimation)} if ctx.estimation is not None else {}),
        **_chunk_summary(ctx),
        **_breaker_summary(ctx),
        **_drift_summary(ctx),
    }


def _drift_summary(ctx: RunContext) -> dict[str, Any]:
    """The features that drifted or warned and the dataset rule, so pages can show a drifted
    feature as drift even when the dataset rule did not fire."""
    report = ctx.drift_report
    if report is None:
        return {}
    warned = [
        name
        for name, f in report.features.items()
        if not f.drift and (f.verdict.value == "warning" or (f.effect and f.material))
    ]
    return {
        "drift_features": {
            "drifted": report.drifted[:20],
            "warned": warned[:20],
            "dataset_rule": report.dataset_rule,
            "drift_share": report.drift_share,
        }
    }


def _breaker_summary(ctx: RunContext) -> dict[str, Any]:
    """``breaker_opened`` when this run opened the circuit breaker (an alert)."""
    opened = breaker_opening(ctx.breaker, ctx.new_breaker)
    return {} if opened is None else {"breaker_opened": opened}


def _chunk_summary(ctx: RunContext) -> dict[str, Any]:
    """The period and chunk flags, so run lists show them without reading reports."""
    out: dict[str, Any] = {}
    if ctx.period is not None:
        out["period"] = ctx.period.to_dict()
    if ctx.chunk is not None:
        out["chunk"] = {"by": ctx.chunk.by, "partial": ctx.chunk.partial, "late": ctx.chunk.late}
    return out


def _attention(ctx: RunContext) -> tuple[str, ...] | None:
    """What needs a person after a labelled run (empty: nothing); None when not judged."""
    if ctx.decision is not None and ctx.decision.kind == "alert":
        return tuple(ctx.attention)
    return tuple(ctx.attention) if ctx.labelled and ctx.decision is not None else None


def _metric_rows(ctx: RunContext):
    if ctx.champion is not None:
        for name, value in ctx.batch_metrics.items():
            yield MetricRow(name, value, ctx.champion.version, scope="batch")
    for challenger in ctx.challengers:
        for name, value in challenger.metrics.items():
            yield MetricRow(name, value, challenger.version.version, scope="holdout")
    if ctx.champion is not None:
        yield from estimation_rows(ctx.estimation, ctx.champion.version)
    yield from ctx.extra_metrics


def _drift_rows(ctx: RunContext):
    yield from ctx.extra_drift
    if ctx.drift_report is not None:
        yield from drift_rows(ctx.drift_report)


def drift_rows(report: Any, scope: str = "reference", block: str | None = None):
    """The store rows of a drift report: one per feature, non-finite numbers as None."""
    from calmops.drift.base import finite_or_none

    for name, feature in report.features.items():
        yield DriftRow(
            feature=name,
            test=feature.test,
            statistic=finite_or_none(feature.statistic),
            p_value=finite_or_none(feature.p_value),
            threshold=finite_or_none(feature.threshold),
            drift=bool(feature.drift),
            verdict=str(getattr(feature.verdict, "value", feature.verdict)),
            scope=scope,
            block=block,
        )


def _detector_state(ctx: RunContext) -> dict[str, Any] | None:
    champion = ctx.champion_after
    if champion is None:
        return None
    if ctx.champion is not None and champion != ctx.champion.version:
        return {"champion": champion, "detector": None}  # a new champion starts afresh
    if ctx.detector is None:
        return None
    return {"champion": champion, "detector": ctx.detector.to_dict()}
