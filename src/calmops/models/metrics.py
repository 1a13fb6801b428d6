"""Metrics, their bootstrap intervals, and paired comparisons, vectorised.

Classification metrics are functions of the confusion matrix, so a bootstrap resample is a
multinomial draw of its cells: exact and cheap at any row count. Regression metrics are
functions of a few sums (errors, squared errors, targets), resampled by index in chunks.

>>> import numpy as np
>>> y = np.array([0, 0, 1, 1, 1, 1]); p = np.array([0, 1, 1, 1, 1, 0])
>>> scores(y, p, "classification")["balanced_accuracy"]
0.625
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calmops.errors import RegistryError, SpecError
from calmops.registry import Registry, unknown_name

__all__ = [
    "METRICS",
    "Interval",
    "Metric",
    "PairedComparison",
    "compare_independent",
    "compare_paired",
    "get_metric",
    "interval",
    "primary_metric",
    "scores",
]

_CHUNK = 64
_EXACT_ROWS = 5000


@dataclass(frozen=True)
class Metric:
    """A metric of one task; ``from_counts`` maps (B, K, K) confusion counts or (B, 5) sums."""

    name: str
    task: str
    higher_is_better: bool
    from_counts: Callable[[np.ndarray], np.ndarray]

    def better(self, a: float, b: float) -> float:
        """How much better ``a`` is than ``b`` (positive when better)."""
        return a - b if self.higher_is_better else b - a


def _accuracy(c: np.ndarray) -> np.ndarray:
    """Share of rows predicted right."""
    return np.trace(c, axis1=1, axis2=2) / c.sum(axis=(1, 2))


def _balanced_accuracy(c: np.ndarray) -> np.ndarray:
    """Mean recall over the classes (robust to imbalance)."""
    support = c.sum(axis=2)
    hits = np.diagonal(c, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(support > 0, hits / support, np.nan)
    return np.nanmean(recall, axis=1)


def _f1_macro(c: np.ndarray) -> np.ndarray:
    """Mean F1 score over the classes."""
    tp = np.diagonal(c, axis1=1, axis2=2)
    denominator = c.sum(axis=2) + c.sum(axis=1)  # 2tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denominator > 0, 2 * tp / denominator, np.nan)
    return np.nanmean(f1, axis=1)


# regression sums, per resample: n, sum(e^2), sum(|e|), sum(y), sum(y^2)
def _rmse(s: np.ndarray) -> np.ndarray:
    """Root mean squared error."""
    return np.sqrt(s[:, 1] / s[:, 0])


def _mae(s: np.ndarray) -> np.ndarray:
    """Mean absolute error."""
    return s[:, 2] / s[:, 0]


def _r2(s: np.ndarray) -> np.ndarray:
    """Coefficient of determination (1 - SSE / SST)."""
    total = s[:, 4] - s[:, 3] ** 2 / s[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 1 - s[:, 1] / total, np.nan)


METRICS: Registry[Metric] = Registry("metric")
"""Metrics by name (the spec's ``decision.metric`` and ``promotion.thresholds`` keys)."""
METRICS.register(Metric("accuracy", "classification", True, _accuracy))
METRICS.register(Metric("balanced_accuracy", "classification", True, _balanced_accuracy))
METRICS.register(Metric("f1_macro", "classification", True, _f1_macro))
METRICS.register(Metric("rmse", "regression", False, _rmse))
METRICS.register(Metric("mae", "regression", False, _mae))
METRICS.register(Metric("r2", "regression", True, _r2))
_PRIMARY = {"classification": "balanced_accuracy", "regression": "rmse"}


def get_metric(name: str, task: str) -> Metric:
    """The metric called ``name`` for ``task``; the error lists the valid names.

    Examples
    --------
    >>> get_metric("rmse", "regression").higher_is_better
    False
    >>> get_metric("rmsee", "classification")
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: decision.metric: no classification metric 'rmsee'; choose from ...
    """
    try:
        metric = METRICS.get(name)
    except RegistryError:
        metric = None
    if metric is None or metric.task != task:
        valid = [n for n, m in METRICS.items() if m.task == task]
        raise SpecError(f"decision.metric: {unknown_name(f'{task} metric', name, valid)}")
    return metric


def primary_metric(task: str, name: str | None = None) -> Metric:
    """The metric promotion and performance drift are judged by."""
    return get_metric(name or _PRIMARY[task], task)


# ---- the statistics every metric is computed from --------------------------------------


def _confusion(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    labels, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
    k = len(labels)
    true_codes, pred_codes = codes[: len(y_true)], codes[len(y_true) :]
    return np.bincount(true_codes * k + pred_codes, minlength=k * k).reshape(k, k)


def _sums(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    y = np.asarray(y_true, dtype=float)
    e = np.asarray(y_pred, dtype=float) - y
    return np.stack([np.ones_like(y), e**2, np.abs(e), y, y**2], axis=1)  # (n, 5)


def scores(y_true, y_pred, task: str) -> dict[str, float]:
    """Every metric of ``task`` for these predictions (agrees with scikit-learn)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if task == "classification":
        counts = _confusion(y_true, y_pred)[None]
    else:
        counts = _sums(y_true, y_pred).sum(axis=0)[None]
    return {
        name: float(metric.from_counts(counts)[0])
        for name, metric in METRICS.items()
        if metric.task == task
    }


def _resampled(y_true, y_pred, task: str, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap replicates of the metric statistics: (B, K, K) counts or (B, 5) sums."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if task == "classification":
        cells = _confusion(y_true, y_pred)
        k = cells.shape[0]
        return _resample_cells(cells.ravel(), n_boot, rng).reshape(n_boot, k, k)
    return _resample_sums(_sums(y_true, y_pred), n_boot, rng)


def _resample_cells(cells: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Resampling n rows that fall into cells is a multinomial draw of the cell counts."""
    n = int(cells.sum())
    return rng.multinomial(n, cells / n, size=n_boot)


def _resample_sums(rows: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap sums of the rows of ``rows`` (n, d).

    Up to ``_EXACT_ROWS`` rows, rows are resampled by index. Beyond, the sum of n resampled
    rows is drawn from its normal limit (mean n·mean, covariance n·cov): the bootstrap
    distribution of a sum is that normal to within O(1/sqrt(n)), at a cost independent of n.
    """
    n = len(rows)
    if n <= _EXACT_ROWS:
        out = np.empty((n_boot, rows.shape[1]))
        for start in range(0, n_boot, _CHUNK):
            size = min(_CHUNK, n_boot - start)
            out[start : start + size] = rows[rng.integers(0, n, size=(size, n))].sum(axis=1)
        return out
    mean = rows.mean(axis=0)
    covariance = np.cov(rows, rowvar=False, bias=True)
    draws = rng.multivariate_normal(np.zeros(len(mean)), covariance, size=n_boot, method="eigh")
    return n * mean + np.sqrt(n) * draws


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


def interval(y_true, y_pred, metric: Metric, *, confidence=0.95, n_boot=500, seed=0) -> Interval:
    """``metric`` with a percentile bootstrap interval."""
    rng = np.random.default_rng(seed)
    value = scores(y_true, y_pred, metric.task)[metric.name]
    replicates = metric.from_counts(_resampled(y_true, y_pred, metric.task, n_boot, rng))
    low, high = _quantiles(replicates, confidence)
    return Interval(value, low, high)


def compare_paired(
    y_true, pred_a, pred_b, metric: Metric, *, confidence=0.95, n_boot=500, seed=0
) -> PairedComparison:
    """Compare two models on the same rows, resampling the rows jointly."""
    y_true, pred_a, pred_b = (np.asarray(v) for v in (y_true, pred_a, pred_b))
    rng = np.random.default_rng(seed)
    if metric.task == "classification":
        labels, codes = np.unique(np.concatenate([y_true, pred_a, pred_b]), return_inverse=True)
        k, n = len(labels), len(y_true)
        t, a, b = codes[:n], codes[n : 2 * n], codes[2 * n :]
        cells = np.bincount((t * k + a) * k + b, minlength=k**3)
        joint = _resample_cells(cells, n_boot, rng).reshape(n_boot, k, k, k)
        a_reps = metric.from_counts(joint.sum(axis=3))
        b_reps = metric.from_counts(joint.sum(axis=2))
    else:
        rows = np.hstack([_sums(y_true, pred_a), _sums(y_true, pred_b)])
        sums = _resample_sums(rows, n_boot, rng)
        a_reps, b_reps = metric.from_counts(sums[:, :5]), metric.from_counts(sums[:, 5:])
    a = scores(y_true, pred_a, metric.task)[metric.name]
    b = scores(y_true, pred_b, metric.task)[metric.name]
    differences = a_reps - b_reps if metric.higher_is_better else b_reps - a_reps
    low, high = _quantiles(differences, confidence)
    p_value = float(np.mean(differences[~np.isnan(differences)] <= 0))
    return PairedComparison(metric.better(a, b), low, high, p_value)


def compare_independent(
    current: tuple, baseline: tuple, metric: Metric, *, confidence=0.95, n_boot=500, seed=0
) -> PairedComparison:
    """How much better ``current`` (y_true, y_pred) is than ``baseline``, on different rows."""
    rng = np.random.default_rng(seed)
    now = metric.from_counts(_resampled(*current, metric.task, n_boot, rng))
    then = metric.from_counts(_resampled(*baseline, metric.task, n_boot, rng))
    differences = now - then if metric.higher_is_better else then - now
    low, high = _quantiles(differences, confidence)
    point = metric.better(
        scores(*current, metric.task)[metric.name], scores(*baseline, metric.task)[metric.name]
    )
    p_value = float(np.mean(differences[~np.isnan(differences)] <= 0))
    return PairedComparison(point, low, high, p_value)


def _quantiles(values: np.ndarray, confidence: float) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)
