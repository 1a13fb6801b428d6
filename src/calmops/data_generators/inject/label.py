"""Label drift: change the labels (flips) or the class priors (resampling) of the target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators._checks import check_probability, exact_assignment, exact_counts
from calmops.data_generators.inject.base import Applied, affected
from calmops.data_generators.inject.selectors import column_of
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["label_flip", "prior_shift", "transition_matrix"]


def _key(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def transition_matrix(
    classes: list[Any], matrix: dict[Any, dict[Any, float]] | None, rate: float | None
) -> np.ndarray:
    """A row-stochastic matrix over ``classes`` from ``{from: {to: p}}`` or a flip ``rate``.

    With ``rate``, each class moves to every other class with ``rate / (k - 1)``. In a dict,
    the probability not given to other classes stays on the class itself.

    Examples
    --------
    >>> transition_matrix([0, 1], {0: {1: 0.3}}, None).tolist()
    [[0.7, 0.3], [0.0, 1.0]]
    """
    k = len(classes)
    if (matrix is None) == (rate is None):
        raise SpecError("label_flip needs exactly one of rate and matrix")
    if rate is not None:
        rate = check_probability("rate", rate)
        if k < 2:
            raise SpecError("label_flip needs at least two classes in the target")
        m = np.full((k, k), rate / (k - 1))
        np.fill_diagonal(m, 1.0 - rate)
        return m
    index = {str(c): i for i, c in enumerate(classes)}
    m = np.eye(k)
    for source, row in matrix.items():
        if str(source) not in index:
            raise SpecError(f"class '{source}' is not in the target (classes: {classes})")
        i = index[str(source)]
        m[i, i] = 1.0
        for dest, p in row.items():
            if str(dest) not in index:
                raise SpecError(f"class '{dest}' is not in the target (classes: {classes})")
            j = index[str(dest)]
            if j != i:
                m[i, j] = check_probability(f"matrix[{source}][{dest}]", p)
                m[i, i] -= m[i, j]
        if m[i, i] < -1e-12:
            raise SpecError(f"probabilities from class '{source}' add up to more than 1")
    return np.clip(m, 0.0, 1.0)


def label_flip(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    rate: float | None = None,
    matrix: dict[Any, dict[Any, float]] | None = None,
) -> Applied:
    """Flip labels with a transition ``matrix`` (or a uniform ``rate``), exactly per class.

    Among the picked rows of class ``i``, exactly ``round(n_i * matrix[i][j])`` become ``j``.
    """
    (target,) = columns
    y = column_of(data, target).to_numpy()
    classes = [_key(c) for c in np.unique(y[~_isna(y)])]
    m = transition_matrix(classes, matrix, rate)
    hit = affected(weight, rng)
    new = y.copy()
    for i, c in enumerate(classes):
        rows = np.flatnonzero(hit & (y == c))
        new[rows] = np.array(classes, dtype=object)[exact_assignment(rng, rows.size, m[i])]
    data[target] = np.asarray(new, dtype=y.dtype)
    flipped = int(np.count_nonzero(new != y))
    params = {"rate": rate, "matrix": matrix, "classes": classes, "flipped": flipped}
    return Applied(data, (target,), params)


def _isna(values: np.ndarray) -> np.ndarray:
    import pandas as pd

    return np.asarray(pd.isna(values), dtype=bool)


def prior_shift(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    proportions: dict[Any, float] | None = None,
    keep: tuple[str, ...] = (),
) -> Applied:
    """Resample the picked rows so their classes are exactly in ``proportions``.

    Each picked row is replaced by a random selected row of its new class (all columns
    except ``keep``, e.g. the time column), so P(y) changes and P(x | y) does not.
    """
    if not proportions:
        raise SpecError("prior_shift needs proportions, e.g. {0: 0.2, 1: 0.8}")
    (target,) = columns
    y = column_of(data, target).to_numpy()
    hit = np.flatnonzero(affected(weight, rng))
    selected = weight > 0
    wanted = list(proportions)
    labels = {str(_key(c)): c for c in np.unique(y[~_isna(y)])}
    shares = np.array([float(v) for v in proportions.values()])
    plan = exact_assignment(rng, hit.size, shares)
    donor = np.empty(hit.size, dtype=np.int64)
    for i, c in enumerate(wanted):
        if str(c) not in labels:
            raise SpecError(f"class '{c}' is not in the target (classes: {list(labels)})")
        pool = np.flatnonzero(selected & (y == labels[str(c)]))
        if (plan == i).any() and pool.size == 0:
            raise SpecError(f"no selected row has class '{c}' to resample from")
        donor[plan == i] = rng.choice(pool, size=int((plan == i).sum())) if pool.size else 0
    moved = [c for c in data.columns if c not in set(keep)]
    source = data[moved].iloc[donor].reset_index(drop=True)
    for c in moved:
        values = data[c].to_numpy(copy=True)
        values[hit] = source[c].to_numpy()
        data[c] = values
    counts = dict(zip(map(str, wanted), exact_counts(hit.size, shares).tolist(), strict=True))
    return Applied(data, (target,), {"proportions": proportions, "counts": counts})
