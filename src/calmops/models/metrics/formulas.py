"""The formulas of the metrics, vectorised over bootstrap resamples.

Three shapes of input, one per family (``calmops.models.metrics.families``):

- confusion counts ``(B, K, K)`` (rows: true class, columns: predicted class) and the index of
  the positive class;
- column sums ``(B, d)`` of per-row statistics (regression errors, log loss, Brier);
- row weights ``(B, n)`` (how often each row is drawn in a resample) for rank metrics.

Every function returns one value per resample, NaN where the metric is undefined there.
"""

from __future__ import annotations

import numpy as np

# ---- confusion counts ------------------------------------------------------------------


def accuracy(c: np.ndarray, positive: int) -> np.ndarray:
    """Share of rows predicted right."""
    return np.trace(c, axis1=1, axis2=2) / c.sum(axis=(1, 2))


def balanced_accuracy(c: np.ndarray, positive: int) -> np.ndarray:
    """Mean recall over the classes present in the truth (robust to imbalance)."""
    support = c.sum(axis=2)
    hits = np.diagonal(c, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(support > 0, hits / support, np.nan)
        return np.nanmean(recall, axis=1)


def f1_macro(c: np.ndarray, positive: int) -> np.ndarray:
    """Mean F1 over the classes present in the truth or the predictions."""
    tp = np.diagonal(c, axis1=1, axis2=2)
    denominator = c.sum(axis=2) + c.sum(axis=1)  # 2tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denominator > 0, 2 * tp / denominator, np.nan)
        return np.nanmean(f1, axis=1)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (scikit-learn's zero_division)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), 0.0)


def precision(c: np.ndarray, positive: int) -> np.ndarray:
    """Share of the rows predicted positive that are positive (0 when none is predicted)."""
    return _ratio(c[:, positive, positive], c[:, :, positive].sum(axis=1))


def recall(c: np.ndarray, positive: int) -> np.ndarray:
    """Share of the positive rows predicted positive (0 when there is none)."""
    return _ratio(c[:, positive, positive], c[:, positive, :].sum(axis=1))


def f1(c: np.ndarray, positive: int) -> np.ndarray:
    """F1 of the positive class: 2tp / (2tp + fp + fn) (0 when that is 0/0)."""
    tp = c[:, positive, positive]
    return _ratio(2 * tp, c[:, positive, :].sum(axis=1) + c[:, :, positive].sum(axis=1))


# ---- column sums ---------------------------------------------------------------------
# regression sums, per resample: n, sum(e^2), sum(|e|), sum(y), sum(y^2)


def rmse(s: np.ndarray) -> np.ndarray:
    """Root mean squared error."""
    return np.sqrt(s[:, 1] / s[:, 0])


def mae(s: np.ndarray) -> np.ndarray:
    """Mean absolute error."""
    return s[:, 2] / s[:, 0]


def r2(s: np.ndarray) -> np.ndarray:
    """Coefficient of determination (1 - SSE / SST); NaN when the truth is constant."""
    total = s[:, 4] - s[:, 3] ** 2 / s[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 1 - s[:, 1] / total, np.nan)


def mean_of_second(s: np.ndarray) -> np.ndarray:
    """Mean of a per-row statistic, from the sums (n, sum(statistic))."""
    return s[:, 1] / s[:, 0]


# ---- rank metrics on row weights -------------------------------------------------------


def _groups(score: np.ndarray, descending: bool) -> tuple[np.ndarray, np.ndarray]:
    """The row order by score and the start of each run of tied scores in that order."""
    order = np.argsort(-score if descending else score)
    ordered = score[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return order, starts


def _group_weights(weights, is_positive, order, starts) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative weight of each tie group, per resample: two (B, G) arrays."""
    w = weights[:, order].astype(float)
    positive = is_positive[order]
    pos = np.add.reduceat(w * positive, starts, axis=1)
    neg = np.add.reduceat(w * ~positive, starts, axis=1)
    return pos, neg


def roc_auc_binary(score: np.ndarray, is_positive: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Area under the ROC curve (Mann-Whitney, ties count half); NaN without both classes."""
    order, starts = _groups(score, descending=False)
    pos, neg = _group_weights(weights, is_positive, order, starts)
    below = np.cumsum(neg, axis=1) - neg  # negative weight strictly below each group
    pairs = pos.sum(axis=1) * neg.sum(axis=1)
    won = (pos * (below + 0.5 * neg)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, won / np.where(pairs > 0, pairs, 1), np.nan)


def average_precision_binary(
    score: np.ndarray, is_positive: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Sum over thresholds of (recall step) x precision, as scikit-learn; NaN without
    positives."""
    order, starts = _groups(score, descending=True)
    pos, neg = _group_weights(weights, is_positive, order, starts)
    tp, fp = np.cumsum(pos, axis=1), np.cumsum(neg, axis=1)
    total = tp[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        precision_at = np.where(tp + fp > 0, tp / np.where(tp + fp > 0, tp + fp, 1), 0.0)
        ap = (pos * precision_at).sum(axis=1) / np.where(total > 0, total, 1)
    return np.where(total > 0, ap, np.nan)


def one_vs_rest(binary, proba: np.ndarray, codes: np.ndarray, positive: int, weights):
    """A binary rank metric on 2 classes (the positive column); with more, the mean over the
    classes of class-vs-rest, skipping a class undefined in a resample (NaN if all are)."""
    k = proba.shape[1]
    if k == 2:
        return binary(proba[:, positive], codes == positive, weights)
    per_class = np.stack([binary(proba[:, j], codes == j, weights) for j in range(k)], axis=1)
    with np.errstate(invalid="ignore"), _quiet_nanmean():
        return np.nanmean(per_class, axis=1)


class _quiet_nanmean:
    """Silences numpy's 'mean of empty slice' (an all-NaN resample stays NaN)."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)
