"""A real table as one float array per column, and back: the working domain of synthesis.

Numeric, integer and datetime columns become their :func:`~.columns.numeric_values` (datetimes
in nanoseconds); categorical and boolean columns become the index of their value in
``ColumnInfo.categories``. Missing values are NaN everywhere. :func:`decode_table` turns such
arrays back into a DataFrame with the real table's columns, order and dtypes.

Examples
--------
>>> import pandas as pd
>>> from calmops.data_generators.synth.columns import infer_schema
>>> real = pd.DataFrame({"x": [1.5, 2.5, None], "c": ["a", "b", "a"]})
>>> schema = infer_schema(real)
>>> values = encode_table(real, schema)
>>> values["x"].tolist(), values["c"].tolist()
([1.5, 2.5, nan], [0.0, 1.0, 0.0])
>>> decode_table(values, schema).equals(real)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from calmops.data_generators.synth.columns import (
    ColumnInfo,
    TableSchema,
    numeric_values,
    restore_column,
)

__all__ = [
    "condition_value",
    "decode_table",
    "encode_column",
    "encode_table",
    "is_discrete",
    "is_fixed",
]


def is_discrete(info: ColumnInfo) -> bool:
    """True for columns whose values are labels: categorical, boolean, few-valued integers."""
    return info.kind in ("categorical", "boolean") or info.is_code


def is_fixed(info: ColumnInfo) -> bool:
    """True for a column with nothing to learn: all missing, or one value and none missing."""
    return info.all_missing or (info.constant and info.missing_share == 0)


def encode_column(series: pd.Series, info: ColumnInfo) -> np.ndarray:
    """``series`` in the working domain: numbers, or category indices, NaN for missing."""
    if info.kind in ("categorical", "boolean"):
        index = {value: float(i) for i, value in enumerate(info.categories)}
        return np.array([np.nan if pd.isna(v) else index[v] for v in series], dtype=float)
    return numeric_values(series, info.kind)


def encode_table(data: pd.DataFrame, schema: TableSchema) -> dict[str, np.ndarray]:
    """Every column of ``data`` (fitted as ``schema``) in the working domain."""
    return {
        info.name: encode_column(data.iloc[:, i], info) for i, info in enumerate(schema.columns)
    }


def condition_value(info: ColumnInfo, value: Any) -> float:
    """A category of ``info`` (as :func:`~.conditions.check_conditions` resolved it) as a number."""
    if info.kind in ("categorical", "boolean"):
        return float(info.categories.index(value))
    return float(value)


def fixed_values(info: ColumnInfo, n: int) -> np.ndarray:
    """``n`` values of a fixed column (see :func:`is_fixed`) in the working domain."""
    if info.all_missing:
        return np.full(n, np.nan)
    return np.full(n, 0.0 if not info.is_numeric else info.low)


def decode_table(values: Mapping[str, np.ndarray], schema: TableSchema) -> pd.DataFrame:
    """Columns in the working domain back to a DataFrame shaped like the real table."""
    columns = {}
    for info in schema.columns:
        column = np.asarray(values[info.name], dtype=float)
        if info.kind in ("categorical", "boolean"):
            labels = np.array(info.categories + (None,), dtype=object)
            index = np.where(np.isnan(column), len(info.categories), column).astype(int)
            columns[info.name] = restore_column(labels[index], info)
        else:
            columns[info.name] = restore_column(column, info)
    return schema.labelled(pd.DataFrame(columns, columns=schema.names))
