"""The generated streams of the detection benchmark, each with its true change points.

A stream is ``batches x batch_size`` rows cut into equal batches. Every change starts at a
batch boundary, so its ground truth is a :class:`Change` in batches: the first batch holding
rows of the new concept (``onset``) and the last batch of the transition (``end``; the same
batch for an abrupt change, later for gradual and incremental ones). With ``B`` batches the
change sits at batch ``B // 2`` (recurring: away at ``B // 2 - B // 5``, back ``2 * (B // 5)``
batches later), so the first half of every stream is stationary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calmops.data_generators import (
    SEA,
    RowRange,
    abrupt,
    generate_stream,
    gradual,
    incremental,
    inject,
    recurrent,
)

__all__ = ["DEFAULT", "QUICK", "STREAMS", "Change", "StreamData", "make_stream", "stream_names"]

TARGET = "target"


@dataclass(frozen=True)
class Change:
    """A true change: first batch with the new concept, last batch of its transition."""

    onset: int
    end: int


@dataclass(frozen=True)
class StreamData:
    """A stream's rows, cut into batches, and its true changes (none for a stationary one)."""

    name: str
    drift: str
    batches: tuple[pd.DataFrame, ...]
    changes: tuple[Change, ...]


Builder = Callable[[int, int, int], tuple[pd.DataFrame, tuple[Change, ...]]]


def _weights(seed: int, which: int, n: int = 10) -> tuple[float, ...]:
    return tuple(np.random.default_rng([seed, which]).random(n).tolist())


def _middle(batches: int) -> int:
    return batches // 2


def _abrupt(generator: str, params: dict, to: dict | None) -> Builder:
    def build(seed: int, batches: int, size: int):
        c = _middle(batches)
        frame = generate_stream(
            generator, batches * size, seed=seed, params=params, schedule=abrupt(c * size, to)
        ).data
        return frame, (Change(c, c),)

    return build


def _gradual(generator: str, params: dict, to: dict | None, width: int = 2) -> Builder:
    def build(seed: int, batches: int, size: int):
        c = _middle(batches)
        schedule = gradual(c * size + width * size // 2, width * size, to)
        frame = generate_stream(
            generator, batches * size, seed=seed, params=params, schedule=schedule
        ).data
        return frame, (Change(c, c + width - 1),)

    return build


def _hyperplane_abrupt(seed: int, batches: int, size: int):
    c = _middle(batches)
    frame = generate_stream(
        "hyperplane",
        batches * size,
        seed=seed,
        params={"weights": _weights(seed, 0)},
        schedule=abrupt(c * size, {"weights": _weights(seed, 1)}),
    ).data
    return frame, (Change(c, c),)


def _hyperplane_incremental(seed: int, batches: int, size: int, width: int = 4):
    c = _middle(batches)
    schedule = incremental(
        c * size + width * size // 2, width * size, {"weights": _weights(seed, 1)}
    )
    frame = generate_stream(
        "hyperplane",
        batches * size,
        seed=seed,
        params={"weights": _weights(seed, 0)},
        schedule=schedule,
    ).data
    return frame, (Change(c, c + width - 1),)


def _recurring(generator: str, params: dict, to: dict | None) -> Builder:
    def build(seed: int, batches: int, size: int):
        away = max(1, batches // 5)
        start = _middle(batches) - away
        schedule = recurrent(start * size, 2 * away * size, to)
        frame = generate_stream(
            generator, batches * size, seed=seed, params=params, schedule=schedule
        ).data
        return frame, (Change(start, start), Change(start + 2 * away, start + 2 * away))

    return build


def _covariate(seed: int, batches: int, size: int, magnitude: float = -5.0):
    """SEA rows; from the middle on, x0 moves by ``magnitude`` (injected, so half of it
    leaves the range the model saw) and the labels follow the same concept (x0 + x1 <= 8)
    with the same 5% noise: P(X) changes, P(y | X) does not."""
    c = _middle(batches)
    frame = generate_stream("sea", batches * size, seed=seed, params={"noise": 0.0}).data
    frame = inject(
        frame,
        "shift",
        columns=["x0"],
        selector=RowRange(c * size),
        seed=seed,
        magnitude=magnitude,
        unit="absolute",
    ).data
    concept = SEA(variant=0)
    labels = concept.label({col: frame[col].to_numpy() for col in concept.columns})
    flip = np.random.default_rng([seed, 2]).random(len(frame)) < 0.05
    frame[TARGET] = np.where(flip, 1 - labels, labels)
    return frame, (Change(c, c),)


def _stationary(generator: str, params: dict) -> Builder:
    def build(seed: int, batches: int, size: int):
        return generate_stream(generator, batches * size, seed=seed, params=params).data, ()

    return build


_LED = {"noise_percentage": 0.1, "irrelevant_features": True}

#: name -> (kind of drift, builder). ``to=None`` is the generator's natural next concept.
STREAMS: dict[str, tuple[str, Builder]] = {
    "sea-abrupt": ("abrupt", _abrupt("sea", {"noise": 0.05}, {"variant": 3})),
    "agrawal-abrupt": ("abrupt", _abrupt("agrawal", {}, None)),
    "hyperplane-abrupt": ("abrupt", _hyperplane_abrupt),
    "stagger-abrupt": ("abrupt", _abrupt("stagger", {}, None)),
    "rbf-abrupt": ("abrupt", _abrupt("random_rbf", {"seed_model": 11}, {"seed_model": 12})),
    "led-abrupt": ("abrupt", _abrupt("led", _LED, None)),
    "sea-gradual": ("gradual", _gradual("sea", {"noise": 0.05}, {"variant": 3})),
    "agrawal-gradual": ("gradual", _gradual("agrawal", {}, None)),
    "hyperplane-incremental": ("incremental", _hyperplane_incremental),
    "stagger-recurring": ("recurring", _recurring("stagger", {}, None)),
    "sea-covariate": ("covariate", _covariate),
    "sea-none": ("none", _stationary("sea", {"noise": 0.05})),
    "agrawal-none": ("none", _stationary("agrawal", {})),
    "hyperplane-none": ("none", _stationary("hyperplane", {})),
}

#: the default suite (``--streams all`` adds the rest)
DEFAULT = tuple(s for s in STREAMS if s not in ("sea-gradual", "hyperplane-none"))

#: what ``--quick`` runs
QUICK = ("agrawal-abrupt", "sea-none")


def stream_names() -> list[str]:
    """Every stream of the suite, in the order of the tables."""
    return list(STREAMS)


def make_stream(name: str, seed: int, batches: int, batch_size: int) -> StreamData:
    """Stream ``name`` for ``seed``, cut into ``batches`` batches of ``batch_size`` rows."""
    if name not in STREAMS:
        raise ValueError(f"no stream {name!r}; choose from {', '.join(STREAMS)}")
    if batches < 10:
        raise ValueError(f"at least 10 batches are needed (got {batches})")
    drift, build = STREAMS[name]
    frame, changes = build(seed, batches, batch_size)
    frame = frame.reset_index(drop=True)
    parts = tuple(
        frame.iloc[i * batch_size : (i + 1) * batch_size].reset_index(drop=True)
        for i in range(batches)
    )
    return StreamData(name, drift, parts, changes)
