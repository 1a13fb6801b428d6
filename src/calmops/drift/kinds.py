"""The kind of a column for drift (``numeric``, ``categorical``, ``binary``, or untested), and
its values read as numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["column_kind", "parse_numbers"]

_MIXED = {"mixed", "mixed-integer", "mixed-integer-float"}


def column_kind(values: pd.Series) -> tuple[str | None, bool]:
    """``(kind, mixed_types)`` of a column: ``numeric``, ``categorical``, ``binary`` (two
    distinct values), or ``None`` for dates and times, which are not tested.

    Examples
    --------
    >>> column_kind(pd.Series([1.5, 2.0, 3.0])), column_kind(pd.Series([0, 1, 1]))
    (('numeric', False), ('binary', False))
    >>> column_kind(pd.Series(["a", 1, "b"]))
    ('categorical', True)
    """
    dtype = values.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return None, False
    if pd.api.types.is_bool_dtype(dtype):
        return "binary", False
    if pd.api.types.is_numeric_dtype(dtype):
        x = values.to_numpy(dtype="float64", na_value=np.nan)
        distinct = np.unique(x[np.isfinite(x)][:100_000]).size if x.size else 0
        if distinct == 2:
            distinct = np.unique(x[np.isfinite(x)]).size
        return ("binary" if distinct == 2 else "numeric"), False
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in {"integer", "floating", "decimal"}:
        return column_kind(pd.to_numeric(values, errors="coerce"))
    mixed = inferred in _MIXED
    distinct = values.dropna().nunique()
    return ("binary" if distinct == 2 else "categorical"), mixed


def parse_numbers(values: pd.Series) -> tuple[pd.Series, int]:
    """``(values as numbers, how many present values are not numbers)``; a numeric column is
    returned as it is, anything else (text, booleans) parsed, what does not parse missing.

    >>> numbers, unparseable = parse_numbers(pd.Series(["1.5", "oops", None]))
    >>> numbers.tolist(), unparseable
    ([1.5, nan, nan], 1)
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values, 0
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers, int((numbers.isna() & values.notna()).sum())
