"""``generate_stream``: a drifting synthetic stream as a DataFrame, with its ground truth."""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators._checks import (
    Seed,
    as_rng,
    check_count,
    check_probability,
    fresh_seed,
)
from calmops.data_generators.record import DriftEvent, DriftRecord, Generated
from calmops.data_generators.registry import GENERATORS
from calmops.data_generators.streams.base import Sample, StreamGenerator, params_of
from calmops.data_generators.streams.options import Blocks, Timestamps, class_plan, flip_labels
from calmops.data_generators.streams.schedule import ConceptSchedule, Rows
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["generate_stream", "make_generator"]

_MARGIN_HINT = "sea, sine, hyperplane without mag_change, friedman without drift_type"


def make_generator(generator: str | StreamGenerator, **params: Any) -> StreamGenerator:
    """A generator from its registered name and parameters (or a given one, updated).

    Examples
    --------
    >>> make_generator("sea", variant=2)
    SEA(variant=2, noise=0.0)
    >>> make_generator("sea", threshold=3)
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: sea has no parameter 'threshold'; its parameters are variant, noise
    """
    if isinstance(generator, str):
        cls, base = GENERATORS.get(generator), {}
    else:
        cls, base = type(generator), params_of(generator)
    allowed = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in params if k not in allowed]
    if unknown:
        raise SpecError(
            f"{cls.name} has no parameter '{unknown[0]}'; its parameters are {', '.join(allowed)}"
        )
    return cls(**{**base, **params})


def _classes(generator: StreamGenerator) -> np.ndarray:
    return np.arange(2 if generator.task == "binary" else generator.n_classes)


def _concepts(base: StreamGenerator, schedule: ConceptSchedule) -> list[StreamGenerator]:
    concepts = [base]
    for overrides in schedule.concepts[1:]:
        if overrides is None:
            if not hasattr(base, "next_concept"):
                raise SpecError(
                    f"{base.name} has no natural drifted concept; "
                    "give the new concept's parameters (to=... / --to-params)"
                )
            overrides = base.next_concept()
        concepts.append(make_generator(base, **overrides))
    for c in concepts[1:]:
        if tuple(c.columns) != tuple(base.columns):
            raise SpecError(
                f"every concept must have the same columns; {params_of(c)} gives "
                f"{list(c.columns)} instead of {list(base.columns)}"
            )
    return concepts


def _draw_labelled(
    generator: StreamGenerator, wanted: np.ndarray, seed: np.random.SeedSequence
) -> Sample:
    """Rows of one concept's stream whose labels are ``wanted``, in stream order per class.

    The stream is redrawn from the same seed with a larger pool until every class has
    enough rows, so the concept's model (weights, centroids, tree) stays the same.
    """
    classes, need = np.unique(wanted, return_counts=True)
    size = min(2 * len(wanted) + 100, 20_000)  # a pilot first, to size the pool
    while True:
        pool = generator.sample(size, np.random.default_rng(seed))
        have = np.array([np.count_nonzero(pool.target == c) for c in classes])
        if (have >= need).all():
            order = np.empty(len(wanted), dtype=np.int64)
            for c, k in zip(classes, need, strict=True):
                order[wanted == c] = np.flatnonzero(pool.target == c)[:k]
            return pool.take(order)
        rate = np.maximum(have, 1) / size
        size = max(2 * size, int(1.05 * (need / rate).max()) + 1000)
        if size > 50 * len(wanted) + 100_000:
            break
    short = classes[np.argmax(need / np.maximum(have, 1))]
    raise SpecError(
        f"balance: {generator.name} ({params_of(generator)}) produces class {short} too rarely "
        f"for {need.max()} such rows"
    )


def _blend(
    old: StreamGenerator, new: StreamGenerator, sample: Sample, share: np.ndarray
) -> np.ndarray:
    """Labels of the blend ``(1 - share) * old + share * new``, keeping ``old``'s noise."""
    for concept in (old, new):
        if not hasattr(concept, "margin"):
            raise SpecError(
                f"incremental drift needs concepts with a decision value ({_MARGIN_HINT}); "
                f"{concept.name} has none: use a gradual transition"
            )
    margin_old = old.margin(sample.features)
    blended = (1 - share) * margin_old + share * new.margin(sample.features)
    if old.task == "regression":
        return blended + (sample.target - margin_old)
    noise = sample.target != old.label(sample.features)
    return (blended > 0).astype(np.int64) ^ noise


def _blend_balanced(
    old: StreamGenerator,
    new: StreamGenerator,
    share: np.ndarray,
    wanted: np.ndarray,
    seed: np.random.SeedSequence,
) -> Sample:
    """Incremental rows with the wanted labels, by rejection (redraws until all match)."""
    rng = np.random.default_rng(seed)
    features: dict[str, np.ndarray] = {}
    target = np.empty(len(wanted), dtype=np.int64)
    todo = np.arange(len(wanted))
    for _ in range(2000):
        sample = old.sample(todo.size, rng)
        labels = _blend(old, new, sample, share[todo])
        ok = labels == wanted[todo]
        for column, values in sample.features.items():
            kept = features.setdefault(column, np.empty(len(wanted), dtype=values.dtype))
            kept[todo[ok]] = values[ok]
        target[todo[ok]] = labels[ok]
        todo = todo[~ok]
        if todo.size == 0:
            return Sample(features, target)
    raise SpecError("balance: the incremental window almost never produces a wanted class")


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What a stream is made of: its concepts, the per-row schedule and the random seeds.

    ``seeds`` holds one SeedSequence per concept stream, then one for mixing (``mix``), one
    per transition window, and last one for the model the concepts share.
    """

    base: StreamGenerator
    concepts: list[StreamGenerator]
    schedule: ConceptSchedule
    n: int
    seeds: list[np.random.SeedSequence]

    @functools.cached_property
    def rows(self) -> Rows:
        """Each row's old and new concept and the weight of the new one."""
        return self.schedule.rows(self.n)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.base.columns)

    def mixing_seed(self) -> np.random.SeedSequence:
        return self.seeds[len(self.concepts)]

    def window_seed(self, transition: int) -> np.random.SeedSequence:
        return self.seeds[len(self.concepts) + 1 + transition]


