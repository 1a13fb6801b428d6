"""What kind of data each column holds: numeric, binary, categorical, datetime or text."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["ColumnSchema", "Schema", "infer_schema"]

# a string column with at most this many distinct values (or 5% of rows) is categorical
CATEGORICAL_MAX_UNIQUE = 50


@dataclass(frozen=True)
class ColumnSchema:
    """One column: its name, pandas dtype, kind and a few counts."""

    name: str
    dtype: str
    kind: str  # numeric | binary | categorical | datetime | text
    missing: int
    unique: int


@dataclass(frozen=True)
class Schema:
    """The columns of a table, in order, and its row count."""

    columns: tuple[ColumnSchema, ...]
    rows: int

    def to_dict(self) -> dict:
        return {"rows": self.rows, "columns": [vars(c) for c in self.columns]}


def infer_schema(frame: pd.DataFrame) -> Schema:
    """Describe each column of ``frame``.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [0.5, 1.5, 2.5], "flag": [0, 1, 1], "city": list("abc")})
    >>> [(c.name, c.kind) for c in infer_schema(frame).columns]
    [('x', 'numeric'), ('flag', 'binary'), ('city', 'categorical')]
    """
    columns = tuple(_describe(frame[name]) for name in frame.columns)
    return Schema(columns=columns, rows=len(frame))


def _describe(series: pd.Series) -> ColumnSchema:
    unique = int(series.nunique(dropna=True))
    return ColumnSchema(
        name=str(series.name),
        dtype=str(series.dtype),
        kind=_kind(series, unique),
        missing=int(series.isna().sum()),
        unique=unique,
    )


def _kind(series: pd.Series, unique: int) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "binary"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_numeric_dtype(dtype):
        return "binary" if unique == 2 else "numeric"
    if unique == 2:
        return "binary"
    limit = max(CATEGORICAL_MAX_UNIQUE, int(0.05 * len(series)))
    return "categorical" if unique <= limit else "text"
