"""Metrics, their bootstrap intervals, and paired comparisons, vectorised.

Every metric is registered in :data:`METRICS` with its task and direction; the definitions
are in ``calmops.models.metrics.definitions``, the two bootstrap families (confusion counts,
rows resampled by index) in ``calmops.models.metrics.families``. Probability metrics
(``roc_auc``, ``average_precision``, ``log_loss``, ``brier``) need the model's
``predict_proba``; ``scores`` leaves them out when no probabilities are given.

>>> import numpy as np
>>> y = np.array([0, 0, 1, 1, 1, 1]); p = np.array([0, 1, 1, 1, 1, 0])
>>> scores(y, p, "classification")["balanced_accuracy"]
0.625
>>> proba = Proba(np.array([[.9, .1], [.4, .6], [.3, .7], [.2, .8], [.1, .9], [.6, .4]]),
...               np.array([0, 1]))
>>> round(scores(y, p, "classification", proba=proba)["roc_auc"], 3)
0.875
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from calmops.errors import RegistryError, SpecError
from calmops.models.metrics.definitions import BUILT_IN
from calmops.models.metrics.families import (
    CountMetric,
    CustomMetric,
    Metric,
    Proba,
    RankMetric,
    Scored,
    SumMetric,
)
from calmops.models.metrics.wording import describe_change
from calmops.registry import Registry, unknown_name

__all__ = [
    "CUSTOM",
    "METRICS",
    "CountMetric",
    "CustomMetric",
    "Interval",
    "Metric",
    "PairedComparison",
    "Proba",
    "RankMetric",
    "Scored",
    "SumMetric",
    "compare_independent",
    "compare_paired",
    "custom_metric",
    "describe_change",
    "get_metric",
    "interval",
    "positive_label",
    "predict_proba",
    "primary_metric",
    "scores",
]

CUSTOM = "custom"
"""``decision.metric: custom``: the ``metric`` function of the pipeline's hooks file."""

METRICS: Registry[Metric] = Registry("metric")
"""Metrics by name (the spec's ``decision.metric`` and ``promotion.thresholds`` keys)."""
for _metric in BUILT_IN:
    METRICS.register(_metric)
_PRIMARY = {"classification": "balanced_accuracy", "regression": "rmse"}


def get_metric(name: str, task: str, custom: Metric | None = None) -> Metric:
    """The metric called ``name`` for ``task`` (``custom``: the hooks file's); the error
    lists the valid names.

    Examples
    --------
    >>> get_metric("rmse", "regression").higher_is_better
    False
    >>> get_metric("rmsee", "classification")
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: decision.metric: no classification metric 'rmsee'; choose from ...
    """
    if name == CUSTOM:
        if custom is None:
            raise SpecError(
                "decision.metric: 'custom' needs a hooks file that defines "
                "metric(y_true, y_pred, proba) and METRIC_HIGHER_IS_BETTER"
            )
        return custom
    try:
        metric = METRICS.get(name)
    except RegistryError:
        metric = None
    if metric is None or metric.task != task:
        valid = [n for n, m in METRICS.items() if m.task == task] + [CUSTOM]
        raise SpecError(f"decision.metric: {unknown_name(f'{task} metric', name, valid)}")
    return metric


def primary_metric(task: str, name: str | None = None, custom: Metric | None = None) -> Metric:
    """The metric promotion and performance drift are judged by."""
    return get_metric(name or _PRIMARY[task], task, custom)


def positive_label(y_true, given: Any = None) -> Any:
    """The positive label: ``given`` (as the labels' type), else 1 / True for 0/1 and
    True/False labels, else the least frequent label (the first of a tie, sorted).

    Examples
    --------
    >>> positive_label(np.array([0, 1, 1])), positive_label(np.array(["b", "a", "a"]))
    (1, 'b')
    >>> positive_label(np.array(["0", "1"]), given=1)
    '1'
    """
    y = np.asarray(y_true)
    if given is not None:
        if y.dtype.kind in "OUS":
            return str(given)
        if y.dtype.kind == "b":
            return str(given).lower() in ("true", "1")
        try:
            return float(given) if y.dtype.kind == "f" else int(given)
        except ValueError:
            raise SpecError(
                f"decision.positive_label: {given!r} is not a label of this target "
                f"(numbers such as {', '.join(map(str, np.unique(y)[:5].tolist()))})"
            ) from None
    labels, counts = np.unique(y, return_counts=True)
    if y.dtype.kind == "b":
        return True
    if y.dtype.kind in "iuf" and set(labels.tolist()) <= {0, 1}:
        return 1
    if y.dtype.kind in "OUS" and set(map(str, labels)) <= {"0", "1"}:
        return "1"
    if not len(labels):
        return None
    found = labels[int(np.argmin(counts))]
    return found.item() if isinstance(found, np.generic) else found


