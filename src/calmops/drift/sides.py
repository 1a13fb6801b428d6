"""One column summarised for testing: the *side* a drift test reads.

A :class:`NumericSide` holds the finite values' count, moments, range, a sorted sample (all
values, or a seeded uniform random subsample of at most ``cap`` values, drawn by row position
*before* sorting) and counts in bins whose edges come from the reference quantiles.
A :class:`CategoricalSide` holds category counts.
Profiles store reference sides; :func:`~calmops.drift.compare` builds current sides with the
reference's bin edges, in O(current).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "EPSILON",
    "CategoricalSide",
    "NumericSide",
    "Side",
    "aligned_counts",
    "as_labels",
    "as_side",
    "identical_constants",
    "proportions",
]

#: default number of equal-mass reference bins for PSI / JS / Hellinger / KL on numbers
DEFAULT_BINS = 10


def _as_float_array(values: Any) -> np.ndarray:
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64").ravel()


def quantile_edges(sorted_values: np.ndarray, bins: int = DEFAULT_BINS) -> np.ndarray:
    """Interior bin edges at the reference quantiles, deduplicated (ties merge bins).

    Examples
    --------
    >>> quantile_edges(np.arange(10.0), bins=2)
    array([4.5])
    """
    if sorted_values.size == 0:
        return np.empty(0)
    probs = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    return np.unique(np.quantile(sorted_values, probs))


@dataclass(frozen=True, eq=False)
class NumericSide:
    """Summary of the finite values of one numeric column.

    Bin ``k`` holds the values ``x`` with ``edges[k-1] <= x < edges[k]``; the first and last
    bins are open, so values outside the reference range still land in a bin.
    """

    n: int
    n_missing: int
    n_infinite: int
    n_unique: int
    mean: float
    std: float
    min: float
    max: float
    sample: np.ndarray = field(repr=False)
    edges: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)

    @property
    def is_full(self) -> bool:
        """Whether ``sample`` holds every finite value (no cap applied)."""
        return self.sample.size == self.n

    @classmethod
    def from_values(
        cls,
        values: Any,
        *,
        edges: np.ndarray | None = None,
        bins: int = DEFAULT_BINS,
        cap: int | None = None,
        seed: int | np.random.Generator = 0,
    ) -> NumericSide:
        """Summarise ``values`` (NaN counts as missing, +-inf as infinite; both are excluded).

        With ``cap``, at most ``cap`` values are kept in ``sample``: every value when there
        are no more than ``cap``, else a seeded uniform random sample of the values (drawn by
        their position in ``values``, then sorted). Counts, moments and ranges always use
        every value.

        Examples
        --------
        >>> side = NumericSide.from_values([3.0, 1.0, np.nan, 2.0, np.inf])
        >>> side.n, side.n_missing, side.n_infinite, side.sample
        (3, 1, 1, array([1., 2., 3.]))
        """
        x = _as_float_array(values)
        nan = np.isnan(x)
        finite = np.isfinite(x)
        xs = np.sort(x[finite])
        n = int(xs.size)
        if edges is None:
            edges = quantile_edges(xs, bins)
        edges = np.asarray(edges, dtype="float64")
        cuts = np.searchsorted(xs, edges, side="left")
        counts = np.diff(np.concatenate(([0], cuts, [n]))).astype("int64")
        sample = xs
        if cap is not None and n > cap:
            # Draw rows, not ranks: seeded positions in the original order are a uniform
            # random sample of the rows whatever the seed. Positions in the *sorted* values
            # would be the same ranks for every data set of this size (a fixed set of order
            # statistics, not a random sample), which miscalibrates every test against it.
            rng = np.random.default_rng(seed)
            sample = np.sort(x[finite][rng.choice(n, size=cap, replace=False)])
        return cls(
            n=n,
            n_missing=int(nan.sum()),
            n_infinite=int(x.size - n - nan.sum()),
            n_unique=int(np.count_nonzero(np.diff(xs)) + 1) if n else 0,
            mean=float(xs.mean()) if n else float("nan"),
            std=float(xs.std()) if n else float("nan"),
            min=float(xs[0]) if n else float("nan"),
            max=float(xs[-1]) if n else float("nan"),
            sample=sample,
            edges=edges,
            counts=counts,
        )


def as_labels(values: Any) -> pd.Series:
    """Values as text labels, with NaN kept missing; integral numbers print without ``.0``
    so ``1`` and ``1.0`` are the same category.

    Examples
    --------
    >>> as_labels([1.0, 0.0, None]).tolist()
    ['1', '0', nan]
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("object").where(s.notna()).map(str, na_action="ignore")
    if pd.api.types.is_numeric_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
        finite = np.isfinite(x)
        if finite.any() and np.all(x[finite] == np.round(x[finite])):
            text = pd.Series(x).astype("Int64").astype("string")
        else:
            text = pd.Series(x).astype("string")
        return text.astype(object).where(~np.isnan(x), np.nan)
    if isinstance(s.dtype, pd.StringDtype):
        return s
    return s.map(str, na_action="ignore")