def _plan(base: StreamGenerator, schedule: ConceptSchedule, n: int, seed: Seed) -> _Plan:
    """The concepts of ``schedule`` over ``base``, with the seeds every draw will use."""
    rng = as_rng(seed)
    n_seeds = len(schedule.concepts) + 2 + len(schedule.transitions)
    seeds = rng.bit_generator.seed_seq.spawn(n_seeds)
    if hasattr(base, "pin_model"):  # concepts share the model (weights, centroids, tree)
        base = base.pin_model(np.random.default_rng(seeds[-1]))
    return _Plan(base, _concepts(base, schedule), schedule, n, seeds)


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


def _sources(rows: Rows, mix: np.random.Generator) -> np.ndarray:
    """The concept each row is drawn from; inside a gradual window, old or new at random."""
    source = np.where(rows.incremental | (rows.weight < 1.0), rows.old, rows.new)
    mixed = np.flatnonzero(~rows.incremental & (rows.weight > 0.0) & (rows.weight < 1.0))
    draw = mix.random(mixed.size) < rows.weight[mixed]
    source[mixed] = np.where(draw, rows.new[mixed], rows.old[mixed])
    return source


def _draw(plan: _Plan, source: np.ndarray, wanted: np.ndarray | None, n: int) -> Sample:
    """Every row from its concept's own stream (with the wanted labels when balancing).

    Rows of an incremental window are drawn here from the old concept unless balancing,
    in which case :func:`_blend_windows` draws them.
    """
    rows = plan.rows
    parts: list[tuple[np.ndarray, Sample]] = []
    for k, concept in enumerate(plan.concepts):
        index = np.flatnonzero((source == k) & ~(rows.incremental & (wanted is not None)))
        if index.size:
            if wanted is None:
                sample = concept.sample(index.size, np.random.default_rng(plan.seeds[k]))
            else:
                sample = _draw_labelled(concept, wanted[index], plan.seeds[k])
            parts.append((index, sample))
    return _scatter(parts, n, plan.columns)


def _blend_windows(plan: _Plan, data: Sample, wanted: np.ndarray | None) -> None:
    """Relabel (or, when balancing, redraw) the rows of each incremental window in place."""
    rows = plan.rows
    for number, transition in enumerate(plan.schedule.transitions):
        index = np.flatnonzero(rows.incremental & (rows.transition == number))
        if not index.size:
            continue
        old, new = plan.concepts[rows.old[index[0]]], plan.concepts[transition.to]
        if wanted is None:
            data.target[index] = _blend(old, new, data.take(index), rows.weight[index])
            continue
        seed = plan.window_seed(number)
        sample = _blend_balanced(old, new, rows.weight[index], wanted[index], seed)
        for column in plan.columns:
            data.features[column][index] = sample.features[column]
        data.target[index] = sample.target


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
    plan = _plan(base, schedule, n, seed)
    extra = [o.column for o in (timestamps, blocks) if o is not None]
    _check_columns(plan.base, target, extra, balance, label_noise)

    # the mixing stream draws, in this order: gradual choices, class plan, label noise
    mix = np.random.default_rng(plan.mixing_seed())
    source = _sources(plan.rows, mix)
    wanted = class_plan(balance, _classes(plan.base), n, mix) if balance else None
    data = _draw(plan, source, wanted, n)
    _blend_windows(plan, data, wanted)
    labels = data.target
    if label_noise:
        labels = flip_labels(labels, label_noise, _classes(plan.base), mix)

    times = timestamps.values(n) if timestamps is not None else None
    table = _table(data, labels, target, times, timestamps, blocks)
    record = _record(plan, source, n, target, times)
    source_info = {
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
    return Generated(table, dataclasses.replace(record, source=source_info))


def _scatter(parts: list[tuple[np.ndarray, Sample]], n: int, columns: tuple[str, ...]) -> Sample:
    if len(parts) == 1 and parts[0][0].size == n:
        sample = parts[0][1]
        return Sample({c: sample.features[c] for c in columns}, sample.target)
    # contiguous runs of rows (abrupt drifts) are copied as slices, which is much faster
    where = [
        slice(idx[0], idx[-1] + 1) if idx[-1] - idx[0] + 1 == idx.size else idx for idx, _ in parts
    ]

    def gather(get) -> np.ndarray:
        out = np.empty(n, dtype=np.result_type(*[get(s).dtype for _, s in parts]))
        for place, (_, s) in zip(where, parts, strict=True):
            out[place] = get(s)
        return out

    features = {c: gather(lambda s, c=c: s.features[c]) for c in columns}
    return Sample(features, gather(lambda s: s.target))


def _record(
    plan: _Plan, source: np.ndarray, n: int, target: str, times: np.ndarray | None
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
