"""Step ``retain``: log the champion's per-row predictions (``calmops.pipeline.run_log``),
keep the batch's labelled rows for future retraining and add the
champion's results on it to the performance baseline when the batch showed no drift, or when
every challenger lost to a champion that still beats chance (then the batch is what the
champion can really do: a baseline left at a lucky first holdout would fire on every batch)."""

from __future__ import annotations

from calmops.models.registry import Holdout
from calmops.models.strategies import Batch
from calmops.pipeline.baseline import PerformanceBaseline
from calmops.pipeline.context import RunContext
from calmops.pipeline.measure import positive
from calmops.pipeline.policy import DecisionKind
from calmops.pipeline.run_log import run_log_table, write_run_log


def retain(ctx: RunContext) -> str:
    logged = _log_predictions(ctx)
    if not ctx.labelled or ctx.spec.prediction_only:
        return logged or "nothing to retain"
    ctx.retained.write(ctx.run_id, Batch(ctx.features, ctx.target))
    if ctx.predictions is not None and (
        ctx.decision.kind == DecisionKind.NO_DRIFT or _kept_on_merit(ctx)
    ):
        y = ctx.target.to_numpy()
        batch = Holdout(y, ctx.predictions)
        if ctx.proba is not None:
            batch = Holdout(y, ctx.predictions, ctx.proba.values, ctx.proba.classes)
        PerformanceBaseline.of(ctx).add(ctx.run_id, batch)
    return f"kept {len(ctx.target):,} labelled rows" + (f"; {logged}" if logged else "")


def _log_predictions(ctx: RunContext) -> str:
    """Write the run's per-row predictions (before the commit; see ``run_log``)."""
    if not ctx.spec.log_predictions or ctx.predictions is None or ctx.features is None:
        return ""
    rows = len(ctx.predictions)
    keys = ctx.row_keys
    if rows != len(ctx.features) or (keys is not None and len(keys) != rows):
        ctx.notes.append(
            f"predictions not logged: {rows:,} predictions for {len(ctx.features):,} rows"
        )
        return ""
    proba = ctx.proba if ctx.proba is not None and len(ctx.proba.values) == rows else None
    table = run_log_table(
        ctx.predictions,
        keys=keys,
        proba=proba,
        positive=positive(ctx) if proba is not None else None,
        source=None if ctx.source is None else str(ctx.source),
        labelled=ctx.labelled,
    )
    write_run_log(ctx.paths.root, ctx.run_id, table)
    return f"logged {rows:,} predictions"


def _kept_on_merit(ctx: RunContext) -> bool:
    """Challengers were trained and all lost, and the champion beats chance on the batch."""
    if ctx.champion is None or not ctx.challengers or any(c.promoted for c in ctx.challengers):
        return False
    return ctx.chance is not None and ctx.chance.beaten(ctx.spec.promotion.significance)
