"""Donor sampling from the leaves of a tree: the step of sequential CART synthesis.

A tree is fitted on the real rows (predictors → one column); a new row is sent down the tree
and takes the value of a real row drawn at random from the leaf it lands in — a *donor* — not
the tree's prediction, so the leaf's whole conditional distribution is reproduced (Reiter 2005;
Nowok, Raab & Dibben 2016). With ``smooth=True`` a continuous donor is moved by Gaussian noise
whose scale is the leaf's Silverman bandwidth, ``0.9 · min(sd, IQR/1.34) · m^(-1/5)`` over its
``m`` present donors (synthpop's ``smoothing = "density"``, per leaf): a leaf whose donors
share one value (a point mass) is left as is. A smoothed value that leaves the donors' range
is reflected back into it (the usual boundary correction of kernel densities) rather than
clipped, so the smallest and largest real values are not copied.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=(400, 1))
>>> y = np.where(x[:, 0] > 0, 10.0, -10.0)
>>> donors = LeafDonors.fit(x, y, y, classify=False, min_samples_leaf=5)
>>> donors.draw(np.array([[1.0], [-1.0]]), np.random.default_rng(1)).tolist()
[10.0, -10.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

__all__ = ["MAX_GROWING_ROWS", "LeafDonors", "reflect", "silverman_bandwidth"]

SILVERMAN = 0.9
MAX_GROWING_ROWS = 5000
"""A tree of a larger table is grown on this many of its rows (seeded); all are donors."""


@dataclass(frozen=True)
class LeafDonors:
    """The donors of every leaf of one fitted tree (``tree=None``: one leaf, the marginal).

    ``donors`` holds the real values sorted by leaf; leaf ``k`` owns
    ``donors[start[k] : start[k] + count[k]]``; ``bandwidth[k]`` is its smoothing scale
    (zeros without smoothing).
    """

    tree: DecisionTreeClassifier | DecisionTreeRegressor | None
    donors: np.ndarray
    start: np.ndarray
    count: np.ndarray
    bandwidth: np.ndarray
    bounds: tuple[float, float] = (-np.inf, np.inf)
    balanced: bool = True

    @classmethod
    def fit(
        cls,
        predictors: np.ndarray | None,
        fit_on: np.ndarray,
        donors: np.ndarray,
        *,
        classify: bool,
        min_samples_leaf: int,
        smooth: bool = False,
        balanced: bool = True,
    ) -> LeafDonors:
        """A tree of ``fit_on`` given ``predictors`` (None: no tree), holding ``donors``.

        ``fit_on`` is what the tree separates (class labels or numbers, never NaN);
        ``donors`` are the values handed out, row for row (NaN allowed).
        """
        if predictors is None or predictors.shape[1] == 0:
            leaf = np.zeros(len(donors), dtype=np.intp)
            tree = None
        else:
            model = DecisionTreeClassifier if classify else DecisionTreeRegressor
            tree = model(min_samples_leaf=min_samples_leaf, random_state=0)
            grow = _growing_rows(len(fit_on))
            tree.fit(predictors[grow], fit_on[grow])
            leaf = tree.apply(predictors)  # every real row is a donor
        n_nodes = 1 if tree is None else tree.tree_.node_count
        order = np.lexsort((donors, leaf))  # by leaf, then value (NaN last)
        count = np.bincount(leaf, minlength=n_nodes)
        start = np.concatenate(([0], np.cumsum(count)[:-1]))
        sorted_donors = donors[order]
        bandwidth = np.zeros(n_nodes)
        bounds = (-np.inf, np.inf)
        if smooth and np.isfinite(donors).any():
            bandwidth = silverman_bandwidth(sorted_donors, start, count)
            bounds = (float(np.nanmin(donors)), float(np.nanmax(donors)))
        return cls(tree, sorted_donors, start, count, bandwidth, bounds, balanced)

    def draw(
        self, predictors: np.ndarray | None, rng: np.random.Generator, n: int = 0
    ) -> np.ndarray:
        """One donor per row of ``predictors`` (or ``n`` from the marginal), smoothed if fitted."""
        if self.tree is None:
            leaf = np.zeros(n if predictors is None else len(predictors), dtype=np.intp)
        else:
            leaf = self.tree.apply(predictors)
        if self.balanced:
            pick = self._balanced_picks(leaf, rng)
        else:
            pick = self.start[leaf] + np.floor(rng.random(len(leaf)) * self.count[leaf])
        values = self.donors[pick.astype(np.intp)]
        scale = self.bandwidth[leaf]
        if np.any(scale > 0):
            values = reflect(values + rng.normal(size=len(values)) * scale, *self.bounds)
        return values

    def _balanced_picks(self, leaf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A donor index per row: the rows of a leaf go through its donors in a random order
        (from a random start; again after the last), so each donor serves ``r/m`` of the
        leaf's ``r`` rows (rounded) instead of a binomial number: the same law per row, with
        no resampling noise in the leaf's value shares."""
        n_donors = len(self.donors)
        donor_leaf = np.repeat(np.arange(len(self.count)), self.count)
        shuffled = np.lexsort((rng.random(n_donors), donor_leaf))  # donors shuffled per leaf
        rows = np.argsort(leaf, kind="stable")
        by_leaf = leaf[rows]
        first_row = np.searchsorted(by_leaf, by_leaf, side="left")
        offset = np.floor(rng.random(len(self.count)) * self.count).astype(np.intp)
        rank = np.arange(len(rows)) - first_row + offset[by_leaf]
        picks = np.empty(len(leaf), dtype=np.intp)
        picks[rows] = shuffled[self.start[by_leaf] + rank % self.count[by_leaf]]
        return picks


