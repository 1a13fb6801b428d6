"""Scoring a batch with the champion: the default ``score`` of every kind."""

from __future__ import annotations

import numpy as np

from calmops.errors import DataValidationError
from calmops.models.metrics import predict_proba
from calmops.pipeline.context import RunContext
from calmops.pipeline.measure import measure, require_proba

__all__ = ["predict_in_chunks", "score_champion"]

#: rows predicted at a time: bounds the memory of the model's preprocessing on a large batch
SCORE_CHUNK_ROWS = 250_000


def predict_in_chunks(model, features, rows: int = SCORE_CHUNK_ROWS) -> np.ndarray:
    """``model.predict(features)``, ``rows`` rows at a time, as one array.

    >>> from sklearn.dummy import DummyClassifier
    >>> model = DummyClassifier(strategy="constant", constant=1).fit([[0], [1]], [0, 1])
    >>> predict_in_chunks(model, np.zeros((5, 1)), rows=2).tolist()
    [1, 1, 1, 1, 1]
    """
    if len(features) <= rows:
        return np.asarray(model.predict(features))
    parts = [
        np.asarray(model.predict(features[start : start + rows]))
        for start in range(0, len(features), rows)
    ]
    return np.concatenate(parts)


def score_champion(ctx: RunContext) -> str:
    """Every row predicted by the champion (with its probabilities, for a classifier that
    has them), and its metrics on the batch when labelled."""
    if ctx.champion is None:
        return "no champion yet"
    ctx.champion_model = ctx.registry.load(ctx.champion)
    try:
        ctx.predictions = predict_in_chunks(ctx.champion_model, ctx.features)
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
