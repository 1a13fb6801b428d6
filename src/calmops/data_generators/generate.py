"""``generate_stream``: a drifting synthetic stream as a DataFrame, with its ground truth."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators._checks import Seed, check_count, check_probability, fresh_seed
from calmops.data_generators.draw import blend_windows, draw_rows, row_sources
from calmops.data_generators.plan import StreamPlan, classes_of, make_generator, plan_stream
from calmops.data_generators.record import DriftEvent, DriftRecord, Generated
from calmops.data_generators.streams.base import Sample, StreamGenerator, params_of
from calmops.data_generators.streams.options import Blocks, Timestamps, class_plan, flip_labels
from calmops.data_generators.streams.schedule import ConceptSchedule
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["generate_stream", "make_generator"]


def _check_columns(
    base: StreamGenerator,
    target: str,
    extra: list[str],
    balance: Any,
    label_noise: float,
) -> None:
    """Every column name is used once; balance and label noise need classes."""
    columns = tuple(base.columns)
    for name in (target, *extra):
        if name in columns or (extra + [target]).count(name) > 1:
            raise SpecError(f"column name '{name}' is used twice; choose another name")
    if (balance or label_noise) and base.task == "regression":
        raise SpecError("balance and label_noise apply to classification streams only")


def _table(
    data: Sample,
    labels: np.ndarray,
    target: str,
    times: np.ndarray | None,
    timestamps: Timestamps | None,
    blocks: Blocks | None,
) -> pd.DataFrame:
    """The rows as a DataFrame: time and block columns first, then features, then target."""
    import pandas as pd

    frame: dict[str, Any] = {}
    if timestamps is not None:
        frame[timestamps.column] = times
    if blocks is not None:
        frame[blocks.column] = blocks.values(len(labels))
    frame.update(data.features)
    frame[target] = labels
    return pd.DataFrame(frame, copy=False)


def generate_stream(
    generator: str | StreamGenerator,
    n: int,
    *,
    seed: Seed = None,
    params: dict[str, Any] | None = None,
    schedule: ConceptSchedule | None = None,
    target: str = "target",
    balance: bool | dict[Any, float] | None = None,
    label_noise: float = 0.0,
    timestamps: Timestamps | None = None,
    blocks: Blocks | None = None,
) -> Generated:
    """``n`` rows of a synthetic stream whose concepts follow ``schedule``.

    Parameters
    ----------
    generator
        A registered name (see ``GENERATORS``) or a generator instance.
    n
        Number of rows (>= 1).
    seed
        An int or a numpy Generator; the same seed gives the same table, bit for bit. When
        None a fresh seed is drawn and kept in ``record.source["seed"]``.
    params
        Parameters of the base concept (river's names, e.g. ``variant`` for SEA).
    schedule
        The concepts over time (:func:`abrupt`, :func:`gradual`, ...); none: no drift.
    target
        Name of the label column.
    balance
        True for equal classes, or ``{class: proportion}``; achieved exactly.
    label_noise
        Fraction of labels changed to another class at random (exactly that many rows;
        applied after balancing, so it moves the class shares by up to that fraction).
    timestamps, blocks
        Add a time column and/or a block column (first in the table).

    Examples
    --------
    >>> from calmops.data_generators import abrupt
    >>> data, record = generate_stream("sea", 6, seed=0, schedule=abrupt(3, to={"variant": 2}))
    >>> list(data.columns), record.concept.tolist()
    (['x0', 'x1', 'x2', 'target'], [0, 0, 0, 1, 1, 1])
    """
    n = check_count("n", n, minimum=1)
    label_noise = check_probability("label_noise", label_noise)
    base = make_generator(generator, **(params or {}))
    schedule = schedule if schedule is not None else ConceptSchedule()
    seed = fresh_seed(seed)  # recorded, so even an unseeded stream can be replayed
    plan = plan_stream(base, schedule, n, seed)
    extra = [o.column for o in (timestamps, blocks) if o is not None]
    _check_columns(plan.base, target, extra, balance, label_noise)

    source, data, labels = _draw_stream(plan, n, balance, label_noise)
    times = timestamps.values(n) if timestamps is not None else None
    table = _table(data, labels, target, times, timestamps, blocks)
    record = _record(plan, source, n, target, times)
    source_info = _source_info(plan, n, seed, target, balance, label_noise, timestamps, blocks)
    return Generated(table, dataclasses.replace(record, source=source_info))


def _draw_stream(
    plan: StreamPlan, n: int, balance: Any, label_noise: float
) -> tuple[np.ndarray, Sample, np.ndarray]:
    """Each row's concept, the rows, and their labels (after label noise).

    The mixing stream draws, in this order: gradual choices, class plan, label noise.
    """
    mix = np.random.default_rng(plan.mixing_seed())
    source = row_sources(plan.rows, mix)
    wanted = class_plan(balance, classes_of(plan.base), n, mix) if balance else None
    data = draw_rows(plan, source, wanted, n)
    blend_windows(plan, data, wanted)
    labels = data.target
    if label_noise:
        labels = flip_labels(labels, label_noise, classes_of(plan.base), mix)
    return source, data, labels


def _source_info(
    plan: StreamPlan,
    n: int,
    seed: Seed,
    target: str,
    balance: Any,
    label_noise: float,
    timestamps: Timestamps | None,
    blocks: Blocks | None,
) -> dict[str, Any]:
    """How to make this stream again: ``record.source``."""
    return {
        "generator": plan.base.name,
        "params": params_of(plan.base),
        "n": n,
        "seed": seed if isinstance(seed, int) else None,
        "target": target,
        "balance": balance,
        "label_noise": label_noise,
        "timestamps": dataclasses.asdict(timestamps) if timestamps else None,
        "blocks": dataclasses.asdict(blocks) if blocks else None,
    }


def _record(
    plan: StreamPlan, source: np.ndarray, n: int, target: str, times: np.ndarray | None
) -> DriftRecord:
    """The ground truth: one event per transition, and each row's concept and weight."""
    rows = plan.rows
    time_values = None if times is None else pd_timestamps(times)
    events = []
    for number, transition in enumerate(plan.schedule.transitions):
        weight = np.where(rows.transition == number, rows.weight, 0.0)
        start, end = transition.window
        where = {
            "from_concept": int(rows.old[start]) if start < n else 0,
            "to_concept": transition.to,
            "position": transition.position,
            "width": transition.width,
            "window": [start, end],
        }
        events.append(
            DriftEvent.from_weight(
                "concept", transition.kind, (target,), weight, where, time_values
            )
        )
    changed = (rows.old != 0) * (1.0 - rows.weight) + (rows.new != 0) * rows.weight
    concept = np.where(rows.incremental, np.where(rows.weight >= 0.5, rows.new, rows.old), source)
    return DriftRecord(
        n_rows=n,
        events=tuple(events),
        weight=changed,
        concept=concept,
        concepts=tuple(params_of(c) for c in plan.concepts),
    )


def pd_timestamps(values: np.ndarray) -> pd.DatetimeIndex:
    """``datetime64`` values as pandas Timestamps (for ISO strings in the record)."""
    import pandas as pd

    return pd.DatetimeIndex(values)
