"""Step ``retain``: keep the batch's labelled rows for future retraining."""

from __future__ import annotations

from calmops.models.strategies import Batch
from calmops.pipeline.context import RunContext


def retain(ctx: RunContext) -> str:
    if not ctx.labelled or ctx.spec.prediction_only:
        return "nothing to retain"
    ctx.retained.write(ctx.run_id, Batch(ctx.features, ctx.target))
    return f"kept {len(ctx.target):,} labelled rows"
