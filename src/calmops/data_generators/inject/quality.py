"""Data-quality drift: missing values (MCAR, MAR, MNAR), outliers, duplicates, sentinels,
and columns that disappear or change name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import expit
from scipy.stats import rankdata

from calmops.data_generators._checks import check_choice, check_probability
from calmops.data_generators.inject.base import Applied, choose, numeric_values, set_values
from calmops.data_generators.inject.selectors import column_of
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["drop_column", "duplicates", "missing", "outliers", "rename_column", "sentinel"]


def _count(rate: float, weight: np.ndarray) -> int:
    return int(round(check_probability("rate", rate) * float(weight.sum())))


def _centred_rank(values: Any) -> np.ndarray:
    """Ranks scaled to [-1, 1] (missing values in the middle)."""
    import pandas as pd

    series = pd.Series(values)
    codes = series if pd.api.types.is_numeric_dtype(series) else series.astype("category").cat.codes
    x = np.asarray(codes, dtype=float)
    r = np.full(len(x), 0.0)
    ok = ~np.isnan(x)
    if ok.sum() > 1:
        r[ok] = 2.0 * (rankdata(x[ok]) - 1) / (ok.sum() - 1) - 1.0
    return r


def _blank(data, column: str, rows: np.ndarray) -> None:
    import pandas as pd

    series = data[column]
    if pd.api.types.is_bool_dtype(series) and series.dtype == bool:
        series = series.astype("boolean")
    elif pd.api.types.is_integer_dtype(series) and not isinstance(series.dtype, pd.Int64Dtype):
        series = series.astype("float64")
    else:
        series = series.copy()
    series.iloc[rows] = None
    data[column] = series


def missing(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    rate: float = 0.1,
    mechanism: str = "mcar",
    by: str | None = None,
    strength: float = 4.0,
) -> Applied:
    """Blank exactly ``rate`` of the (weighted) selected rows of each column.

    ``mcar``: rows drawn at random. ``mar``: the chance rises with the rank of another
    column ``by`` (logistic in its centred rank, slope ``strength``). ``mnar``: the same
    with the column's own values, so high values go missing more often.
    """
    check_choice("mechanism", mechanism, ("mcar", "mar", "mnar"))
    if mechanism == "mar":
        if by is None:
            raise SpecError("mar missingness needs by=<column> that drives it")
        driver = _centred_rank(column_of(data, by).to_numpy())
    k = _count(rate, weight)
    for c in columns:
        column_of(data, c)
        if mechanism == "mar" and by == c:
            raise SpecError("mar: by must be another column (use mnar for a column's own values)")
        if mechanism == "mcar":
            p = weight
        else:
            rank = driver if mechanism == "mar" else _centred_rank(data[c].to_numpy())
            p = weight * expit(strength * rank)
        _blank(data, c, choose(p, k, rng))
    return Applied(
        data,
        tuple(columns),
        {"rate": rate, "mechanism": mechanism, "by": by, "strength": strength, "rows": k},
    )


def outliers(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    rate: float = 0.01,
    magnitude: float = 5.0,
) -> Applied:
    """Set exactly ``rate`` of the selected rows to ``median +/- magnitude * MAD-sigma``.

    The scale is the median absolute deviation times 1.4826 (the standard deviation for
    normal data), so the outliers sit at a robust z-score of exactly ``magnitude``.
    """
    if not magnitude > 0:
        raise SpecError(f"magnitude must be > 0, got {magnitude}")
    k = _count(rate, weight)
    scales: dict[str, float] = {}
    for c in columns:
        x = numeric_values(data, c)
        med = float(np.nanmedian(x))
        mad = 1.4826 * float(np.nanmedian(np.abs(x - med)))
        scales[c] = mad if mad > 0 else (float(np.nanstd(x)) or 1.0)
        rows = choose(weight, k, rng)
        x[rows] = med + rng.choice([-1.0, 1.0], rows.size) * magnitude * scales[c]
        data[c] = x
    return Applied(
        data, tuple(columns), {"rate": rate, "magnitude": magnitude, "scale": scales, "rows": k}
    )


def sentinel(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    rate: float = 0.05,
    value: Any = -999,
) -> Applied:
    """Replace exactly ``rate`` of the selected rows with a placeholder ``value``.

    In a text column the value is written as text (``-999`` becomes ``"-999"``).
    """
    import pandas as pd

    k = _count(rate, weight)
    for c in columns:
        series = column_of(data, c)
        text = pd.api.types.is_string_dtype(series) and not isinstance(value, str)
        set_values(data, c, choose(weight, k, rng), str(value) if text else value)
    return Applied(data, tuple(columns), {"rate": rate, "value": value, "rows": k})


def duplicates(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    rate: float = 0.05,
) -> Applied:
    """Repeat exactly ``rate`` of the selected rows, each copy right after its original."""
    k = _count(rate, weight)
    rows = choose(weight, k, rng)
    repeats = np.ones(len(data), dtype=np.int64)
    repeats[rows] = 2
    index = np.repeat(np.arange(len(data)), repeats)
    copy = np.zeros(len(index))
    copy[np.flatnonzero(np.diff(index, prepend=-1) == 0)] = 1.0
    out = data.iloc[index].reset_index(drop=True)
    return Applied(out, tuple(out.columns), {"rate": rate, "rows": k}, index=index, weight=copy)


def drop_column(
    data: pd.DataFrame, weight: np.ndarray, columns: Sequence[str], rng: np.random.Generator
) -> Applied:
    """Remove the columns (from every row: the table's schema changes)."""
    for c in columns:
        column_of(data, c)
    return Applied(data.drop(columns=list(columns)), tuple(columns), {}, weight=np.ones(len(data)))


def rename_column(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    names: list[str] | None = None,
) -> Applied:
    """Rename the columns to ``names`` (one new name per column)."""
    for c in columns:
        column_of(data, c)
    if not names or len(names) != len(columns):
        raise SpecError(f"rename_column needs one new name per column ({len(columns)})")
    clash = [n for n in names if n in data.columns and n not in columns]
    if clash:
        raise SpecError(f"cannot rename to '{clash[0]}': the table already has that column")
    out = data.rename(columns=dict(zip(columns, names, strict=True)))
    return Applied(out, tuple(columns), {"names": list(names)}, weight=np.ones(len(data)))
