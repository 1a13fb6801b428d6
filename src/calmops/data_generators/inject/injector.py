"""``inject``: apply one operation to the selected rows of a table, with a profile, and
record it; ``inject_all`` composes several."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators._checks import Seed, as_rng, fresh_seed
from calmops.data_generators.inject.base import Applied, Operation
from calmops.data_generators.inject.profiles import StrengthProfile
from calmops.data_generators.inject.registry import OPERATIONS, PROFILES
from calmops.data_generators.inject.selectors import AllRows, Selector, column_of, time_values
from calmops.data_generators.record import DriftEvent, DriftRecord, Generated
from calmops.errors import DataValidationError, SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Injection", "inject", "inject_all", "profile_weights"]


def profile_weights(
    data: pd.DataFrame, mask: np.ndarray, profile: StrengthProfile, time_column: str | None = None
) -> np.ndarray:
    """The weight of every row: ``profile`` across the selected rows, 0 elsewhere.

    A selected row's position runs from 0 (first selected row) to 1 (last), by row order,
    or by time when ``time_column`` is given.
    """
    weight = np.zeros(len(data))
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return weight
    if time_column is None:
        position = rows.astype(float)
    else:
        import pandas as pd

        values = time_values(data, time_column).iloc[rows]
        if pd.api.types.is_datetime64_any_dtype(values):
            position = values.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(float)
        else:
            position = values.to_numpy(dtype=float)
    span = position.max() - position.min()
    x = (position - position.min()) / span if span > 0 else np.ones(rows.size)
    weight[rows] = profile.weights(x)
    return weight


def _columns(data: pd.DataFrame, operation: str, op: Operation, columns: Any, target: str):
    if isinstance(columns, str):
        columns = [c.strip() for c in columns.split(",") if c.strip()]
    if not columns:
        if op.columns in ("target", "output"):
            columns = [target]
        elif op.columns == "none":
            columns = []
        else:
            raise SpecError(f"operation '{operation}' needs columns=[...] to act on")
    for c in columns if op.columns != "output" else ():  # an output column may be new
        column_of(data, c)
    if op.columns in ("target", "output") and len(columns) != 1:
        raise SpecError(f"operation '{operation}' acts on one target column, got {columns}")
    return list(columns)


def _internal(op: Operation, time_column: str | None, block_column: str | None) -> dict:
    """The parameters the injector fills in for the operations that take them."""
    given = {
        # operations that move whole rows leave the time column where it is
        "keep": (time_column,) if time_column else (),
        "time_column": time_column,
        "block_column": block_column,
    }
    return {name: value for name, value in given.items() if op.accepts(name)}


def inject(
    data: pd.DataFrame,
    operation: str,
    *,
    columns: str | Sequence[str] | None = None,
    selector: Selector | None = None,
    profile: str | StrengthProfile = "step",
    direction: str = "up",
    seed: Seed = None,
    time_column: str | None = None,
    block_column: str | None = None,
    target: str = "target",
    record: DriftRecord | None = None,
    **params: Any,
) -> Generated:
    """Apply ``operation`` to ``columns`` of the rows ``selector`` picks, shaped by ``profile``.

    Parameters
    ----------
    data
        Any DataFrame; it is not modified (the result is a new frame).
    operation
        A name in ``OPERATIONS`` (``shift``, ``label_flip``, ``missing``, ...).
    columns
        The columns to change (a list, or "a,b"); label and concept operations default to
        ``target``.
    selector
        Which rows (:class:`RowRange`, :class:`TimeRange`, :class:`BlockSet`,
        :class:`Where`, combined with ``&``, ``|``, ``~``); all rows when None.
    profile, direction
        How the strength evolves across the selected rows (a name in ``PROFILES`` or a
        :class:`StrengthProfile`); "down" fades the change out instead of in.
    seed
        An int or a numpy Generator; the same seed gives the same table, bit for bit. When
        None a fresh seed is drawn and kept in the event's ``params["seed"]``.
    time_column
        Place the profile by time and report onset/end times in the record; the axis of
        the dynamics operations (``trend``, ``seasonality``...).
    block_column
        The block id column: the axis of the dynamics operations when there is no
        ``time_column`` (blocks in natural order, ``b2`` before ``b10``).
    record
        The record of ``data`` to extend (from a generator or an earlier injection).
    **params
        The operation's own parameters (see ``calmops generate list``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from calmops.data_generators import RowRange
    >>> df = pd.DataFrame({"x": np.arange(10.0)})
    >>> out, rec = inject(df, "shift", columns="x", selector=RowRange(5, 10), magnitude=100,
    ...                   unit="absolute", profile="linear", seed=0)
    >>> out.x.tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 31.0, 57.0, 83.0, 109.0]
    >>> rec.events[0].onset_row, rec.events[0].end_row, rec.events[0].last_row
    (6, 9, 9)
    """
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise SpecError(f"inject needs a pandas DataFrame, got {type(data).__name__}")
    op = OPERATIONS.get(operation)
    cols = _columns(data, operation, op, columns, target)
    if isinstance(profile, str):
        profile = PROFILES.get(profile)(direction=direction)
    selector = selector if selector is not None else AllRows()
    if record is not None and record.n_rows != len(data):
        raise DataValidationError(
            f"the record describes {record.n_rows} rows but the table has {len(data)}"
        )
    weight = profile_weights(data, _selected(data, selector), profile, time_column)
    extra = _internal(op, time_column, block_column)
    _check_params(operation, op, params)
    seed = fresh_seed(seed)  # recorded in the event, so the injection can be replayed
    applied = op.apply(data.copy(), weight, cols, as_rng(seed), **extra, **params)
    times = _event_times(applied.data, time_column)
    event = _event(operation, op, applied, weight, times, selector, profile, seed)
    if record is None:
        record = _blank_record(data)
    return Generated(applied.data, record.with_event(event, applied.index, times))


def _selected(data: pd.DataFrame, selector: Selector) -> np.ndarray:
    """The rows ``selector`` picks, as a mask; picking none is an error."""
    mask = selector.mask(data)
    if not mask.any():
        raise SpecError(
            f"the selection matches none of the {len(data)} rows: {selector.describe()}"
        )
    return mask


def _check_params(operation: str, op: Operation, params: dict[str, Any]) -> None:
    """Every parameter given is one the operation takes."""
    allowed = op.parameters
    unknown = [k for k in params if k not in allowed]
    if unknown:
        raise SpecError(
            f"'{operation}' has no parameter '{unknown[0]}'; "
            f"it takes {', '.join(allowed) or 'no parameters'}"
        )


def _event_times(out: pd.DataFrame, time_column: str | None):
    """The times of the changed table's rows for the record (None without a time column)."""
    import pandas as pd

    if time_column is None or time_column not in out.columns:
        return None
    values = time_values(out, time_column)
    is_time = pd.api.types.is_datetime64_any_dtype(values)
    return pd.DatetimeIndex(values) if is_time else values.to_numpy()


