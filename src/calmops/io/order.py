"""Natural order of block ids: numbers as numbers, dates as dates, text with numbers inside
compared number by number (``b2`` before ``b10``).

All ids of a batch are read the same way: numeric if every id is a number, else dates if
every id parses as a date (ISO ``2024-03``, ``2024-03-01``, ``Mar 2024``...), else natural
text order.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import pandas as pd

__all__ = ["as_text", "natural_key", "natural_order"]

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key of ``text`` with its digit runs compared as numbers.

    >>> sorted(["b10", "b2", "B1"], key=natural_key)
    ['B1', 'b2', 'b10']
    """
    parts = _DIGITS.split(str(text))
    return tuple((0, int(p), p) if p.isdigit() else (1, p.casefold(), p) for p in parts if p)


def natural_order(ids: Iterable) -> list[str]:
    """The distinct ``ids`` as text, in their natural order.

    Examples
    --------
    >>> natural_order(["b10", "b2", "b1", "b2"])
    ['b1', 'b2', 'b10']
    >>> natural_order([10, 9.5, 2])
    ['2', '9.5', '10']
    >>> natural_order(["Feb 2024", "Dec 2023", "Jan 2024"])
    ['Dec 2023', 'Jan 2024', 'Feb 2024']
    >>> natural_order(["2024-10", "2024-9", "2023-12"])
    ['2023-12', '2024-9', '2024-10']
    """
    values = pd.unique(pd.Series(list(ids), dtype=object).dropna())
    texts = [_text(v) for v in values]
    distinct = list(dict.fromkeys(texts))
    numbers = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
    if distinct and numbers.notna().all():
        return [t for _, t in sorted(zip(numbers.tolist(), distinct, strict=True))]
    dates = _dates(distinct)
    if dates is not None:
        return [
            t for _, _, t in sorted(zip(dates, map(natural_key, distinct), distinct, strict=True))
        ]
    return sorted(distinct, key=natural_key)


def as_text(values: pd.Series) -> pd.Series:
    """Block ids as text, the way :func:`natural_order` names them (``2.0`` is ``"2"``).

    >>> as_text(pd.Series([2.0, 10.0])).tolist()
    ['2', '10']
    >>> as_text(pd.Series([pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-01 12:30")])).tolist()
    ['2024-03-01', '2024-03-01T12:30:00']
    """
    return values.map(_text).astype(object)


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):  # a date read as a date keeps its short form
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    return str(value)


def _dates(texts: list[str]) -> list | None:
    if not texts or not all(re.search(r"\d", t) for t in texts):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(pd.Series(texts), errors="coerce", format="mixed")
    return None if parsed.isna().any() else parsed.tolist()
