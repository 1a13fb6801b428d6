"""Selectors: which rows an injection touches (combine them with ``&``, ``|`` and ``~``)."""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.errors import DataValidationError, SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AllRows",
    "BlockSet",
    "RowRange",
    "Selector",
    "TimeRange",
    "Where",
    "column_of",
    "time_values",
]


def column_of(data: pd.DataFrame, name: str) -> pd.Series:
    """``data[name]``, or a DataValidationError listing the columns there are."""
    if name not in data.columns:
        raise DataValidationError(
            f"unknown column '{name}'; the table has {', '.join(map(str, data.columns))}"
        )
    return data[name]


def time_values(data: pd.DataFrame, name: str) -> pd.Series:
    """A time column as datetimes (text is parsed) or numbers, else DataValidationError."""
    import pandas as pd

    values = column_of(data, name)
    if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values
    try:
        return pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError):
        raise DataValidationError(
            f"column '{name}' holds neither ISO-8601 times nor numbers, "
            "so it cannot order rows in time"
        ) from None


class Selector(ABC):
    """Base of every selector: ``mask(data)`` gives one boolean per row."""

    @abstractmethod
    def mask(self, data: pd.DataFrame) -> np.ndarray:
        """One boolean per row of ``data``: True where the injection applies."""

    def __and__(self, other: Selector) -> Selector:
        return _Combined("and", (self, other))

    def __or__(self, other: Selector) -> Selector:
        return _Combined("or", (self, other))

    def __invert__(self) -> Selector:
        return _Combined("not", (self,))

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description, kept in the drift record."""
        return {"type": type(self).__name__, **{k: v for k, v in vars(self).items()}}


@dataclass(frozen=True)
class _Combined(Selector):
    how: str
    parts: tuple[Selector, ...]

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        masks = [p.mask(data) for p in self.parts]
        if self.how == "not":
            return ~masks[0]
        return np.logical_and(*masks) if self.how == "and" else np.logical_or(*masks)

    def describe(self) -> dict[str, Any]:
        return {"type": self.how, "parts": [p.describe() for p in self.parts]}


@dataclass(frozen=True)
class AllRows(Selector):
    """Every row."""

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        return np.ones(len(data), dtype=bool)


@dataclass(frozen=True)
class RowRange(Selector):
    """Rows at positions ``start <= i < stop`` (None: open end).

    Examples
    --------
    >>> import pandas as pd
    >>> RowRange(1, 3).mask(pd.DataFrame({"a": range(5)})).tolist()
    [False, True, True, False, False]
    """

    start: int | None = None
    stop: int | None = None

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        n = len(data)
        start = 0 if self.start is None else self.start
        stop = n if self.stop is None else self.stop
        if start < 0 or stop < start or start > n:
            raise SpecError(f"rows {start}:{stop} are not a valid range of the {n} rows")
        i = np.arange(n)
        return (i >= start) & (i < stop)


@dataclass(frozen=True)
class TimeRange(Selector):
    """Rows whose ``column`` lies in ``[start, stop)`` (dates as strings, or numbers)."""

    column: str
    start: Any = None
    stop: Any = None

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        import pandas as pd

        values = time_values(data, self.column)
        is_time = pd.api.types.is_datetime64_any_dtype(values)
        convert = pd.Timestamp if is_time else float
        out = np.ones(len(data), dtype=bool)
        if self.start is not None:
            out &= (values >= convert(self.start)).to_numpy()
        if self.stop is not None:
            out &= (values < convert(self.stop)).to_numpy()
        return out


@dataclass(frozen=True)
class BlockSet(Selector):
    """Rows whose block ``column`` is one of ``blocks``."""

    column: str
    blocks: tuple[Any, ...]

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        return column_of(data, self.column).isin(list(self.blocks)).to_numpy()


_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Where(Selector):
    """Rows where ``column op value`` holds; ``op`` is a comparison, ``in`` or ``not in``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"age": [30, 50, 70], "city": ["a", "b", "a"]})
    >>> (Where("age", ">", 40) & Where("city", "==", "a")).mask(df).tolist()
    [False, False, True]
    """

    column: str
    op: str
    value: Any

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        values = column_of(data, self.column)
        if self.op in ("in", "not in"):
            hit = values.isin(list(self.value)).to_numpy()
            return hit if self.op == "in" else ~hit
        if self.op not in _OPS:
            raise SpecError(f"unknown comparison '{self.op}'; choose from {', '.join(_OPS)}, in")
        return np.asarray(_OPS[self.op](values, self.value).fillna(False), dtype=bool)
