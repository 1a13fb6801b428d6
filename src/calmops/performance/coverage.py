"""Is a batch's score inside the range the held-out rows covered?

An estimator learned its map (calibration, loss model) on the held-out rows; where they
barely go, the map is a guess. The held-out scores (a classifier's highest probability, a
regressor's prediction) are cut into 20 equal-count bins, plus the two open bins beyond
their 0.5% and 99.5% quantiles; a bin is *barely covered* when it holds fewer than 1% of
the held-out rows (the open bins hold 0.5% each by construction, so they always are). A value
that itself holds at least 1% of the held-out rows (a point mass: a tree's probability of
exactly 1, a capped prediction) is covered wherever it falls. The
check reports the share of a batch's rows that fall into barely covered bins; beyond
:data:`MAX_UNCOVERED` the estimate is flagged untrusted.

>>> cover = ScoreCoverage.fit(np.linspace(0, 1, 1000))
>>> cover.uncovered_share(np.array([0.2, 0.5, 0.9])), cover.uncovered_share(np.array([3.0]))
(0.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MAX_UNCOVERED", "ScoreCoverage"]

MAX_UNCOVERED = 0.10
_BINS = 20
_TAIL = 0.005
_MIN_SHARE = 0.01


@dataclass(frozen=True)
class ScoreCoverage:
    """Bin edges of the held-out scores and which bins they barely cover."""

    edges: tuple[float, ...]
    barely: tuple[bool, ...]  # one per bin: (-inf, e0), [e0, e1), ..., [e_last, inf)
    atoms: tuple[float, ...] = ()  # values holding at least 1% of the held-out rows each

    @classmethod
    def fit(cls, scores: np.ndarray) -> ScoreCoverage:
        scores = np.asarray(scores, dtype=float)
        scores = scores[np.isfinite(scores)]
        if not len(scores):
            return cls((), (True,))
        inner = np.quantile(scores, np.linspace(_TAIL, 1 - _TAIL, _BINS + 1))
        edges = np.unique(inner)
        counts = np.bincount(np.searchsorted(edges, scores, side="right"), minlength=len(edges) + 1)
        barely = counts < _MIN_SHARE * len(scores)
        barely[0] = barely[-1] = True
        values, repeats = np.unique(scores, return_counts=True)
        atoms = values[repeats >= _MIN_SHARE * len(scores)]
        return cls(
            tuple(float(e) for e in edges),
            tuple(bool(b) for b in barely),
            tuple(float(a) for a in atoms),
        )

    def uncovered_share(self, scores: np.ndarray) -> float:
        """Share of ``scores`` in bins the held-out rows barely cover (NaN counts as one)."""
        scores = np.asarray(scores, dtype=float)
        if not len(scores):
            return 0.0
        bins = np.searchsorted(np.asarray(self.edges), scores, side="right")
        barely = np.asarray(self.barely)[bins] | ~np.isfinite(scores)
        # the top edge itself (a probability of exactly 1) belongs to the last inner bin
        if self.edges:
            barely &= ~(scores == self.edges[-1]) | np.asarray(self.barely)[len(self.edges) - 1]
        if self.atoms:
            barely &= ~np.isin(scores, np.asarray(self.atoms))
        return float(barely.mean())

    def caveat(self, scores: np.ndarray, what: str) -> str | None:
        """A sentence when too many ``scores`` are out of the held-out range, else None."""
        share = self.uncovered_share(scores)
        if share <= MAX_UNCOVERED:
            return None
        return (
            f"{share:.0%} of the batch has a {what} the held-out rows barely cover "
            f"(more than {MAX_UNCOVERED:.0%}): covariate shift beyond the calibration's range"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"edges": list(self.edges), "barely": list(self.barely), "atoms": list(self.atoms)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreCoverage:
        atoms = tuple(map(float, data.get("atoms", ())))  # versions saved before atoms: none
        return cls(tuple(map(float, data["edges"])), tuple(map(bool, data["barely"])), atoms)
