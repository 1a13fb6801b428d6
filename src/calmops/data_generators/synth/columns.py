"""The kind of every column of a real table, and the way back to its dtype after synthesis.

Synthesizers work on numbers and category labels; :func:`infer_schema` records what each
column was (numeric, integer, boolean, datetime or categorical, with its share of missing
values), :func:`numeric_values` gives a column as floats (datetimes as nanoseconds, booleans
as 0/1, missing as NaN) and :func:`restore_column` turns synthesized values back into the
column's own dtype, so a synthetic table reads like the real one.

Handling of awkward columns (documented, never silent):

- a constant column is kept constant; an all-missing column is kept all-missing;
- a column with both missing and present values keeps its missing share (each synthesizer
  synthesizes missingness, see its docstring);
- an empty table, a table without columns, or duplicate column names are errors;
- columns labelled by other things than text (``0, 1, 2``) are named by their text inside
  and get their labels back (:meth:`TableSchema.labelled`).

Examples
--------
>>> import pandas as pd
>>> real = pd.DataFrame({"age": [30, 41, 52], "smoker": [True, False, True],
...                      "city": ["a", "b", None]})
>>> schema = infer_schema(real)
>>> [(c.name, c.kind, round(c.missing_share, 2)) for c in schema.columns]
[('age', 'integer', 0.0), ('smoker', 'boolean', 0.0), ('city', 'categorical', 0.33)]
>>> restore_column([29.6, 40.2], schema.column("age")).tolist()
[30, 40]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from calmops.errors import DataValidationError

__all__ = ["ColumnInfo", "TableSchema", "infer_schema", "numeric_values", "restore_column"]

MAX_CODES = 50
"""A numeric column with at most this many distinct values may be *few-valued* (codes)."""
MIN_REPEATS = 5
"""A fractional column is few-valued only if its values repeat this often on average."""
KINDS = ("numeric", "integer", "boolean", "datetime", "categorical")


@dataclass(frozen=True)
class ColumnInfo:
    """What one column of the real table was.

    ``categories`` lists the present values of a categorical or boolean column (in order of
    first appearance), and of a few-valued numeric column (sorted; see :attr:`is_code`);
    ``low``/``high`` bound numeric, integer and datetime columns (as floats; datetimes in
    nanoseconds); ``dtype`` is the pandas dtype to restore (for a pandas categorical, with
    ``dtype_categories``, all its declared categories, and ``ordered``).
    """

    name: str
    kind: str
    dtype: str
    missing_share: float
    categories: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    tz: str | None = None
    dtype_categories: tuple[Any, ...] | None = None
    ordered: bool = False

    @property
    def is_numeric(self) -> bool:
        """True for numeric, integer and datetime columns (synthesized as numbers)."""
        return self.kind in ("numeric", "integer", "datetime")

    @property
    def all_missing(self) -> bool:
        """True when the real column has no value at all."""
        return self.missing_share >= 1.0

    @property
    def constant(self) -> bool:
        """True when the real column has exactly one distinct present value."""
        if self.is_numeric:
            return self.low is not None and self.low == self.high
        return len(self.categories) == 1

    @property
    def is_code(self) -> bool:
        """True for a few-valued numeric column: 0/1 targets, ratings, ``0, 0.5, 1`` scores.

        Its values are labels: synthesizers keep them (never smoothed between two codes).
        """
        return self.kind in ("integer", "numeric") and bool(self.categories)


@dataclass(frozen=True)
class TableSchema:
    """The columns of a real table in order, and its target (if any).

    Columns are named by text (``ColumnInfo.name``, ``target``); ``labels`` keeps the real
    table's own column labels (``0, 1, 2`` for a frame built from an array) so a synthetic
    table gets them back (:meth:`labelled`).
    """

    columns: tuple[ColumnInfo, ...]
    n_rows: int
    target: str | None = None
    labels: tuple[Any, ...] = ()

    def labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` (columns named by text, in order) with the real table's labels."""
        return frame.set_axis(list(self.labels), axis=1) if self.labels else frame

    @property
    def names(self) -> list[str]:
        """Column names in their original order."""
        return [c.name for c in self.columns]

    def column(self, name: Any) -> ColumnInfo:
        """The :class:`ColumnInfo` of ``name`` (a label or its text); else a DataValidationError
        naming the columns."""
        for info in self.columns:
            if info.name == str(name):
                return info
        raise DataValidationError(
            f"no column {name!r} in the fitted table; it has {', '.join(map(str, self.names))}"
        )


