"""Drawing the rows of a :class:`~calmops.data_generators.plan.StreamPlan`: each row from
its concept's own stream, gradual windows mixed at random, incremental windows blended, and
the wanted labels when balancing."""

from __future__ import annotations

import numpy as np

from calmops.data_generators.plan import StreamPlan
from calmops.data_generators.streams.base import Sample, StreamGenerator, params_of
from calmops.data_generators.streams.schedule import Rows
from calmops.errors import SpecError

__all__ = ["blend_windows", "draw_rows", "row_sources"]

_MARGIN_HINT = "sea, sine, hyperplane without mag_change, friedman without drift_type"


def row_sources(rows: Rows, mix: np.random.Generator) -> np.ndarray:
    """The concept each row is drawn from; inside a gradual window, old or new at random."""
    source = np.where(rows.incremental | (rows.weight < 1.0), rows.old, rows.new)
    mixed = np.flatnonzero(~rows.incremental & (rows.weight > 0.0) & (rows.weight < 1.0))
    draw = mix.random(mixed.size) < rows.weight[mixed]
    source[mixed] = np.where(draw, rows.new[mixed], rows.old[mixed])
    return source


def draw_rows(plan: StreamPlan, source: np.ndarray, wanted: np.ndarray | None, n: int) -> Sample:
    """Every row from its concept's own stream (with the wanted labels when balancing).

    Rows of an incremental window are drawn here from the old concept unless balancing,
    in which case :func:`blend_windows` draws them.
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


def blend_windows(plan: StreamPlan, data: Sample, wanted: np.ndarray | None) -> None:
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