def _growing_rows(n: int) -> slice | np.ndarray:
    """The rows a tree is grown on: all, or a seeded :data:`MAX_GROWING_ROWS` of a larger
    table (sorting the rows at every node is most of the cost; every row stays a donor)."""
    if n <= MAX_GROWING_ROWS:
        return slice(None)
    return np.sort(np.random.default_rng(0).choice(n, MAX_GROWING_ROWS, replace=False))


def reflect(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """``values`` outside ``[low, high]`` mirrored back in at the bound they crossed.

    The boundary correction of kernel smoothing: clipping would pile values on the bounds
    (copies of the smallest and largest real values); a value beyond twice the range is
    clipped.

    Examples
    --------
    >>> reflect(np.array([-0.5, 0.5, 1.25, np.nan]), 0.0, 1.0).tolist()
    [0.5, 0.5, 0.75, nan]
    """
    values = np.where(values < low, 2 * low - values, values)
    values = np.where(values > high, 2 * high - values, values)
    return np.where(np.isnan(values), values, np.clip(values, low, high))


def silverman_bandwidth(values: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Silverman's bandwidth of each group ``values[start[k]:start[k]+count[k]]`` (sorted).

    NaN (sorted last within a group) is ignored; a group with fewer than two present values,
    or with no spread, gets 0.

    Examples
    --------
    >>> v = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 7.0, 7.0, 7.0, np.nan])
    >>> silverman_bandwidth(v, np.array([0, 5]), np.array([5, 5])).round(3).tolist()
    [0.974, 0.0]
    """
    present = ~np.isnan(values)
    group = np.repeat(np.arange(len(count)), count)
    m = np.bincount(group, weights=present, minlength=len(count))
    filled = np.where(present, values, 0.0)
    total = np.bincount(group, weights=filled, minlength=len(count))
    mean = np.divide(total, m, out=np.zeros_like(total), where=m > 0)
    squares = np.bincount(
        group, weights=(filled - mean[group]) ** 2 * present, minlength=len(count)
    )
    sd = np.sqrt(np.divide(squares, m - 1, out=np.zeros_like(squares), where=m > 1))
    iqr = _quantile(values, start, m, 0.75) - _quantile(values, start, m, 0.25)
    spread = np.minimum(sd, iqr / 1.34)
    width = SILVERMAN * spread * np.power(np.maximum(m, 1), -0.2)
    return np.where(m > 1, width, 0.0)


def _quantile(values: np.ndarray, start: np.ndarray, m: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile (linear interpolation) of each sorted group's first ``m`` values."""
    position = start + q * np.maximum(m - 1, 0)
    low = np.floor(position).astype(np.intp)
    high = np.minimum(low + 1, start + np.maximum(m - 1, 0)).astype(np.intp)
    low = np.minimum(low, len(values) - 1)
    high = np.minimum(high, len(values) - 1)
    fraction = position - low
    out = values[low] * (1 - fraction) + values[high] * fraction
    return np.where(m > 0, out, 0.0)