def predict_proba(model: Any, X) -> Proba | None:
    """The model's probabilities on ``X`` with its classes, or None if it has none."""
    if not hasattr(model, "predict_proba") or getattr(model, "classes_", None) is None:
        return None
    return Proba(np.asarray(model.predict_proba(X), dtype=float), np.asarray(model.classes_))


def _scored(y_true, y_pred, task: str, proba: Proba | None, positive: Any) -> Scored:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if task == "classification":
        positive = positive_label(y_true, positive)
    return Scored(y_true, y_pred, proba, positive)


def scores(
    y_true,
    y_pred,
    task: str,
    *,
    proba: Proba | None = None,
    positive: Any = None,
    extra: Iterable[Metric] = (),
) -> dict[str, float]:
    """Every metric of ``task`` for these predictions (agrees with scikit-learn); the
    probability metrics only with ``proba``; ``extra``: more metrics (a custom one)."""
    scored = _scored(y_true, y_pred, task, proba, positive)
    chosen = [m for _, m in METRICS.items() if m.task == task] + list(extra)
    return {m.name: m.point(scored) for m in chosen if proba is not None or not m.needs_proba}


# ---- intervals and comparisons -----------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A metric's value and its bootstrap confidence interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedComparison:
    """How much better ``a`` is than ``b`` (positive: better), with interval and p-value.

    ``p_value`` is the bootstrap share of resamples where ``a`` is not better than ``b``.
    """

    improvement: float
    low: float
    high: float
    p_value: float


def _needs(metric: Metric, *probas: Proba | None) -> None:
    if metric.needs_proba and any(p is None for p in probas):
        raise SpecError(
            f"metric {metric.name} needs predicted probabilities, and the model has no "
            "predict_proba; choose a label metric (e.g. balanced_accuracy) or a model with "
            "predict_proba"
        )


def interval(
    y_true,
    y_pred,
    metric: Metric,
    *,
    proba=None,
    positive=None,
    confidence=0.95,
    n_boot=500,
    seed=0,
) -> Interval:
    """``metric`` with a percentile bootstrap interval."""
    _needs(metric, proba)
    scored = _scored(y_true, y_pred, metric.task, proba, positive)
    (replicates,) = metric.replicates([scored], n_boot, np.random.default_rng(seed))
    low, high = _quantiles(replicates, confidence)
    return Interval(metric.point(scored), low, high)


def compare_paired(
    y_true,
    pred_a,
    pred_b,
    metric: Metric,
    *,
    proba_a=None,
    proba_b=None,
    positive=None,
    confidence=0.95,
    n_boot=500,
    seed=0,
) -> PairedComparison:
    """Compare two models on the same rows, resampling the rows jointly."""
    _needs(metric, proba_a, proba_b)
    a = _scored(y_true, pred_a, metric.task, proba_a, positive)
    b = Scored(a.y_true, np.asarray(pred_b), proba_b, a.positive)
    a_reps, b_reps = metric.replicates([a, b], n_boot, np.random.default_rng(seed))
    return _compared(metric, metric.point(a), metric.point(b), a_reps, b_reps, confidence)


def compare_independent(
    current: tuple,
    baseline: tuple,
    metric: Metric,
    *,
    positive=None,
    confidence=0.95,
    n_boot=500,
    seed=0,
) -> PairedComparison:
    """How much better ``current`` (y_true, y_pred[, proba]) is than ``baseline``, on
    different rows."""
    rng = np.random.default_rng(seed)
    y_now, pred_now, proba_now = _triple(current)
    y_then, pred_then, proba_then = _triple(baseline)
    now = _scored(y_now, pred_now, metric.task, proba_now, positive)
    then = _scored(y_then, pred_then, metric.task, proba_then, now.positive)
    _needs(metric, now.proba, then.proba)
    (now_reps,) = metric.replicates([now], n_boot, rng)
    (then_reps,) = metric.replicates([then], n_boot, rng)
    return _compared(metric, metric.point(now), metric.point(then), now_reps, then_reps, confidence)


def _triple(side: tuple) -> tuple:
    y_true, y_pred, *rest = side
    return y_true, y_pred, rest[0] if rest else None


def _compared(metric, a: float, b: float, a_reps, b_reps, confidence) -> PairedComparison:
    differences = a_reps - b_reps if metric.higher_is_better else b_reps - a_reps
    low, high = _quantiles(differences, confidence)
    p_value = float(np.mean(differences[~np.isnan(differences)] <= 0))
    return PairedComparison(metric.better(a, b), low, high, p_value)


def _quantiles(values: np.ndarray, confidence: float) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)


def custom_metric(function: Callable[..., float], task: str, higher_is_better: bool) -> Metric:
    """The hooks file's ``metric`` function as a metric called ``custom``."""
    return CustomMetric(function, task, bool(higher_is_better))
