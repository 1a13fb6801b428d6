"""Step ``retain``: keep the batch's labelled rows for future retraining and add the
champion's results on it to the performance baseline when the batch showed no drift, or when
every challenger lost to a champion that still beats chance (then the batch is what the
champion can really do: a baseline left at a lucky first holdout would fire on every batch)."""

from __future__ import annotations

from calmops.models.registry import Holdout
from calmops.models.strategies import Batch
from calmops.pipeline.baseline import PerformanceBaseline
from calmops.pipeline.context import RunContext
from calmops.pipeline.policy import DecisionKind


def retain(ctx: RunContext) -> str:
    if not ctx.labelled or ctx.spec.prediction_only:
        return "nothing to retain"
    ctx.retained.write(ctx.run_id, Batch(ctx.features, ctx.target))
    if ctx.predictions is not None and (
        ctx.decision.kind == DecisionKind.NO_DRIFT or _kept_on_merit(ctx)
    ):
        y = ctx.target.to_numpy()
        batch = Holdout(y, ctx.predictions)
        if ctx.proba is not None:
            batch = Holdout(y, ctx.predictions, ctx.proba.values, ctx.proba.classes)
        PerformanceBaseline.of(ctx).add(ctx.run_id, batch)
    return f"kept {len(ctx.target):,} labelled rows"


def _kept_on_merit(ctx: RunContext) -> bool:
    """Challengers were trained and all lost, and the champion beats chance on the batch."""
    if ctx.champion is None or not ctx.challengers or any(c.promoted for c in ctx.challengers):
        return False
    return ctx.chance is not None and ctx.chance.beaten(ctx.spec.promotion.significance)
