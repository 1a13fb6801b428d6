"""Scenario dynamics: features that evolve along time, blocks or row order.

Each operation adds a known function of the axis position to the chosen columns of the
selected rows (scaled by the profile weight, like every amount-changing operation): a linear
trend, a seasonal cycle, a Gaussian random walk, or level steps. The axis is the injector's
``time_column``, else its ``block_column`` (blocks in natural order), else row order, or
``axis=`` says which; positions are counted in ``per`` units (see
:mod:`calmops.data_generators.inject.axis`). The record keeps everything needed to rebuild
the change exactly: the parameters, the axis and the resolved origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators._checks import check_choice
from calmops.data_generators.inject.axis import Axis, axis_of
from calmops.data_generators.inject.base import Applied, numeric_values
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["level_steps", "random_walk", "seasonality", "trend"]


def _origin(axis: Axis, weight: np.ndarray, origin: Any) -> tuple[float, Any]:
    """The origin's position, and its label: ``origin`` if given, else the first place on
    the axis where the injection has weight (the selection's start under a step profile)."""
    if origin is not None:
        return axis.position_of(origin), origin
    rows = np.flatnonzero(weight > 0)
    first = rows[np.argmin(axis.positions[rows])]
    return float(axis.positions[first]), axis.label(int(first))


def _add(data: pd.DataFrame, columns: Sequence[str], weight: np.ndarray, delta: Any) -> None:
    """Add ``delta`` (one array, or one per column) times the weight to the selected rows."""
    for i, c in enumerate(columns):
        x = numeric_values(data, c)
        d = delta[i] if isinstance(delta, list) else delta
        data[c] = np.where(weight > 0, x + weight * d, x)  # untouched rows keep their bits


def trend(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    slope: float = 1.0,
    per: Any = None,
    origin: Any = None,
    axis: str | None = None,
    time_column: str | None = None,
    block_column: str | None = None,
) -> Applied:
    """Add a linear trend along the axis: ``slope`` times the distance from ``origin``.

    The distance is counted in ``per``: a duration on a datetime axis ("1D" by default,
    "1h"...), else a number of rows, blocks or time units (1 by default). ``origin``
    defaults to the first selected place on the axis, so the trend starts from zero where
    the selection starts.

    Examples
    --------
    >>> import pandas as pd
    >>> from calmops.data_generators.inject.injector import inject
    >>> df = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=4, freq="12h"),
    ...                    "x": [0.0, 0.0, 0.0, 0.0]})
    >>> out, record = inject(df, "trend", columns="x", slope=2.0, time_column="t", seed=0)
    >>> out.x.tolist()
    [0.0, 1.0, 2.0, 3.0]
    >>> record.events[0].params["origin"], record.events[0].params["per"]
    ('2024-01-01T00:00:00', '1D')
    """
    on = axis_of(data, time_column=time_column, block_column=block_column, axis=axis, per=per)
    start, label = _origin(on, weight, origin)
    _add(data, columns, weight, float(slope) * (on.positions - start))
    return Applied(data, tuple(columns), {"slope": slope, "origin": label, **on.describe()})


def seasonality(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    period: Any = None,
    amplitude: float = 1.0,
    phase: float = 0.0,
    mode: str = "additive",
    origin: Any = None,
    axis: str | None = None,
    time_column: str | None = None,
    block_column: str | None = None,
) -> Applied:
    """Add a seasonal cycle ``amplitude * sin(2 pi (t - origin) / period + phase)``.

    ``period`` is a duration on a datetime axis ("7D", "24h"), else a number of rows,
    blocks or time units; ``phase`` is in radians. ``mode="multiplicative"`` multiplies
    the values by ``1 + cycle`` instead of adding the cycle.

    Examples
    --------
    >>> import pandas as pd
    >>> from calmops.data_generators.inject.injector import inject
    >>> df = pd.DataFrame({"x": [10.0] * 5})
    >>> out, _ = inject(df, "seasonality", columns="x", period=4, amplitude=2.0, seed=0)
    >>> out.x.round(9).tolist()
    [10.0, 12.0, 10.0, 8.0, 10.0]
    """
    if period is None:
        raise SpecError("seasonality needs period= ('7D' on a time axis, else a number)")
    check_choice("mode", mode, ("additive", "multiplicative"))
    on = axis_of(data, time_column=time_column, block_column=block_column, axis=axis, per=period)
    start, label = _origin(on, weight, origin)
    cycle = float(amplitude) * np.sin(2.0 * np.pi * (on.positions - start) + float(phase))
    if mode == "additive":
        _add(data, columns, weight, cycle)
    else:
        _add(data, columns, weight, [numeric_values(data, c) * cycle for c in columns])
    params = {"amplitude": amplitude, "phase": phase, "mode": mode, "origin": label}
    return Applied(data, tuple(columns), {**params, "period": on.per, **on.describe()})


def random_walk(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    sd: float = 1.0,
    per: Any = None,
    axis: str | None = None,
    time_column: str | None = None,
    block_column: str | None = None,
) -> Applied:
    """Add a seeded Gaussian random walk along the axis, moving N(0, sd**2) per unit.

    The unit is ``per`` (as for ``trend``). The walk is zero at the first selected place
    on the axis and moves at every later distinct place by ``N(0, sd**2 * gap)``, ``gap``
    the distance in ``per`` units: one step per row on the row axis, one per block on the
    block axis, Brownian motion sampled at the rows' times on a time axis. Rows at the
    same place share the walk's value; each column gets its own walk.

    Examples
    --------
    >>> import pandas as pd
    >>> from calmops.data_generators.inject.injector import inject
    >>> df = pd.DataFrame({"block": ["b1", "b1", "b2", "b10"], "x": [0.0] * 4})
    >>> out, record = inject(df, "random_walk", columns="x", sd=1.0,
    ...                      block_column="block", seed=3)
    >>> out.x.round(3).tolist()
    [0.0, 0.0, 2.041, -0.515]
    >>> record.events[0].params["steps"]
    2
    """
    if not sd >= 0:
        raise SpecError(f"sd must be >= 0, got {sd}")
    on = axis_of(data, time_column=time_column, block_column=block_column, axis=axis, per=per)
    rows = np.flatnonzero(weight > 0)
    places, where = np.unique(on.positions[rows], return_inverse=True)
    gaps = np.diff(places)
    walks, ends = [], {}
    for c in columns:
        steps = rng.normal(0.0, 1.0, gaps.size) * float(sd) * np.sqrt(gaps)
        level = np.concatenate(([0.0], np.cumsum(steps)))
        walk = np.zeros(len(data))
        walk[rows] = level[where]
        walks.append(walk)
        ends[c] = float(level[-1])
    _add(data, columns, weight, walks)
    params = {"sd": sd, "steps": int(gaps.size), "end_level": ends, **on.describe()}
    return Applied(data, tuple(columns), params)


def _as_list(name: str, value: Any) -> list[Any]:
    if value is None:
        raise SpecError(f"level_steps needs {name}=[...]")
    return list(value) if isinstance(value, list | tuple | np.ndarray) else [value]


def level_steps(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    at: Any = None,
    sizes: Any = None,
    axis: str | None = None,
    time_column: str | None = None,
    block_column: str | None = None,
) -> Applied:
    """Shift the level from each point of ``at`` onwards by the matching ``sizes`` (cumulative).

    Points are times on a time axis, block ids on a block axis (a step at ``b3`` moves
    ``b3`` and every block after it in natural order), row numbers on the row axis.

    Examples
    --------
    >>> import pandas as pd
    >>> from calmops.data_generators.inject.injector import inject
    >>> df = pd.DataFrame({"x": [0.0] * 6})
    >>> out, _ = inject(df, "level_steps", columns="x", at=[2, 4], sizes=[5, -1], seed=0)
    >>> out.x.tolist()
    [0.0, 0.0, 5.0, 5.0, 4.0, 4.0]
    """
    points, amounts = _as_list("at", at), _as_list("sizes", sizes)
    if len(points) != len(amounts):
        raise SpecError(f"level_steps has {len(points)} points (at) but {len(amounts)} sizes")
    on = axis_of(data, time_column=time_column, block_column=block_column, axis=axis)
    delta = np.zeros(len(data))
    for point, size in zip(points, amounts, strict=True):
        delta += float(size) * (on.positions >= on.position_of(point))
    _add(data, columns, weight, delta)
    params = {"at": points, "sizes": amounts, "axis": on.kind, "axis_column": on.column}
    return Applied(data, tuple(columns), params)
