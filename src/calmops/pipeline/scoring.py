"""Scoring a batch with the champion: the default ``score`` of every kind."""

from __future__ import annotations

import numpy as np

from calmops.errors import DataValidationError
from calmops.models.metrics import scores
from calmops.pipeline.context import RunContext

__all__ = ["score_champion"]


def score_champion(ctx: RunContext) -> str:
    """Every row predicted by the champion, and its metrics on the batch when labelled."""
    if ctx.champion is None:
        return "no champion yet"
    ctx.champion_model = ctx.registry.load(ctx.champion)
    try:
        ctx.predictions = np.asarray(ctx.champion_model.predict(ctx.features))
    except (ValueError, TypeError) as error:
        raise DataValidationError(
            f"champion v{ctx.champion.version} could not score the batch: {error}"
        ) from None
    if ctx.labelled:
        ctx.batch_metrics = scores(ctx.target.to_numpy(), ctx.predictions, ctx.task)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in ctx.batch_metrics.items())
        return f"v{ctx.champion.version}: {shown}"
    return f"v{ctx.champion.version} scored {len(ctx.predictions):,} rows"
