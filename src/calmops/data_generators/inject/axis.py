"""The axis the dynamics operations run along: time, blocks in natural order, or row order.

Every row gets a position in units of ``per``: on a datetime column, ``(t - t0) / per`` with
``per`` a pandas duration ("1D", "1h"; default one day); on a numeric time column the value
over ``per``; on a block column the block's rank in natural order (``b2`` before ``b10``)
over ``per``; otherwise the row number over ``per`` (default 1 for all of these).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators._checks import check_choice
from calmops.data_generators.inject.selectors import column_of, time_values
from calmops.errors import DataValidationError, SpecError
from calmops.io.order import as_text, natural_order

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Axis", "axis_of"]

KINDS = ("time", "block", "row")


@dataclass(frozen=True, eq=False)
class Axis:
    """The position of every row along the axis, in units of ``per``.

    ``labels`` holds what a user calls each row's place on the axis (an ISO time, a block
    id, a row number) so the record can name origins and points the way they were given.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"block": ["b10", "b2", "b2", "b1"]})
    >>> axis = axis_of(df, block_column="block")
    >>> axis.kind, axis.positions.tolist(), axis.position_of("b2")
    ('block', [2.0, 1.0, 1.0, 0.0], 1.0)
    """

    kind: str
    column: str | None
    per: Any
    positions: np.ndarray
    labels: Any
    _locate: Any

    def position_of(self, value: Any) -> float:
        """The position of an axis value (a time, a block id, a row number) in ``per`` units."""
        return float(self._locate(value))

    def label(self, row: int) -> Any:
        """How a user names row ``row``'s place on the axis (JSON-ready)."""
        value = self.labels[row]
        return value.isoformat() if hasattr(value, "isoformat") else value

    def describe(self) -> dict[str, Any]:
        """What the record keeps about the axis."""
        return {"axis": self.kind, "axis_column": self.column, "per": self.per}


def axis_of(
    data: pd.DataFrame,
    *,
    time_column: str | None = None,
    block_column: str | None = None,
    axis: str | None = None,
    per: Any = None,
) -> Axis:
    """The axis of ``data``: ``axis`` if given, else time, else blocks, else row order.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=3, freq="12h")})
    >>> days = axis_of(df, time_column="t").positions  # days since 1970-01-01
    >>> (days - days[0]).tolist()
    [0.0, 0.5, 1.0]
    >>> quarters = axis_of(df, time_column="t", per="6h")
    >>> quarters.position_of("2024-01-02") - float(quarters.positions[0])
    4.0
    """
    if axis is None:
        axis = "time" if time_column else "block" if block_column else "row"
    check_choice("axis", axis, KINDS)
    if axis == "time":
        if not time_column:
            raise SpecError("axis 'time' needs time_column=<the time column>")
        return _time_axis(data, time_column, per)
    if axis == "block":
        if not block_column:
            raise SpecError("axis 'block' needs block_column=<the block id column>")
        return _block_axis(data, block_column, _number("per", per, "block"))
    step = _number("per", per, "row")
    return Axis("row", None, step, np.arange(len(data)) / step, np.arange(len(data)), _row(step))


def _number(name: str, value: Any, kind: str) -> float:
    if value is None:
        return 1.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SpecError(
            f"on the {kind} axis {name} must be a number of {kind}s, got {value!r}; "
            "durations such as '1D' need a datetime time_column (--time-column)"
        ) from None
    if not number > 0:
        raise SpecError(f"{name} must be > 0, got {value}")
    return number


def _row(step: float):
    def locate(value: Any) -> float:
        try:
            return int(value) / step
        except (TypeError, ValueError):
            raise SpecError(f"on the row axis points are row numbers, got {value!r}") from None

    return locate


def duration(name: str, value: Any) -> Any:
    """``value`` ("1D", "90min") as a positive pandas Timedelta, or SpecError."""
    import pandas as pd

    try:
        delta = pd.Timedelta(value)
    except (TypeError, ValueError):
        raise SpecError(f"{name} must be a duration such as '1D' or '1h', got {value!r}") from None
    if delta <= pd.Timedelta(0):
        raise SpecError(f"{name} must be a positive duration, got {value!r}")
    return delta


def _time_axis(data: pd.DataFrame, column: str, per: Any) -> Axis:
    import pandas as pd

    values = time_values(data, column)
    if values.isna().any():
        raise DataValidationError(f"time column '{column}' has missing values")
    if not pd.api.types.is_datetime64_any_dtype(values):
        step = _number("per", per, "time")
        return Axis(
            "time", column, step, values.to_numpy(dtype=float) / step, values.to_numpy(),
            lambda v: float(v) / step,
        )  # fmt: skip
    delta = duration("per", "1D" if per is None else per)
    unit = delta.value  # nanoseconds
    stamps = pd.DatetimeIndex(values)
    ns = stamps.as_unit("ns").asi8.astype(float)

    def locate(value: Any) -> float:
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            raise SpecError(f"on the time axis points are times, got {value!r}") from None
        if (stamp.tzinfo is None) != (stamps.tz is None):
            raise SpecError(f"time {value!r} and column '{column}' differ in time zone")
        return stamp.as_unit("ns").value / unit

    return Axis("time", column, str(per or "1D"), ns / unit, stamps, locate)


def _block_axis(data: pd.DataFrame, column: str, step: float) -> Axis:
    import pandas as pd

    ids = column_of(data, column)
    if ids.isna().any():
        raise DataValidationError(f"block column '{column}' has missing block ids")
    order = natural_order(ids)
    rank = {block: i for i, block in enumerate(order)}
    text = as_text(ids)

    def locate(value: Any) -> float:
        key = as_text(pd.Series([value], dtype=object)).iloc[0]
        if key not in rank:
            raise SpecError(f"no block '{value}' in column '{column}'; it has {', '.join(order)}")
        return rank[key] / step

    positions = text.map(rank).to_numpy(dtype=float) / step
    return Axis("block", column, step, positions, text.to_numpy(), locate)
