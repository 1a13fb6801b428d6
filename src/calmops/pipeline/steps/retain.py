"""Step ``retain``: keep the batch's labelled rows for future retraining and, when it showed
no drift, add the champion's results on it to the performance baseline."""

from __future__ import annotations

from calmops.models.strategies import Batch
from calmops.pipeline.baseline import PerformanceBaseline
from calmops.pipeline.context import RunContext
from calmops.pipeline.policy import DecisionKind


def retain(ctx: RunContext) -> str:
    if not ctx.labelled or ctx.spec.prediction_only:
        return "nothing to retain"
    ctx.retained.write(ctx.run_id, Batch(ctx.features, ctx.target))
    if ctx.decision.kind == DecisionKind.NO_DRIFT and ctx.predictions is not None:
        PerformanceBaseline.of(ctx).add(ctx.run_id, ctx.target.to_numpy(), ctx.predictions)
    return f"kept {len(ctx.target):,} labelled rows"
