"""Concept schedules: which concept each row follows, and how strongly, over time.

A schedule is a list of concepts (parameter overrides of the base generator; concept 0 is the
base) and of transitions between them, each at a ``position`` with a ``width``:

- **abrupt**: rows ``>= position`` follow the new concept.
- **gradual**: inside the window ``[position - width // 2, position - width // 2 + width)``
  each row follows the new concept with probability ``p``, a logistic curve rescaled to go
  from exactly 0 at the window start to exactly 1 at its end (``p = 0.5`` at ``position``);
  before the window every row follows the old concept, after it every row the new one. The
  curve is evaluated on a bounded argument, so nothing overflows however long the stream.
- **incremental**: in the same window the concept itself moves: the label is given by the
  blend ``(1 - a) * old + a * new`` of the two concepts' decision values, with ``a`` rising
  linearly from 0 to 1 (generators with a ``margin``: SEA, Sine, Hyperplane without
  ``mag_change``, Friedman without ``drift_type``). RandomRBF (``change_speed``) and
  Hyperplane (``mag_change``) also drift incrementally by themselves.
- **recurrent**: A -> B at ``position``, then B -> A ``duration`` rows later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import expit

from calmops.data_generators._checks import check_choice, check_count
from calmops.errors import SpecError

__all__ = [
    "ConceptSchedule",
    "Rows",
    "Transition",
    "abrupt",
    "gradual",
    "incremental",
    "recurrent",
]

KINDS = ("abrupt", "gradual", "incremental")
_STEEPNESS = 8.0  # logistic slope over the window: 8 units from start to end


def gradual_probability(x: np.ndarray) -> np.ndarray:
    """The rescaled logistic on ``x`` in [0, 1]: exactly 0 at 0, 0.5 at 0.5, 1 at 1.

    Examples
    --------
    >>> gradual_probability(np.array([0.0, 0.5, 1.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    half = _STEEPNESS / 2
    low, high = expit(-half), expit(half)
    x = np.clip(x, 0.0, 1.0)
    return np.clip((expit(_STEEPNESS * (x - 0.5)) - low) / (high - low), 0.0, 1.0)


@dataclass(frozen=True)
class Transition:
    """A change to concept ``to`` at row ``position`` over ``width`` rows."""

    kind: str
    position: int
    width: int = 0
    to: int = 1

    def __post_init__(self) -> None:
        check_choice("transition kind", self.kind, KINDS)
        check_count("position", self.position)
        check_count("width", self.width)
        check_count("to", self.to)
        if self.kind != "abrupt" and self.width == 0:
            raise SpecError(f"a {self.kind} transition needs a width > 0 (or use abrupt)")
        if self.kind == "abrupt" and self.width:
            raise SpecError("an abrupt transition has no width; use gradual or incremental")

    @property
    def window(self) -> tuple[int, int]:
        """Rows ``[start, end)`` where both concepts coexist (empty for an abrupt change)."""
        if self.kind == "abrupt":
            return self.position, self.position
        start = self.position - self.width // 2
        return start, start + self.width


@dataclass(frozen=True, eq=False)
class Rows:
    """Per-row view of a schedule: old and new concept, weight of the new one, transition."""

    old: np.ndarray
    new: np.ndarray
    weight: np.ndarray
    transition: np.ndarray  # index of the governing transition, -1 before the first
    incremental: np.ndarray  # True where the label is a blend


@dataclass(frozen=True)
class ConceptSchedule:
    """Concepts and the transitions between them (see the module docstring).

    ``concepts[k]`` holds the parameters that concept ``k`` changes in the base generator;
    ``None`` stands for the generator's natural drifted concept (``next_concept()``).

    Examples
    --------
    >>> s = recurrent(40, duration=20, to={"variant": 2})
    >>> r = s.rows(100)
    >>> r.new[[0, 39, 40, 59, 60, 99]].tolist(), r.weight[[39, 40, 60]].tolist()
    ([0, 0, 1, 1, 0, 0], [0.0, 1.0, 1.0])
    """

    concepts: tuple[dict[str, Any] | None, ...] = ({},)
    transitions: tuple[Transition, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concepts", tuple(self.concepts))
        object.__setattr__(
            self, "transitions", tuple(sorted(self.transitions, key=lambda t: t.position))
        )
        if not self.concepts or self.concepts[0]:
            raise SpecError("concepts[0] must be {}: it is the base generator and its params")
        for t in self.transitions:
            if t.to >= len(self.concepts):
                raise SpecError(
                    f"transition to concept {t.to}, but only {len(self.concepts)} concepts"
                )

    def rows(self, n: int) -> Rows:
        """The per-row concepts and weights for a stream of ``n`` rows."""
        old = np.zeros(n, dtype=np.int64)
        new = np.zeros(n, dtype=np.int64)
        weight = np.zeros(n)
        transition = np.full(n, -1, dtype=np.int64)
        incremental = np.zeros(n, dtype=bool)
        current, previous_end = 0, 0
        for j, t in enumerate(self.transitions):
            start, end = t.window
            if t.position >= n or end > n or start < 0:
                raise SpecError(
                    f"drift position {t.position} (window rows {start}..{end}) "
                    f"must lie inside the stream of {n} rows"
                )
            if start < previous_end:
                raise SpecError(
                    f"transition at {t.position} starts before the previous one ends "
                    f"(row {previous_end}); transitions must not overlap"
                )
            old[start:] = current
            new[start:] = t.to
            transition[start:] = j
            weight[start:] = 1.0
            incremental[start:] = False
            if end > start:
                x = (np.arange(start, end) + 0.5 - start) / (end - start)
                ramp = x if t.kind == "incremental" else gradual_probability(x)
                weight[start:end] = ramp
                incremental[start:end] = t.kind == "incremental"
            current, previous_end = t.to, end
        return Rows(old, new, weight, transition, incremental)


def _single(kind: str, position: int, width: int, to: dict[str, Any] | None) -> ConceptSchedule:
    return ConceptSchedule(({}, to), (Transition(kind, position, width, 1),))


def abrupt(position: int, to: dict[str, Any] | None = None) -> ConceptSchedule:
    """Switch to concept ``to`` (parameter overrides) at row ``position``."""
    return _single("abrupt", position, 0, to)


def gradual(position: int, width: int, to: dict[str, Any] | None = None) -> ConceptSchedule:
    """Mix in concept ``to`` with a rising probability over ``width`` rows around ``position``."""
    return _single("gradual", position, width, to)


def incremental(position: int, width: int, to: dict[str, Any] | None = None) -> ConceptSchedule:
    """Move the concept itself towards ``to`` over ``width`` rows around ``position``."""
    return _single("incremental", position, width, to)


def recurrent(
    position: int,
    duration: int,
    to: dict[str, Any] | None = None,
    *,
    width: int = 0,
    kind: str = "abrupt",
) -> ConceptSchedule:
    """A -> B at ``position`` and B -> A ``duration`` rows later (both of ``kind``/``width``)."""
    check_count("duration", duration, minimum=1)
    return ConceptSchedule(
        ({}, to),
        (Transition(kind, position, width, 1), Transition(kind, position + duration, width, 0)),
    )
