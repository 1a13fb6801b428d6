"""Columns that look like an identifier or an event time but were given no role.

An identifier (a distinct value on every row) used as a feature one-hot encodes into
thousands of columns and drifts on every batch; an event time used as a feature becomes a
field that ``/predict`` demands. :func:`role_hints` names such columns and the role to give
them (``data.id_columns`` or ``data.time_column``), so ``create``, ``run`` and ``drift`` can
warn before either happens.

>>> import pandas as pd
>>> frame = pd.DataFrame({
...     "customer_id": [f"c{i}" for i in range(50)],
...     "ts": pd.date_range("2026-01-01", periods=50, freq="h").astype(str),
...     "amount": [float(i % 7) for i in range(50)],
... })
>>> [(hint.column, hint.role) for hint in role_hints(frame)]
[('customer_id', 'id_columns'), ('ts', 'time_column')]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = ["MIN_ROWS_FOR_ID", "RoleHint", "role_hints"]

MIN_ROWS_FOR_ID = 20  # fewer rows than this are too few to call a column unique per row
_SAMPLE = 200
_TIME_NAME = re.compile(r"(^|_)(ts|time|timestamp|date|datetime)$|_(at|on)$", re.IGNORECASE)
_ID_NAME = re.compile(r"(^|_)(id|uuid|key)$|^id_", re.IGNORECASE)


@dataclass(frozen=True)
class RoleHint:
    """A column that looks like ``role`` (``id_columns`` or ``time_column``), and why."""

    column: str
    role: str
    why: str

    def message(self, option: str | None = None) -> str:
        """The warning shown to a user; ``option`` names the CLI flag if there is one.

        >>> print(RoleHint("ts", "time_column", "dates").message("--time-column"))
        ... # doctest: +NORMALIZE_WHITESPACE
        column 'ts' looks like an event time (dates): give it data.time_column
        (--time-column ts) so it is not used as a feature
        """
        what = "an identifier" if self.role == "id_columns" else "an event time"
        flag = f" ({option} {self.column})" if option else ""
        return (
            f"column {self.column!r} looks like {what} ({self.why}): give it "
            f"data.{self.role}{flag} so it is not used as a feature"
        )


def role_hints(frame: pd.DataFrame, assigned: Iterable[str] = ()) -> list[RoleHint]:
    """Columns of ``frame`` not in ``assigned`` that look like identifiers or event times.

    A column is an event time when its dtype is a datetime, or when it is named like one
    (``ts``, ``date``, ``created_at``...) and most of its values parse as dates, or when its
    text values all parse as dates. It is an identifier when it has no missing value and a
    distinct value on every one of at least :data:`MIN_ROWS_FOR_ID` rows, and holds text or
    integers (a float column of distinct values is a measurement, not a key), or is named
    like one (``id``, ``customer_id``) with distinct values.
    """
    skip = set(assigned)
    hints = []
    for name in frame.columns:
        if name in skip:
            continue
        series = frame[name]
        time_reason = _looks_like_time(str(name), series)
        if time_reason:
            hints.append(RoleHint(str(name), "time_column", time_reason))
            continue
        id_reason = _looks_like_id(str(name), series)
        if id_reason:
            hints.append(RoleHint(str(name), "id_columns", id_reason))
    return hints


def _looks_like_time(name: str, series: pd.Series) -> str | None:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "its dtype is a datetime"
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return None
    sample = series.dropna().astype(str).head(_SAMPLE)
    if sample.empty or not sample.str.contains(r"\d", regex=True).all():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    share = float(parsed.notna().mean())
    if share == 1.0 and sample.str.len().min() >= 8:
        return "its values are dates"
    if share >= 0.9 and _TIME_NAME.search(name):
        return "it is named like a time and its values are dates"
    return None


def _looks_like_id(name: str, series: pd.Series) -> str | None:
    rows = len(series)
    if rows < MIN_ROWS_FOR_ID or series.isna().any():
        return None
    dtype = series.dtype
    if pd.api.types.is_float_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return None
    if series.nunique() != rows:
        return None
    if pd.api.types.is_integer_dtype(dtype) and not _ID_NAME.search(name):
        return None if not _is_counter(series) else "it counts up by one on every row"
    return "it has a distinct value on every row"


def _is_counter(series: pd.Series) -> bool:
    steps = series.diff().dropna()
    return bool(len(steps)) and bool((steps == 1).all())
