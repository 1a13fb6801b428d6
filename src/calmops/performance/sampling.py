"""How far a batch's realized metric may fall from CBPE's expected value.

If the calibration holds, each row's label is an independent draw from its calibrated
probabilities, and the realized metric is a random variable around the estimate. Two ways
to bound it, both vectorised:

- ``normal`` (the default): the delta method. The confusion counts of the rows predicted
  ``j`` are a sum of independent categorical draws, with covariance
  ``diag(E[:, j]) - sum_i p_i p_i^T``; a count metric's variance is ``g^T Cov g`` summed over
  the predicted classes, ``g`` its gradient in the counts (central differences). ROC AUC is
  ``(U - N1 (N1 + 1) / 2) / (N1 (n - N1))`` with ``U = sum y_i r_i`` (``r``: mid-ranks of the
  model's score) and ``N1 = sum y_i``, two sums of the same draws: the same method, with the
  joint covariance of every class's ``U`` and ``N`` for the one-vs-rest macro mean.
- ``simulate``: ``n_draws`` label draws (Poisson-binomial / multinomial), the metric computed
  on each, the quantiles of those values. Slower; kept as the check of the first.

>>> p = np.full((400, 2), 0.5); pred = np.zeros(400, int)
>>> accuracy = lambda c, pos: np.trace(c, axis1=1, axis2=2) / c.sum(axis=(1, 2))
>>> sd = count_sd(accuracy, count_moments(p, pred), 1)
>>> round(sd, 4)  # a fair coin's share over 400 rows: sqrt(.25 / 400)
0.025
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "auc_parts",
    "auc_sd",
    "count_moments",
    "count_sd",
    "draw_labels",
    "drawn_auc",
    "drawn_counts",
    "onehot",
]

_CELLS = 20_000_000  # draws x rows x classes held in memory at once


def onehot(codes: np.ndarray, k: int) -> np.ndarray:
    """(rows, k) indicator of each row's class (a row of zeros for -1)."""
    out = np.zeros((len(codes), k))
    known = codes >= 0
    out[np.flatnonzero(known), codes[known]] = 1.0
    return out


# ---- normal approximation (delta method) ----------------------------------------------------


