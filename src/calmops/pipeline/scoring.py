"""Scoring a batch with the champion: the default ``score`` of every kind."""

from __future__ import annotations

import numpy as np

from calmops.errors import DataValidationError
from calmops.models.metrics import predict_proba
from calmops.pipeline.context import RunContext
from calmops.pipeline.measure import measure, require_proba

__all__ = ["score_champion"]


def score_champion(ctx: RunContext) -> str:
    """Every row predicted by the champion (with its probabilities, for a classifier that
    has them), and its metrics on the batch when labelled."""
    if ctx.champion is None:
        return "no champion yet"
    ctx.champion_model = ctx.registry.load(ctx.champion)
    try:
        ctx.predictions = np.asarray(ctx.champion_model.predict(ctx.features))
        proba = (
            predict_proba(ctx.champion_model, ctx.features)
            if ctx.task == "classification"
            else None
        )
    except (ValueError, TypeError) as error:
        raise DataValidationError(
            f"champion v{ctx.champion.version} could not score the batch: {error}"
        ) from None
    ctx.proba = require_proba(ctx, proba, ctx.champion_model, f"champion v{ctx.champion.version}")
    if ctx.labelled:
        ctx.batch_metrics = measure(ctx, ctx.target.to_numpy(), ctx.predictions, ctx.proba)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in ctx.batch_metrics.items())
        return f"v{ctx.champion.version}: {shown}"
    return f"v{ctx.champion.version} scored {len(ctx.predictions):,} rows"
