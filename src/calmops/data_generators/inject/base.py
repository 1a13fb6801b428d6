"""What every injection operation shares: its signature, its result and row choosers.

An operation is a function ``op(data, weight, columns, rng, **params) -> Applied`` that
changes ``data`` (a private copy) in place or returns a new frame. ``weight`` holds the
profile weight of every row (0 outside the selection). Operations that change values by an
amount scale it by the weight; those that change some rows pick each row with probability
equal to its weight (all selected rows under a step profile) and then hit the asked rate or
proportions exactly among the picked rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators.inject.selectors import column_of
from calmops.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Applied", "Operation", "affected", "choose", "numeric_values", "set_values"]

# filled in by the injector, not by callers
INTERNAL_PARAMETERS = frozenset({"keep", "time_column", "block_column"})


@dataclass(frozen=True, eq=False)
class Applied:
    """What an operation did: the new frame, the columns it touched and resolved parameters.

    ``index`` maps rows of the new frame to rows of the old one when rows were added;
    ``weight`` replaces the profile weight in the record when the operation knows better
    (e.g. the duplicated rows).
    """

    data: pd.DataFrame
    columns: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    index: np.ndarray | None = None
    weight: np.ndarray | None = None


@dataclass(frozen=True)
class Operation:
    """A registered operation: its family (``kind``), its function, and its column default.

    ``columns`` is "given" (the caller must name them), "target" (defaults to the target
    column), "output" (like "target", but the column may be new) or "none" (works on whole
    rows).
    """

    kind: str
    apply: Callable[..., Applied]
    columns: str = "given"

    @property
    def name(self) -> str:
        """The operation's registered name: its function's name (``shift``, ``missing``...)."""
        return self.apply.__name__

    def accepts(self, name: str) -> bool:
        """Whether the operation's function takes a keyword parameter ``name``."""
        import inspect

        return name in inspect.signature(self.apply).parameters

    @property
    def parameters(self) -> list[str]:
        """The operation's own keyword parameters (those a caller may give)."""
        import inspect

        return [
            p.name
            for p in inspect.signature(self.apply).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.name not in INTERNAL_PARAMETERS
        ]

    @property
    def doc(self) -> str:
        """The first line of the function's docstring."""
        return (self.apply.__doc__ or "").strip().splitlines()[0]


def affected(weight: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rows picked with probability equal to their weight (weight 1 rows always)."""
    return rng.random(len(weight)) < weight


def choose(p: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` distinct rows drawn with probabilities proportional to ``p`` (Gumbel top-k)."""
    candidates = np.flatnonzero(p > 0)
    k = min(k, candidates.size)
    if k == 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(p[candidates]) - np.log(-np.log(rng.random(candidates.size)))
    top = np.argpartition(-keys, k - 1)[:k]
    return np.sort(candidates[top])


def numeric_values(data: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric column as float64, or a DataValidationError if it is not numeric."""
    import pandas as pd

    series = column_of(data, column)
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        raise DataValidationError(
            f"column '{column}' is {series.dtype}, but this operation needs a numeric column"
        )
    return series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)


def set_values(data: pd.DataFrame, column: str, rows: np.ndarray, values: Any) -> None:
    """Write ``values`` into rows ``rows`` of ``column``; the column becomes object dtype
    if its own dtype cannot hold them."""
    series = data[column]
    try:
        series.iloc[rows] = values  # copy-on-write: this is data's own column
        data[column] = series
    except (TypeError, ValueError):
        data[column] = series.astype(object)
        data.iloc[rows, data.columns.get_loc(column)] = values