def count_moments(calibrated: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expected confusion counts (K, K: true x predicted) and, per predicted class ``j``,
    ``sum_i p_i p_i^T`` over its rows (K, K, K): what :func:`count_sd` needs."""
    predicted = onehot(pred, calibrated.shape[1])
    expected = calibrated.T @ predicted
    outer = np.einsum("ni,nk,nj->jik", calibrated, calibrated, predicted)
    return expected, outer


def count_sd(metric: Callable, moments: tuple[np.ndarray, np.ndarray], positive: int) -> float:
    """Standard deviation of a confusion-count metric under labels drawn from the calibrated
    probabilities, from their :func:`count_moments`."""
    expected, outer = moments
    k = len(expected)
    step = 1e-3
    bumps = np.zeros((2 * k * k, k, k))
    cells = np.arange(k * k)
    bumps[cells, cells // k, cells % k] = step
    bumps[k * k + cells, cells // k, cells % k] = -step
    values = metric(expected[None] + bumps, positive)
    gradient = ((values[: k * k] - values[k * k :]) / (2 * step)).reshape(k, k)
    gradient = np.nan_to_num(gradient)
    variance = np.sum(gradient**2 * expected) - np.einsum("ij,jik,kj->", gradient, outer, gradient)
    return float(np.sqrt(max(variance, 0.0)))


def auc_parts(score: np.ndarray, p: np.ndarray) -> tuple[float, np.ndarray]:
    """The expected ROC AUC of one column (every row a positive of weight ``p`` and a negative
    of weight ``1 - p``, ties counting half: NannyML's expected TPR/FPR curve) and the
    mid-ranks of ``score``, from one sort."""
    order = np.argsort(score, kind="stable")
    ordered = score[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(score)])
    pos = np.add.reduceat(p[order], starts)
    neg = sizes - pos
    below = np.cumsum(neg) - neg
    pairs = pos.sum() * neg.sum()
    value = float((pos * (below + 0.5 * neg)).sum() / pairs) if pairs > 0 else float("nan")
    ranks = np.empty(len(score))
    ranks[order] = np.repeat(starts + (sizes + 1) / 2, sizes)
    return value, ranks


def auc_sd(calibrated: np.ndarray, ranks: np.ndarray, columns: list[int]) -> float:
    """Standard deviation of the (macro one-vs-rest) ROC AUC of ``columns`` under labels
    drawn from ``calibrated``; ``ranks``: the mid-ranks of each column's score (n, c)."""
    n = len(calibrated)
    p = calibrated[:, columns]
    c = len(columns)
    weighted = np.c_[ranks * p, p]  # E of each row's (U, N) contributions
    diagonal = np.r_[(ranks**2 * p).sum(0), p.sum(0)]
    cov = -(weighted.T @ weighted)
    cov[np.arange(2 * c), np.arange(2 * c)] += diagonal
    cross = (ranks * p).sum(0)  # Cov(U_j, N_j) diagonal part
    cov[np.arange(c), c + np.arange(c)] += cross
    cov[c + np.arange(c), np.arange(c)] += cross
    u, n1 = (ranks * p).sum(0), p.sum(0)
    pairs = n1 * (n - n1)
    with np.errstate(invalid="ignore", divide="ignore"):
        won = u - n1 * (n1 + 1) / 2
        d_u = 1 / pairs
        d_n = (-(n1 + 0.5) * pairs - won * (n - 2 * n1)) / pairs**2
    gradient = np.nan_to_num(np.r_[d_u, d_n]) / c
    return float(np.sqrt(max(gradient @ cov @ gradient, 0.0)))


# ---- simulation ------------------------------------------------------------------------


def draw_labels(calibrated: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """``n_draws`` simulated labels per row, as class columns: an (n_draws, rows) array."""
    n, k = calibrated.shape
    if k == 2:
        return (rng.random((n_draws, n), dtype=np.float32) < calibrated[:, 1]).view(np.int8)
    cumulative = np.cumsum(calibrated, axis=1)[:, :-1].astype(np.float32)
    step = max(1, _CELLS // max(1, n * k))
    parts = []
    for start in range(0, n_draws, step):
        u = rng.random((min(step, n_draws - start), n, 1), dtype=np.float32)
        parts.append((u > cumulative[None]).sum(axis=2, dtype=np.int16))
    return np.concatenate(parts)


def drawn_counts(draws: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    """The confusion counts (B, K, K) of each draw: true x predicted."""
    predicted = onehot(pred, k).astype(np.float32)
    counts = np.stack([(draws == i).astype(np.float32) @ predicted for i in range(k)], axis=1)
    return counts.astype(float)


def drawn_auc(draws: np.ndarray, ranks: np.ndarray, columns: list[int]) -> np.ndarray:
    """The (macro one-vs-rest) ROC AUC of each draw, from the mid-ranks of the scores."""
    n = draws.shape[1]
    reps = []
    for at, j in enumerate(columns):
        hits = (draws == j).astype(np.float32)
        n1 = hits.sum(axis=1, dtype=float)
        won = hits @ ranks[:, at].astype(np.float32) - n1 * (n1 + 1) / 2
        pairs = n1 * (n - n1)
        with np.errstate(invalid="ignore", divide="ignore"):
            reps.append(np.where(pairs > 0, won / np.where(pairs > 0, pairs, 1), np.nan))
    stacked = np.stack(reps, axis=1)
    valid = ~np.isnan(stacked).all(axis=1)
    out = np.full(len(stacked), np.nan)
    out[valid] = np.nanmean(stacked[valid], axis=1)
    return out
