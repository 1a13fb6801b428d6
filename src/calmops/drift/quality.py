"""Data-quality findings reported beside drift.

Each :class:`Finding` names a ``kind``, the column (or ``None`` for the table), a
``severity`` (``info``, ``warning``, ``error``) and a message a person can act on:

===================== ======== ==============================================================
kind                  severity when
===================== ======== ==============================================================
missing_column        error    a reference column is absent from the current table
new_column            info     a current column is absent from the reference
dtype_changed         warning  the column's type family changed (number, text, bool, time)
unparseable_values    warning  a numeric column holds current values that are not numbers
mixed_types           warning  a text column mixes numbers and strings (compared as text)
all_missing           error    no usable current values: the column was not tested
missing_rate_change   warning  the missing share moved by at least 0.05
new_categories        warning  categories never seen in the reference
out_of_range          warning  at least 1% of current values fall outside the reference range
infinite_values       warning  current values are +-inf (they are excluded from the tests)
constant_in_reference info     the reference column has one value (distances use another unit)
small_sample          warning  a distance was forced on a sample too small for it
role_hint             warning  a column looks like an id or a time (``calmops drift`` only)
===================== ======== ==============================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from calmops.drift.profile import ColumnProfile
from calmops.drift.sides import CategoricalSide, NumericSide, Side

__all__ = [
    "Finding",
    "column_findings",
    "dtype_family",
    "no_common_columns",
    "schema_findings",
]

MISSING_RATE_DELTA = 0.05
OUT_OF_RANGE_SHARE = 0.01
SHOWN_CATEGORIES = 10


@dataclass(frozen=True)
class Finding:
    """One data-quality observation."""

    kind: str
    column: str | None
    severity: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "details": self.details,
        }


def dtype_family(dtype: Any) -> str:
    """``number``, ``bool``, ``time`` or ``text``: the part of a dtype that matters to drift.

    Examples
    --------
    >>> dtype_family("int64"), dtype_family("float32"), dtype_family("str")
    ('number', 'number', 'text')
    """
    try:
        dtype = pd.api.types.pandas_dtype(dtype)
    except TypeError:
        return "text"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return "time"
    return "text"


def schema_findings(reference: list[str], current: list[str]) -> list[Finding]:
    """Columns missing from, or new in, the current table.

    Examples
    --------
    >>> [f.message for f in schema_findings(["a", "b"], ["a", "c"])]
    ["column 'b' is in the reference but not in the current data", "column 'c' is new ..."]
    """
    now = set(current)
    before = set(reference)
    out = [
        Finding(
            "missing_column",
            name,
            "error",
            f"column {name!r} is in the reference but not in the current data",
        )
        for name in reference
        if name not in now
    ]
    out += [
        Finding(
            "new_column",
            name,
            "info",
            f"column {name!r} is new (not in the reference; not tested)",
        )
        for name in current
        if name not in before
    ]
    return out


def no_common_columns(reference: list[str], current: list[str], shown: int = 4) -> str:
    """The message when the two tables share no column: a few names from each side, and
    whether they match once case (and surrounding spaces) are ignored.

    Examples
    --------
    >>> print(no_common_columns(["age", "city"], ["AGE", "CITY"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    the reference and the current data have no column in common: the reference has 'age',
    'city' (2 columns), the current data has 'AGE', 'CITY' (2 columns); they match when
    case is ignored: rename the columns of one file
    """

    def some(names: list[str]) -> str:
        head = ", ".join(repr(n) for n in names[:shown])
        return f"{head}{', ...' if len(names) > shown else ''} ({len(names)} columns)"

    message = (
        "the reference and the current data have no column in common: "
        f"the reference has {some(reference)}, the current data has {some(current)}"
    )
    for how, key in (
        ("case is ignored", str.lower),
        ("spaces and case are ignored", lambda n: "".join(n.split()).lower()),
    ):
        matched = {key(n) for n in reference} & {key(n) for n in current}
        if matched:
            share = "" if len(matched) == len(reference) else f" ({len(matched)} of them)"
            return f"{message}; they match when {how}{share}: rename the columns of one file"
    return message


def column_findings(
    column: ColumnProfile,
    values: pd.Series | ColumnProfile,
    current: Side,
    *,
    unparseable: int = 0,
    mixed_types: bool = False,
) -> list[Finding]:
    """Quality findings for one column, given its current raw values (or the current batch's
    profile of the column) and current side."""
    dtype, n_rows, all_missing = _shape(values)
    out = _type_findings(column, dtype, all_missing, unparseable, mixed_types)
    out += _missing_findings(column, n_rows, current)
    ref = column.side
    if isinstance(ref, CategoricalSide) and isinstance(current, CategoricalSide):
        out += _category_findings(column.name, ref, current)
    if isinstance(ref, NumericSide) and isinstance(current, NumericSide):
        out += _numeric_findings(column.name, ref, current)
    return out


def _type_findings(
    column: ColumnProfile, dtype: Any, all_missing: bool, unparseable: int, mixed_types: bool
) -> list[Finding]:
    """The column's type changed, has values that are not numbers, or mixes numbers and text."""
    name = column.name
    out: list[Finding] = []
    before, now = dtype_family(column.dtype), dtype_family(dtype)
    if before != now and not (now == "text" and all_missing):
        out.append(
            Finding(
                "dtype_changed",
                name,
                "warning",
                f"column {name!r} was {column.dtype} in the reference and is {dtype} now",
                {"reference": column.dtype, "current": str(dtype)},
            )  # fmt: skip
        )
    if unparseable:
        out.append(
            Finding(
                "unparseable_values",
                name,
                "warning",
                f"{unparseable} value(s) of numeric column {name!r} are not numbers "
                "(counted as missing)",
                {"count": unparseable},
            )  # fmt: skip
        )
    if mixed_types:
        out.append(
            Finding(
                "mixed_types",
                name,
                "warning",
                f"column {name!r} mixes numbers and text; values are compared as text",
            )  # fmt: skip
        )
    return out


def _missing_findings(column: ColumnProfile, n_rows: int, current: Side) -> list[Finding]:
    """The column has no usable value now, or its missing rate moved."""
    name = column.name
    out: list[Finding] = []
    if current.n == 0:
        out.append(
            Finding(
                "all_missing",
                name,
                "error",
                f"column {name!r} has no usable values in the current data; not tested",
            )  # fmt: skip
        )
    rate_now = current.n_missing / n_rows if n_rows else 0.0
    if abs(rate_now - column.missing_rate) >= MISSING_RATE_DELTA:
        out.append(
            Finding(
                "missing_rate_change",
                name,
                "warning",
                f"missing values in {name!r} went from {column.missing_rate:.1%} to {rate_now:.1%}",
                {"reference": column.missing_rate, "current": rate_now},
            )  # fmt: skip
        )
    return out


def _shape(values: pd.Series | ColumnProfile) -> tuple[Any, int, bool]:
    """``(dtype, rows, every value missing)`` of raw values or of a column's profile."""
    if isinstance(values, ColumnProfile):
        return values.dtype, values.n_rows, values.side.n_missing == values.n_rows
    return values.dtype, int(values.size), bool(values.isna().all())


def _category_findings(name: str, ref: CategoricalSide, cur: CategoricalSide) -> list[Finding]:
    new = ~np.isin(cur.categories.astype(str), ref.categories.astype(str))
    if not new.any() or cur.n == 0:
        return []
    order = np.argsort(-cur.counts[new], kind="stable")
    shown = cur.categories[new][order][:SHOWN_CATEGORIES].tolist()
    share = float(cur.counts[new].sum() / cur.n)
    more = "" if new.sum() <= SHOWN_CATEGORIES else f" and {int(new.sum()) - SHOWN_CATEGORIES} more"
    return [
        Finding(
            "new_categories",
            name,
            "warning",
            f"{int(new.sum())} new categor{'y' if new.sum() == 1 else 'ies'} in {name!r} "
            f"({share:.1%} of values): {', '.join(map(repr, shown))}{more}",
            {"count": int(new.sum()), "share": share, "categories": shown},
        )  # fmt: skip
    ]


def _numeric_findings(name: str, ref: NumericSide, cur: NumericSide) -> list[Finding]:
    out: list[Finding] = []
    if cur.n_infinite:
        out.append(
            Finding(
                "infinite_values",
                name,
                "warning",
                f"{cur.n_infinite} infinite value(s) in {name!r} (excluded from the tests)",
                {"count": cur.n_infinite},
            )  # fmt: skip
        )
    if ref.n and ref.min == ref.max:
        out.append(
            Finding(
                "constant_in_reference",
                name,
                "info",
                f"{name!r} is constant ({ref.min:g}) in the reference",
                {"value": ref.min},
            )  # fmt: skip
        )
    if ref.n and cur.n:
        below = int(np.searchsorted(cur.sample, ref.min, side="left"))
        above = int(cur.sample.size - np.searchsorted(cur.sample, ref.max, side="right"))
        share = (below + above) / cur.sample.size
        if share >= OUT_OF_RANGE_SHARE:
            out.append(
                Finding(
                    "out_of_range",
                    name,
                    "warning",
                    f"{share:.1%} of {name!r} lies outside the reference range "
                    f"[{ref.min:g}, {ref.max:g}]",
                    {"share": share, "below": below, "above": above},
                )  # fmt: skip
            )
    return out