def _kind_of(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    if pd.api.types.is_numeric_dtype(series):
        if pd.api.types.is_integer_dtype(series):
            return "integer"
        present = series.dropna().to_numpy(dtype=float)
        whole = present.size > 0 and bool(np.all(present == np.round(present)))
        return "integer" if whole else "numeric"
    present = series.dropna()
    if len(present) and present.map(lambda v: isinstance(v, bool | np.bool_)).all():
        return "boolean"
    return "categorical"


def infer_schema(data: pd.DataFrame, target: str | None = None) -> TableSchema:
    """Record the kind, dtype, missing share and range of every column of ``data``.

    Raises a DataValidationError for an empty table, duplicate column names, an unknown
    ``target``, or a ``target`` with fewer than two distinct values.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataValidationError(
            f"a synthesizer fits a pandas DataFrame (got {type(data).__name__})"
        )
    if data.shape[1] == 0 or data.shape[0] == 0:
        raise DataValidationError(
            f"cannot synthesize from an empty table ({data.shape[0]} rows × {data.shape[1]} "
            "columns); give at least one row and one column"
        )
    names = pd.Index([str(label) for label in data.columns])
    duplicated = names[names.duplicated()].unique().tolist()
    if duplicated:
        raise DataValidationError(f"column {duplicated[0]!r} appears more than once")
    if target is not None:
        if target not in data.columns:
            raise DataValidationError(
                f"target {target!r} is not a column; the table has "
                f"{', '.join(map(str, data.columns))}"
            )
        distinct = data[target].dropna().unique()
        if len(distinct) < 2:
            raise DataValidationError(
                f"target {target!r} has {len(distinct)} distinct value(s) "
                f"({', '.join(map(repr, distinct.tolist()))}); a target needs at least two"
            )
    columns = tuple(
        _column_info(str(label), data.iloc[:, i]) for i, label in enumerate(data.columns)
    )
    plain = all(isinstance(label, str) for label in data.columns)
    return TableSchema(
        columns=columns,
        n_rows=len(data),
        target=None if target is None else str(target),
        labels=() if plain else tuple(data.columns),
    )


def _column_info(name: str, series: pd.Series) -> ColumnInfo:
    kind = _kind_of(series)
    missing = float(series.isna().mean())
    tz = str(series.dt.tz) if kind == "datetime" and series.dt.tz is not None else None
    if kind in ("categorical", "boolean"):
        categories = tuple(pd.unique(series.dropna()).tolist())
        declared, ordered = None, False
        if isinstance(series.dtype, pd.CategoricalDtype):
            declared = tuple(series.dtype.categories.tolist())
            ordered = bool(series.dtype.ordered)
        return ColumnInfo(
            name,
            kind,
            str(series.dtype),
            missing,
            categories=categories,
            dtype_categories=declared,
            ordered=ordered,
        )
    values = numeric_values(series, kind)
    present = values[~np.isnan(values)]
    low = float(present.min()) if present.size else None
    high = float(present.max()) if present.size else None
    categories: tuple[Any, ...] = ()
    if _few_valued(present, kind):
        cast = int if kind == "integer" else float
        categories = tuple(cast(v) for v in np.unique(present))
    return ColumnInfo(
        name, kind, str(series.dtype), missing, categories=categories, low=low, high=high, tz=tz
    )


def _few_valued(present: np.ndarray, kind: str) -> bool:
    """True when a column's values are codes: whole numbers with at most :data:`MAX_CODES`
    distinct values, or fractions with at most that many, each seen on average at least
    :data:`MIN_REPEATS` times (so a small table of measurements is not read as codes)."""
    if kind not in ("integer", "numeric") or present.size == 0:
        return False
    distinct = len(np.unique(present))
    if kind == "integer":
        return distinct <= MAX_CODES
    return distinct <= MAX_CODES and present.size >= MIN_REPEATS * distinct


def numeric_values(series: pd.Series, kind: str | None = None) -> np.ndarray:
    """``series`` as float64 with NaN for missing: datetimes in ns, booleans as 0/1."""
    kind = kind or _kind_of(series)
    if kind == "datetime":
        stamps = pd.to_datetime(series)
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        stamps = stamps.dt.as_unit("ns")
        out = stamps.astype("int64").to_numpy(dtype=float)
        out[stamps.isna().to_numpy()] = np.nan
        return out
    if kind == "boolean":
        return series.map(lambda v: np.nan if pd.isna(v) else float(bool(v))).to_numpy(float)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def restore_column(values: Sequence[Any] | np.ndarray, info: ColumnInfo) -> pd.Series:
    """Synthesized ``values`` (numbers or labels, NaN/None for missing) in ``info``'s dtype.

    Numbers are clipped to the real column's range; integers are rounded; datetimes come
    back from nanoseconds (with the real column's time zone).
    """
    name = info.name
    if info.kind in ("categorical", "boolean"):
        series = pd.Series(list(values), name=name, dtype=object)
        series = series.where(series.notna(), None)
        if info.kind == "boolean" and info.missing_share == 0 and info.dtype == "bool":
            return series.astype(bool)
        if info.dtype == "category":
            declared = info.dtype_categories or info.categories
            return series.astype(pd.CategoricalDtype(list(declared), ordered=info.ordered))
        return series if info.dtype == "object" else _try_astype(series, info.dtype)
    numbers = np.asarray(values, dtype=float)
    if info.low is not None:
        numbers = np.clip(numbers, info.low, info.high)
    if info.kind == "datetime":
        stamps = pd.to_datetime(pd.Series(numbers, name=name), unit="ns")
        if info.tz:
            stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(info.tz)
        return _try_astype(stamps, info.dtype)
    if info.kind == "integer":
        rounded = np.round(numbers)
        if info.dtype.startswith("float"):
            return pd.Series(rounded, name=name, dtype=info.dtype)
        if np.isnan(rounded).any():
            return pd.Series(rounded, name=name).astype("Int64")
        return pd.Series(rounded, name=name).astype(info.dtype)
    dtype = info.dtype if info.dtype.startswith("float") else "float64"
    return pd.Series(numbers, name=name, dtype=dtype)


def _try_astype(series: pd.Series, dtype: str) -> pd.Series:
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series