@dataclass(frozen=True, eq=False)
class CategoricalSide:
    """Category counts of one column (categories sorted, missing values counted apart)."""

    categories: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)
    n_missing: int = 0

    @property
    def n(self) -> int:
        """Number of non-missing values."""
        return int(self.counts.sum())

    @classmethod
    def from_values(cls, values: Any) -> CategoricalSide:
        """Count the categories of ``values`` (taken as text, see :func:`as_labels`).

        Examples
        --------
        >>> side = CategoricalSide.from_values(["b", "a", "b", None])
        >>> side.categories.tolist(), side.counts.tolist(), side.n_missing
        (['a', 'b'], [1, 2], 1)
        """
        labels = as_labels(values)
        counts = labels.value_counts(dropna=True, sort=False)
        order = np.argsort(counts.index.to_numpy(dtype=object).astype(str), kind="stable")
        return cls(
            categories=counts.index.to_numpy(dtype=object)[order].astype(str).astype(object),
            counts=counts.to_numpy(dtype="int64")[order],
            n_missing=int(labels.isna().sum()),
        )

    @classmethod
    def from_counts(cls, counts: dict[str, int], n_missing: int = 0) -> CategoricalSide:
        """Build from a ``{category: count}`` mapping."""
        keys = sorted(counts)
        return cls(
            categories=np.array(keys, dtype=object),
            counts=np.array([counts[k] for k in keys], dtype="int64"),
            n_missing=n_missing,
        )

    def as_dict(self) -> dict[str, int]:
        """The counts as ``{category: count}``."""
        return dict(zip(self.categories.tolist(), self.counts.tolist(), strict=True))


Side = NumericSide | CategoricalSide


def as_side(values: Any, kind: type | None = None, *, like: Side | None = None) -> Side:
    """``values`` as a side: kept if already one, else summarised as ``kind`` (or as ``like``,
    reusing its bin edges, or inferred from the dtype when neither is given)."""
    if isinstance(values, NumericSide | CategoricalSide):
        if kind is not None and not isinstance(values, kind):
            raise TypeError(f"expected a {kind.__name__}, got a {type(values).__name__}")
        return values
    target = kind or (type(like) if like is not None else None)
    if target is None:
        s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
        numeric = pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s)
        target = NumericSide if numeric else CategoricalSide
    if target is NumericSide:
        edges = like.edges if isinstance(like, NumericSide) else None
        return NumericSide.from_values(values, edges=edges)
    return CategoricalSide.from_values(values)


def aligned_counts(reference: Side, current: Side) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(labels, reference_counts, current_counts)`` over the same bins or categories.

    Numeric sides must share bin edges; categorical sides are aligned on the union of their
    categories (a category seen on one side only has count 0 on the other).

    Examples
    --------
    >>> ref = CategoricalSide.from_values(["a", "a", "b"])
    >>> cur = CategoricalSide.from_values(["b", "c"])
    >>> labels, r, c = aligned_counts(ref, cur)
    >>> labels.tolist(), r.tolist(), c.tolist()
    (['a', 'b', 'c'], [2, 1, 0], [0, 1, 1])
    """
    if isinstance(reference, NumericSide) and isinstance(current, NumericSide):
        if reference.edges.shape != current.edges.shape or not np.array_equal(
            reference.edges, current.edges
        ):
            raise ValueError("numeric sides must share bin edges (build current with like=ref)")
        labels = np.arange(reference.counts.size)
        return labels, reference.counts, current.counts
    if isinstance(reference, CategoricalSide) and isinstance(current, CategoricalSide):
        labels = np.union1d(reference.categories.astype(str), current.categories.astype(str))
        r = np.zeros(labels.size, dtype="int64")
        c = np.zeros(labels.size, dtype="int64")
        r[np.searchsorted(labels, reference.categories.astype(str))] = reference.counts
        c[np.searchsorted(labels, current.categories.astype(str))] = current.counts
        return labels.astype(object), r, c
    raise TypeError("both sides must be numeric or both categorical")


#: added to empty bins by PSI and KL so that ``log(0)`` never appears (as Evidently does)
EPSILON = 1e-4


def proportions(
    reference: Side, current: Side, *, epsilon: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Aligned relative frequencies ``(p_reference, p_current)``; with ``epsilon > 0`` an
    empty bin gets ``epsilon`` instead of 0 (no renormalisation).

    Examples
    --------
    >>> ref = CategoricalSide.from_values(["a", "a", "b", "b"])
    >>> cur = CategoricalSide.from_values(["a", "c"])
    >>> p, q = proportions(ref, cur, epsilon=1e-4)
    >>> p.tolist(), q.tolist()
    ([0.5, 0.5, 0.0001], [0.5, 0.0001, 0.5])
    """
    _, r, c = aligned_counts(reference, current)
    p = r / r.sum()
    q = c / c.sum()
    if epsilon > 0:
        p = np.where(p == 0, epsilon, p)
        q = np.where(q == 0, epsilon, q)
    return p, q


def identical_constants(reference: Side, current: Side) -> bool:
    """Whether both numeric sides hold one and the same value (every test says: no change)."""
    return (
        isinstance(reference, NumericSide)
        and isinstance(current, NumericSide)
        and reference.n > 0
        and current.n > 0
        and reference.min == reference.max == current.min == current.max
    )
