"""Covariate drift: change the distribution of feature columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import ndtri
from scipy.stats import rankdata

from calmops.data_generators._checks import check_choice, check_probability, exact_assignment
from calmops.data_generators.inject.base import Applied, affected, numeric_values, set_values
from calmops.data_generators.inject.selectors import column_of
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "category_prior",
    "correlation",
    "gaussian_noise",
    "new_category",
    "quantile_warp",
    "scale",
    "shift",
]


def _unit(data: pd.DataFrame, column: str, x: np.ndarray, unit: str) -> float:
    check_choice("unit", unit, ("std", "absolute"))
    if unit == "absolute":
        return 1.0
    sd = float(np.nanstd(x, ddof=1)) if np.count_nonzero(~np.isnan(x)) > 1 else 0.0
    return sd if sd > 0 else 1.0


def shift(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    magnitude: float = 1.0,
    unit: str = "std",
) -> Applied:
    """Add ``magnitude`` (in standard deviations of the column, or absolute units).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    >>> w = np.array([0, 0, 1, 1.0])
    >>> shift(df, w, ["x"], None, magnitude=10, unit="absolute").data.x.tolist()
    [0.0, 1.0, 12.0, 13.0]
    """
    deltas: dict[str, float] = {}
    for c in columns:
        x = numeric_values(data, c)
        deltas[c] = float(magnitude) * _unit(data, c, x, unit)
        data[c] = x + weight * deltas[c]
    return Applied(data, tuple(columns), {"magnitude": magnitude, "unit": unit, "delta": deltas})


def scale(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    factor: float = 1.5,
) -> Applied:
    """Multiply the spread around the selected rows' mean by ``factor`` (> 0)."""
    if not factor > 0:
        raise SpecError(f"factor must be > 0, got {factor}")
    for c in columns:
        x = numeric_values(data, c)
        centre = float(np.nanmean(x[weight > 0])) if (weight > 0).any() else 0.0
        scaled = centre + (x - centre) * (1.0 + weight * (factor - 1.0))
        data[c] = np.where(weight > 0, scaled, x)  # untouched rows keep their exact bits
    return Applied(data, tuple(columns), {"factor": factor})


def gaussian_noise(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    magnitude: float = 0.5,
    unit: str = "std",
) -> Applied:
    """Add N(0, ``magnitude``) noise (in standard deviations of the column, or absolute)."""
    if magnitude < 0:
        raise SpecError(f"magnitude must be >= 0, got {magnitude}")
    sds: dict[str, float] = {}
    for c in columns:
        x = numeric_values(data, c)
        sds[c] = float(magnitude) * _unit(data, c, x, unit)
        data[c] = x + weight * rng.normal(0.0, sds[c], len(x))
    return Applied(data, tuple(columns), {"magnitude": magnitude, "unit": unit, "sd": sds})


def quantile_warp(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    power: float = 2.0,
) -> Applied:
    """Move each value to the column's quantile ``F(x) ** power`` (skews the distribution)."""
    if not power > 0:
        raise SpecError(f"power must be > 0, got {power}")
    for c in columns:
        x = numeric_values(data, c)
        ok = ~np.isnan(x)
        u = (rankdata(x[ok]) - 0.5) / ok.sum()
        warped = x.copy()
        warped[ok] = np.quantile(x[ok], u**power)
        data[c] = np.where(weight > 0, x + weight * (warped - x), x)
    return Applied(data, tuple(columns), {"power": power})


def category_prior(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    proportions: dict[str, float] | None = None,
) -> Applied:
    """Redraw the categories of the picked rows in exactly the given ``proportions``."""
    if not proportions:
        raise SpecError("category_prior needs proportions, e.g. {'a': 0.8, 'b': 0.2}")
    hit = np.flatnonzero(affected(weight, rng))
    cats = list(proportions)
    shares = np.array([float(v) for v in proportions.values()])
    for c in columns:
        column_of(data, c)
        draw = exact_assignment(rng, hit.size, shares)
        set_values(data, c, hit, np.array(cats, dtype=object)[draw])
    return Applied(data, tuple(columns), {"proportions": proportions})


def new_category(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    value: Any = "new",
    rate: float = 0.1,
) -> Applied:
    """Give exactly ``rate`` of the picked rows a category never seen before (``value``)."""
    rate = check_probability("rate", rate)
    hit = np.flatnonzero(affected(weight, rng))
    for c in columns:
        if (column_of(data, c) == value).any():
            raise SpecError(f"'{value}' already occurs in column '{c}'; pick a new value")
        rows = np.sort(rng.choice(hit, size=int(round(rate * hit.size)), replace=False))
        set_values(data, c, rows, value)
    return Applied(data, tuple(columns), {"value": value, "rate": rate})


def _normal_scores(x: np.ndarray) -> np.ndarray:
    z = ndtri((rankdata(x) - 0.5) / len(x))
    return (z - z.mean()) / z.std()


def correlation(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    correlation: float = 0.8,
) -> Applied:
    """Re-couple the second column to the first so their correlation becomes ``correlation``.

    Among the picked rows, both columns go to normal scores; the second gets the score
    ``r z1 + sqrt(1 - r^2) e`` (``e`` its own part orthogonal to ``z1``) and takes back its
    own values in that rank order, so its marginal distribution is unchanged.
    """
    if len(columns) != 2:
        raise SpecError(f"correlation needs exactly two columns, got {list(columns)}")
    if not -1.0 <= correlation <= 1.0:
        raise SpecError(f"correlation must be in [-1, 1], got {correlation}")
    a, b = (numeric_values(data, c) for c in columns)
    rows = np.flatnonzero(affected(weight, rng) & ~np.isnan(a) & ~np.isnan(b))
    if rows.size < 3:
        raise SpecError("correlation needs at least 3 selected rows without missing values")
    za, zb = _normal_scores(a[rows]), _normal_scores(b[rows])
    e = zb - (za @ zb / (za @ za)) * za
    e = e / e.std() if e.std() > 0 else rng.standard_normal(rows.size)
    z = correlation * za + np.sqrt(1 - correlation**2) * e
    new_b = b.copy()
    new_b[rows] = np.sort(b[rows])[np.argsort(np.argsort(z, kind="stable"), kind="stable")]
    data[columns[1]] = new_b
    return Applied(data, (columns[1],), {"correlation": correlation, "with": columns[0]})
