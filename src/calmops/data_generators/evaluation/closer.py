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

Distances are Euclidean, from scikit-learn's ``KDTree`` on both sides (identical pairs give
identical distances, so ties are found exactly).

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

__all__ = ["closer_to_train", "miss_chance"]


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


def _within(tree, queries: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``tree`` strictly closer than ``radius`` and at most ``radius`` away."""
    at_most = tree.query_radius(queries, r=radius, count_only=True)
    below = np.nextafter(radius, 0.0)
    strictly = np.where(radius > 0, tree.query_radius(queries, r=below, count_only=True), 0)
    return strictly, at_most


def closer_to_train(train: np.ndarray, holdout: np.ndarray, queries: np.ndarray) -> float:
    """Expected share of ``queries`` closer to ``train`` than to ``holdout`` (module doc)."""
    from sklearn.neighbors import KDTree

    train_is_larger = len(train) >= len(holdout)
    larger, smaller = (train, holdout) if train_is_larger else (holdout, train)
    m = len(smaller)
    d_smaller = KDTree(smaller).query(queries, k=1)[0][:, 0]
    strictly, at_most = _within(KDTree(larger), queries, d_smaller)
    miss_strict, miss_all = (
        miss_chance(len(larger), m, strictly),
        miss_chance(len(larger), m, at_most),
    )
    larger_closer, tie = 1.0 - miss_strict, miss_strict - miss_all
    train_closer = larger_closer if train_is_larger else 1.0 - larger_closer - tie
    return float(np.mean(train_closer + 0.5 * tie))
