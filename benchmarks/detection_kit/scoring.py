"""Scoring retrains against true changes, and prequential accuracy.

A retrain at batch ``r`` detects change ``c`` when ``c.onset <= r <= c.end + tolerance``
(the change's window); the first such retrain gives the delay ``r - c.onset`` in batches.
Retrains inside some window are hits; retrains outside every window are false. Batches
``1 .. n-1`` outside every window are stationary (batch 0 trains the first model).

Detection F1 pools counts (it is computed from summed :class:`Detection` figures, so a run
with no true change adds only false retrains and stationary batches):
precision = hits / retrains, recall = detected / changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from detection_kit.streams import Change

__all__ = ["TOLERANCE", "Detection", "detect", "mean_or_none", "post_change_accuracy"]

TOLERANCE = 2


@dataclass(frozen=True)
class Detection:
    """Counts of one run (or a sum of runs)."""

    changes: int = 0
    detected: int = 0
    retrains: int = 0
    hits: int = 0
    false: int = 0
    stationary: int = 0
    delays: tuple[int, ...] = field(default_factory=tuple)

    def __add__(self, other: Detection) -> Detection:
        return Detection(
            self.changes + other.changes,
            self.detected + other.detected,
            self.retrains + other.retrains,
            self.hits + other.hits,
            self.false + other.false,
            self.stationary + other.stationary,
            self.delays + other.delays,
        )

    @property
    def precision(self) -> float | None:
        return self.hits / self.retrains if self.retrains else None

    @property
    def recall(self) -> float | None:
        return self.detected / self.changes if self.changes else None

    @property
    def f1(self) -> float | None:
        """None without true changes; 0 when changes were missed and nothing retrained."""
        if not self.changes:
            return None
        p, r = self.precision or 0.0, self.recall or 0.0
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def mean_delay(self) -> float | None:
        return float(np.mean(self.delays)) if self.delays else None

    @property
    def false_per_20(self) -> float | None:
        """False retrains per 20 stationary batches."""
        return 20 * self.false / self.stationary if self.stationary else None


def detect(
    retrains: Iterable[int], changes: Sequence[Change], n_batches: int, tolerance: int = TOLERANCE
) -> Detection:
    """Score the batches retrained on against the true changes of one run.

    >>> d = detect([3, 10, 11], [Change(10, 10)], 20)
    >>> d.detected, d.hits, d.false, d.delays, d.stationary
    (1, 2, 1, (0,), 16)
    >>> round(d.f1, 3), d.false_per_20
    (0.8, 1.25)
    """
    retrains = sorted(set(retrains))
    windows = [(c.onset, min(c.end + tolerance, n_batches - 1)) for c in changes]

    def inside(batch: int) -> bool:
        return any(lo <= batch <= hi for lo, hi in windows)

    delays = []
    for lo, hi in windows:
        found = [r for r in retrains if lo <= r <= hi]
        if found:
            delays.append(found[0] - lo)
    hits = sum(1 for r in retrains if inside(r))
    return Detection(
        changes=len(changes),
        detected=len(delays),
        retrains=len(retrains),
        hits=hits,
        false=len(retrains) - hits,
        stationary=sum(1 for b in range(1, n_batches) if not inside(b)),
        delays=tuple(delays),
    )


def post_change_accuracy(scores: Sequence[float | None], changes: Sequence[Change]) -> float | None:
    """Mean prequential score from the first change's onset on (from batch 1 without one).

    >>> post_change_accuracy([None, 0.9, 0.9, 0.5, 0.7], [Change(3, 3)])
    0.6
    """
    start = changes[0].onset if changes else 1
    return mean_or_none(scores[start:])


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None (None if there are none)."""
    kept = [v for v in values if v is not None and np.isfinite(v)]
    return float(np.mean(kept)) if kept else None