def _event(
    operation: str,
    op: Operation,
    applied: Applied,
    weight: np.ndarray,
    times,
    selector: Selector,
    profile: StrengthProfile,
    seed: Seed,
) -> DriftEvent:
    """The ground truth of one injection: what changed, where, how strongly, how to replay."""
    event_weight = applied.weight if applied.weight is not None else weight
    if applied.index is not None and applied.weight is None:
        event_weight = weight[applied.index]
    return DriftEvent.from_weight(
        op.kind,
        operation,
        applied.columns,
        event_weight,
        {
            **applied.params,
            "selector": selector.describe(),
            "profile": profile.name,
            "direction": profile.direction,
            "seed": seed if isinstance(seed, int) else None,
        },
        times,
    )


def _blank_record(data: pd.DataFrame) -> DriftRecord:
    """The record of a table nothing was injected into yet."""
    return DriftRecord(
        n_rows=len(data),
        events=(),
        weight=np.zeros(len(data)),
        concept=np.full(len(data), -1),
        source={"table": {"rows": len(data), "columns": [str(c) for c in data.columns]}},
    )


@dataclass(frozen=True)
class Injection:
    """One step of :func:`inject_all`: the arguments of :func:`inject` minus data and seed."""

    operation: str
    columns: str | tuple[str, ...] | None = None
    selector: Selector | None = None
    profile: str | StrengthProfile = "step"
    direction: str = "up"
    params: dict[str, Any] = field(default_factory=dict)


def inject_all(
    data: pd.DataFrame,
    steps: Sequence[Injection],
    *,
    seed: Seed = None,
    time_column: str | None = None,
    block_column: str | None = None,
    target: str = "target",
    record: DriftRecord | None = None,
) -> Generated:
    """Apply ``steps`` one after the other; the record lists one event per step.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "target": [0, 1, 0, 1]})
    >>> out, rec = inject_all(df, [Injection("shift", "x", params={"magnitude": 1}),
    ...                            Injection("label_flip", params={"rate": 1.0})], seed=3)
    >>> [e.operation for e in rec.events], out.target.tolist()
    (['shift', 'label_flip'], [1, 0, 1, 0])
    """
    if not steps:
        raise SpecError("inject_all needs at least one Injection")
    rng = as_rng(seed)
    seeds = rng.bit_generator.seed_seq.spawn(len(steps))
    for step, seq in zip(steps, seeds, strict=True):
        data, record = inject(
            data,
            step.operation,
            columns=step.columns,
            selector=step.selector,
            profile=step.profile,
            direction=step.direction,
            seed=np.random.default_rng(seq),
            time_column=time_column,
            block_column=block_column,
            target=target,
            record=record,
            **step.params,
        )
    return Generated(data, record)
