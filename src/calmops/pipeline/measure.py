"""What a run measures its models by: the decision metric (a built-in one, or the hooks
file's ``custom``), the positive label, and every metric of a model's predictions.

The positive label is ``decision.positive_label``, else the champion's (kept in its model
card so it never changes under a pipeline), else, for the first model, the default of
:func:`calmops.models.metrics.positive_label` on the first batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.errors import SpecError
from calmops.models.metrics import (
    Metric,
    Proba,
    custom_metric,
    positive_label,
    predict_proba,
    primary_metric,
    scores,
)

__all__ = ["custom_of", "decision_metric", "measure", "positive", "probabilities", "require_proba"]


def decision_metric(ctx: Any) -> Metric:
    """The metric performance drift and promotion are judged by (``decision.metric``)."""
    return primary_metric(ctx.task, ctx.spec.decision.metric, custom_of(ctx))


def custom_of(ctx: Any) -> Metric | None:
    """The hooks file's ``metric`` as the metric ``custom`` (None without one)."""
    hooks = ctx.hooks
    if getattr(hooks, "metric", None) is None:
        return None
    return custom_metric(hooks.metric, ctx.task, hooks.metric_higher_is_better)


def positive(ctx: Any) -> Any:
    """The run's positive label (None for regression); fixed once found."""
    if ctx.task != "classification":
        return None
    if ctx.positive is None:
        y = ctx.target.to_numpy() if ctx.target is not None else np.array([])
        card = {} if ctx.champion is None else (ctx.champion.card or {})
        given = ctx.spec.decision.positive_label
        if given is None:
            given = card.get("positive_label")
        ctx.positive = positive_label(y, given) if len(y) or given is None else given
        if ctx.champion is None and len(y) and ctx.positive not in set(np.unique(y).tolist()):
            labels = ", ".join(map(str, np.unique(y)[:10].tolist()))
            ctx.notes.append(
                f"decision.positive_label {given!r} is not among the labels of this batch "
                f"({labels}): precision, recall and f1 are 0 until it appears"
            )
    return ctx.positive


def measure(ctx: Any, y_true, y_pred, proba: Proba | None = None) -> dict[str, float]:
    """Every metric of the task on these predictions, with the custom one if any."""
    custom = custom_of(ctx)
    return scores(
        y_true,
        y_pred,
        ctx.task,
        proba=proba,
        positive=positive(ctx),
        extra=() if custom is None else (custom,),
    )


def require_proba(ctx: Any, proba: Proba | None, model: Any, who: str) -> Proba | None:
    """``proba``, or an error naming ``who`` when the decision metric needs probabilities
    and ``model`` has no ``predict_proba``."""
    if proba is not None or ctx.task != "classification":
        return proba
    metric = decision_metric(ctx)
    if metric.needs_proba:
        raise SpecError(
            f"decision.metric {metric.name} needs predicted probabilities, and {who} "
            f"({_estimator_name(model)}) has no predict_proba: choose a classifier that has one "
            "or a label metric such as balanced_accuracy"
        )
    return proba


def probabilities(ctx: Any, model: Any, X, *, who: str) -> Proba | None:
    """``model``'s probabilities on ``X`` for a classifier (None for a regressor); an error
    naming ``who`` when the decision metric needs them and the model has none."""
    if ctx.task != "classification":
        return None
    return require_proba(ctx, predict_proba(model, X), model, who)


def _estimator_name(model: Any) -> str:
    """The class name of the model, or of the last step of a scikit-learn Pipeline."""
    return type(getattr(model, "_final_estimator", model)).__name__
