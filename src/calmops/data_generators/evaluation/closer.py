"""``dcr_closer_to_train``: are synthetic rows closer to the training rows than to unseen ones?

For each synthetic row, compare the distance to its closest training row with the distance
to its closest holdout row; the share of rows closer to the training side (ties counting one
half) is about 0.5 when nothing was memorized — provided both sides hold as many rows, since
more rows are closer by chance alone. With a 70/30 split the larger side is therefore cut to
the smaller's size. Cutting it *once* at random adds the noise of that one draw (on a table
of 442 rows, ±0.02 around the same sample's mean); this module takes the exact expectation
over every subset of that size instead.

For one synthetic row, let the smaller side's closest row lie at distance ``d``, and let the
larger side (``N`` rows, subsets of ``m``) hold ``k<`` rows closer than ``d`` and ``k≤`` rows
at most ``d`` away. A random ``m``-subset misses all of ``k`` given rows with chance
``C(N − k, m) / C(N, m)``, so the larger side is closer with chance ``1 − miss(k<)`` and ties
with chance ``miss(k<) − miss(k≤)``. With equal sizes this is the plain comparison.

Distances are Euclidean. scikit-learn's brute-force search finds the candidates (the few
closest rows of the smaller side; the rows of the larger side that can matter, ``K`` of them,
beyond which ``miss(K)`` is below :data:`NEGLIGIBLE`); the distances that decide a
comparison (the closest of the smaller side, and any candidate near it) are then computed
exactly, row minus row, so identical pairs give identical distances and ties are found.
When ``K`` would be large (a larger side over :data:`MAX_CANDIDATES` / ``m`` times the
smaller one), every distance to the larger side is computed, in chunks.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> train, holdout = rng.normal(size=(700, 3)), rng.normal(size=(300, 3))
>>> round(closer_to_train(train, holdout, rng.normal(size=(2000, 3))), 2)  # unseen rows
0.5
>>> closer_to_train(train[:300], holdout, train[:300])  # copies of an equal-size train
1.0
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

__all__ = ["MAX_CANDIDATES", "NEGLIGIBLE", "closer_to_train", "miss_chance"]

NEGLIGIBLE = 1e-9
"""A chance of missing every nearer row below this counts as zero."""
MAX_CANDIDATES = 256
"""The most candidate rows of the larger side looked at per query before counting them all."""
CHUNK_VALUES = 4_000_000
"""Differences held at once when every distance is computed (32 MB of float64)."""
TOLERANCE = 1e-4
"""Approximate distances this close to a radius are measured again, exactly."""


def miss_chance(n: int, m: int, k: np.ndarray) -> np.ndarray:
    """Chance that ``m`` rows drawn without replacement from ``n`` miss ``k`` given ones.

    >>> miss_chance(10, 3, np.array([0, 1, 8])).round(4).tolist()  # C(9,3)/C(10,3) = 0.7
    [1.0, 0.7, 0.0]
    """
    k = np.asarray(k, dtype=float)
    left = n - k
    with np.errstate(invalid="ignore"):
        log_ratio = gammaln(left + 1) - gammaln(left - m + 1) - gammaln(n + 1) + gammaln(n - m + 1)
    return np.where(left >= m, np.exp(np.where(left >= m, log_ratio, 0.0)), 0.0)


def _candidates(rows: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` closest rows per query, by brute force: (approximate distances, indices)."""
    from sklearn.neighbors import NearestNeighbors

    finder = NearestNeighbors(n_neighbors=min(k, len(rows)), algorithm="brute").fit(rows)
    return finder.kneighbors(queries)


def _refined(
    distances: np.ndarray,
    index: np.ndarray,
    rows: np.ndarray,
    queries: np.ndarray,
    near: np.ndarray,
) -> np.ndarray:
    """``distances`` with the entries marked ``near`` measured again exactly, row minus row."""
    near_q, near_c = np.nonzero(near)
    differences = rows[index[near_q, near_c]] - queries[near_q]
    distances[near_q, near_c] = np.sqrt((differences**2).sum(axis=1))
    return distances


def _closest(rows: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Exact distance from each query to its closest row."""
    distances, index = _candidates(rows, queries, 8)
    near = distances <= distances.min(axis=1, keepdims=True) + TOLERANCE
    exact = _refined(distances, index, rows, queries, near)
    return np.where(near, exact, np.inf).min(axis=1)


def _counts(
    rows: np.ndarray, queries: np.ndarray, radius: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows strictly closer than ``radius`` and at most ``radius`` away, per query (counted
    up to ``k``: beyond it the chance of missing them all is negligible). Candidates whose
    approximate distance lies within :data:`TOLERANCE` of the radius are measured exactly."""
    if k > MAX_CANDIDATES:
        return _counts_all(rows, queries, radius)
    distances, index = _candidates(rows, queries, k)
    near = np.abs(distances - radius[:, None]) <= TOLERANCE
    distances = _refined(distances, index, rows, queries, near)
    return (distances < radius[:, None]).sum(axis=1), (distances <= radius[:, None]).sum(axis=1)


def _counts_all(
    rows: np.ndarray, queries: np.ndarray, radius: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_counts` over every row, each distance exact, a few queries at a time (at most
    :data:`CHUNK_VALUES` differences in memory)."""
    strictly, at_most = np.empty(len(queries), int), np.empty(len(queries), int)
    chunk = max(1, CHUNK_VALUES // max(rows.size, 1))
    for start in range(0, len(queries), chunk):
        part = slice(start, start + chunk)
        distances = np.sqrt(((queries[part, None, :] - rows[None]) ** 2).sum(axis=2))
        strictly[part] = (distances < radius[part, None]).sum(axis=1)
        at_most[part] = (distances <= radius[part, None]).sum(axis=1)
    return strictly, at_most


def _needed(n: int, m: int) -> int:
    """The fewest rows ``k`` of the larger side whose ``miss(k)`` is negligible."""
    ks = np.arange(n + 1)
    return int(np.argmax(miss_chance(n, m, ks) < NEGLIGIBLE))


def closer_to_train(train: np.ndarray, holdout: np.ndarray, queries: np.ndarray) -> float:
    """Expected share of ``queries`` closer to ``train`` than to ``holdout`` (module doc)."""
    train_is_larger = len(train) >= len(holdout)
    larger, smaller = (train, holdout) if train_is_larger else (holdout, train)
    n, m = len(larger), len(smaller)
    d_smaller = _closest(smaller, queries)
    strictly, at_most = _counts(larger, queries, d_smaller, max(_needed(n, m), 1))
    miss_strict, miss_all = miss_chance(n, m, strictly), miss_chance(n, m, at_most)
    larger_closer, tie = 1.0 - miss_strict, miss_strict - miss_all
    train_closer = larger_closer if train_is_larger else 1.0 - larger_closer - tie
    return float(np.mean(train_closer + 0.5 * tie))
