"""Generalization: values replaced by coarser ones, so fewer rows are unique.

Four kinds, one per column (:class:`~calmops.privacy.config.GeneralizeRule`):

- **binning** a number into the interval of ``bins`` edges that holds it, ``"[18, 40)"``
  (left-closed; the last interval also holds its right edge; values outside every interval
  become missing, so choose edges that cover the domain);
- **truncating** a date to the start of its day, week (Monday), month, quarter or year;
- **top/bottom coding**: values above ``top`` become ``top``, below ``bottom`` become ``bottom``;
- **grouping** categories: each value listed under a group becomes the group's name; values
  in no group become ``other`` when given, else stay as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calmops.errors import DataValidationError
from calmops.privacy.config import GeneralizeRule

__all__ = [
    "bin_numeric",
    "generalize",
    "generalize_column",
    "group_categories",
    "top_bottom_code",
    "truncate_dates",
]

_PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def _numeric(values: pd.Series, what: str) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataValidationError(
            f"column '{values.name}': {what} needs numbers, got dtype {values.dtype}"
        )
    return values


def _is_datetime(values: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(values)


def _edge(value: float) -> str:
    return f"{value:g}"


def bin_numeric(values: pd.Series, bins: list[float]) -> pd.Series:
    """Each number as the label of its interval among the ``bins`` edges.

    Examples
    --------
    >>> import pandas as pd
    >>> bin_numeric(pd.Series([0, 17.9, 18, 64, 120, 130]), [0, 18, 65, 120]).tolist()
    ['[0, 18)', '[0, 18)', '[18, 65)', '[18, 65)', '[65, 120]', nan]
    """
    numbers = _numeric(values, "binning").to_numpy(dtype=float)
    edges = np.asarray(bins, dtype=float)
    labels = [f"[{_edge(a)}, {_edge(b)})" for a, b in zip(edges[:-2], edges[1:-1], strict=True)]
    labels.append(f"[{_edge(edges[-2])}, {_edge(edges[-1])}]")
    index = np.searchsorted(edges, numbers, side="right") - 1
    index[numbers == edges[-1]] = len(edges) - 2
    inside = (index >= 0) & (index < len(edges) - 1) & ~np.isnan(numbers)
    out = np.full(len(numbers), np.nan, dtype=object)
    out[inside] = np.asarray(labels, dtype=object)[index[inside]]
    return pd.Series(out, index=values.index, name=values.name)


def truncate_dates(values: pd.Series, unit: str) -> pd.Series:
    """Each date as the first day of its ``unit`` (day, week from Monday, month, quarter, year).

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.Series(["2024-05-17 13:45", "2024-11-02 00:00"])
    >>> truncate_dates(days, "quarter").dt.strftime("%Y-%m-%d").tolist()
    ['2024-04-01', '2024-10-01']
    >>> truncate_dates(days, "week").dt.strftime("%Y-%m-%d").tolist()
    ['2024-05-13', '2024-10-28']
    """
    try:
        dates = values if _is_datetime(values) else pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError):
        raise DataValidationError(
            f"column '{values.name}': date truncation needs dates, got dtype {values.dtype}"
        ) from None
    if unit == "day":
        return dates.dt.floor("D")
    tz = dates.dt.tz
    naive = dates.dt.tz_localize(None) if tz is not None else dates
    start = naive.dt.to_period(_PERIODS[unit]).dt.start_time.astype(naive.dtype)
    return start.dt.tz_localize(tz) if tz is not None else start


def top_bottom_code(
    values: pd.Series, top: float | None = None, bottom: float | None = None
) -> pd.Series:
    """Numbers above ``top`` set to ``top`` and below ``bottom`` set to ``bottom``.

    Examples
    --------
    >>> import pandas as pd
    >>> top_bottom_code(pd.Series([5_000, 50_000, 900_000]), 200_000, 10_000).tolist()
    [10000, 50000, 200000]
    """
    return _numeric(values, "top/bottom coding").clip(lower=bottom, upper=top)


def group_categories(
    values: pd.Series, groups: dict[str, list[object]], other: str | None = None
) -> pd.Series:
    """Each listed category replaced by its group's name; the rest by ``other`` if given.

    Examples
    --------
    >>> import pandas as pd
    >>> cities = pd.Series(["a", "c", "z", None])
    >>> group_categories(cities, {"north": ["a", "b"], "south": ["c"]}, "other").tolist()
    ['north', 'south', 'other', None]
    """
    mapping: dict[object, str] = {}
    for name, members in groups.items():
        for member in members:
            if member in mapping and mapping[member] != name:
                raise DataValidationError(
                    f"column '{values.name}': {member!r} is in groups "
                    f"'{mapping[member]}' and '{name}'"
                )
            mapping[member] = name
    grouped = values.map(mapping).astype(object)
    missing_group = grouped.isna() & values.notna()
    fallback = other if other is not None else values
    grouped = grouped.where(~missing_group, fallback)
    return grouped.where(values.notna(), None)


def generalize_column(values: pd.Series, rule: GeneralizeRule) -> pd.Series:
    """Apply one :class:`GeneralizeRule` to a column."""
    if rule.bins is not None:
        return bin_numeric(values, rule.bins)
    if rule.truncate is not None:
        return truncate_dates(values, rule.truncate)
    if rule.groups is not None:
        return group_categories(values, rule.groups, rule.other)
    return top_bottom_code(values, rule.top, rule.bottom)


def generalize(frame: pd.DataFrame, rules: dict[str, GeneralizeRule]) -> pd.DataFrame:
    """A copy of ``frame`` with each ruled column generalized.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"age": [3, 30, 70]})
    >>> generalize(frame, {"age": GeneralizeRule(bins=[0, 18, 65, 120])})["age"].tolist()
    ['[0, 18)', '[18, 65)', '[65, 120]']
    """
    out = frame.copy()
    for column, rule in rules.items():
        out[column] = generalize_column(frame[column], rule)
    return out
