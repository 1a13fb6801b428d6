"""Column roles in a run: ids and the event time are checked, the time orders the rows, and
columns that look like ids or times but have no role are named in the run's notes.

``data.id_columns``, ``data.time_column`` and ``data.exclude`` are never features: the
``prepare`` step drops every :meth:`~calmops.spec.sections.DataSpec.role_columns` column
before the preprocess hook, so neither the model, the drift tests nor ``/predict`` see them.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"ts": ["2026-01-03", "2026-01-01", "2026-01-02"], "x": [3, 1, 2]})
>>> ordered, period = order_by_time(frame, "ts")
>>> ordered["x"].tolist(), period
([1, 2, 3], Period(start='2026-01-01T00:00:00', end='2026-01-03T00:00:00'))
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from calmops.errors import DataValidationError
from calmops.io.roles import role_hints
from calmops.pipeline.sections import Period
from calmops.spec.sections import DataSpec

__all__ = ["HINT_ROWS", "check_role_columns", "order_by_time", "parse_times", "role_notes"]

HINT_ROWS = 10_000  # rows of a batch looked at for columns that look like ids or times


def check_role_columns(data: DataSpec, frame: pd.DataFrame) -> None:
    """Raise DataValidationError naming an id or time column the batch lacks.

    >>> data = DataSpec(dir=".", id_columns=["customer_id"], time_column="ts")
    >>> check_role_columns(data, pd.DataFrame({"customer_id": ["a"], "x": [1.0]}))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: the batch has no column 'ts' (data.time_column); ...
    """
    needed = [(c, "data.id_columns") for c in data.id_columns]
    if data.time_column:
        needed.append((data.time_column, "data.time_column"))
    missing = [f"'{c}' ({role})" for c, role in needed if c not in frame.columns]
    if missing:
        shown = ", ".join(map(str, frame.columns[:10])) + (" ..." if frame.shape[1] > 10 else "")
        raise DataValidationError(
            f"the batch has no column {', '.join(missing)}; its columns are: {shown}"
        )


def parse_times(series: pd.Series, column: str) -> pd.Series:
    """The values of the time column as datetimes (numbers are kept as they are).

    >>> parse_times(pd.Series(["2026-01-01", "soon"]), "ts")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: data.time_column 'ts' holds values ... 'soon' (row 1)
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        return series  # epoch seconds, a sequence number: ordered as numbers
    try:
        return pd.to_datetime(series, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(series, errors="coerce", format="mixed", utc=True)
    bad = series.notna().to_numpy() & parsed.isna().to_numpy()
    if bad.any():
        row = int(bad.argmax())
        value = series.iloc[row]
        value = value.item() if isinstance(value, np.generic) else value  # 5, not np.int64(5)
        raise DataValidationError(
            f"data.time_column '{column}' holds values that are not dates, e.g. "
            f"{value!r} (row {row})"
        )
    return parsed


def order_by_time(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, Period | None]:
    """``frame`` sorted by its time column (stable; rows without a time last) and the span
    of its times (None when no row has one)."""
    times = parse_times(frame[column], column).reset_index(drop=True)
    if times.is_monotonic_increasing and not times.isna().any():  # the usual file: in order
        ordered = frame
    else:
        order = times.sort_values(kind="stable", na_position="last").index
        ordered = frame.iloc[order.to_numpy()].reset_index(drop=True)
    if times.isna().all():
        return ordered, None
    return ordered, Period(_text(times.min()), _text(times.max()))


def role_notes(data: DataSpec, frame: pd.DataFrame) -> list[str]:
    """Warnings for columns of the batch that look like ids or times and have no role.

    >>> frame = pd.DataFrame({"order": [f"o{i}" for i in range(30)], "x": [1.0] * 30})
    >>> role_notes(DataSpec(dir="."), frame)  # doctest: +ELLIPSIS
    ["column 'order' looks like an identifier (...): give it data.id_columns so it is not ..."]
    >>> role_notes(DataSpec(dir=".", exclude=["order"]), frame)
    []
    """
    hints = role_hints(frame.head(HINT_ROWS), data.role_columns())
    return [hint.message() for hint in hints]


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
