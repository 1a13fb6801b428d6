"""RandomRBF: Gaussian-like clusters around random centroids, optionally moving."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_count
from calmops.data_generators.streams.base import Sample
from calmops.errors import SpecError

__all__ = ["RBFModel", "RandomRBF", "pick_centroid"]


def pick_centroid(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The centroid each uniform ``u`` in [0, 1) selects, as river's weighted pick.

    river walks the cumulative weights and stops at the first one above ``u * sum``.
    """
    cumulative = np.cumsum(weights)
    index = np.searchsorted(cumulative, u * cumulative[-1], side="right")
    return np.minimum(index, len(weights) - 1)


@dataclass(frozen=True, eq=False)
class RBFModel:
    """Centroids of a RandomRBF concept: centres, class labels, spreads, weights, speeds."""

    centres: np.ndarray  # (n_centroids, n_features)
    labels: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    speeds: np.ndarray  # (n_drift_centroids, n_features), unit vectors


def _reflect(p: np.ndarray) -> np.ndarray:
    """Fold positions into [0, 1] as a centroid bouncing off the walls."""
    p = np.mod(p, 2.0)
    return np.where(p > 1.0, 2.0 - p, p)


@dataclass(frozen=True)
class RandomRBF:
    """Random radial-basis-function concepts, as river's ``RandomRBF`` / ``RandomRBFDrift``.

    Each row picks a centroid with probability proportional to its weight, takes its class,
    and lies at a N(0, std) distance from it in a uniformly random direction. With
    ``change_speed`` > 0 the first ``n_drift_centroids`` centroids move by that much per row
    and bounce off the walls of [0, 1]^d (incremental drift).

    Parameters
    ----------
    n_classes, n_features, n_centroids
        Sizes of the model.
    change_speed
        Distance a moving centroid travels per row.
    n_drift_centroids
        How many centroids move (at most ``n_centroids``).
    seed_model
        Seed of the centroids; when None, ``generate_stream`` draws one from its seed (and
        records it), so all concepts of a stream share the centroids.

    Examples
    --------
    >>> import numpy as np
    >>> s = RandomRBF(n_features=2, seed_model=3).sample(4, np.random.default_rng(0))
    >>> sorted(s.features), s.target.tolist()
    (['x0', 'x1'], [0, 1, 1, 0])
    """

    n_classes: int = 2
    n_features: int = 10
    n_centroids: int = 50
    change_speed: float = 0.0
    n_drift_centroids: int = 50
    seed_model: int | None = None

    name: ClassVar[str] = "random_rbf"
    task: ClassVar[str] = "multiclass"

    def __post_init__(self) -> None:
        check_count("n_classes", self.n_classes, minimum=2)
        check_count("n_features", self.n_features, minimum=1)
        check_count("n_centroids", self.n_centroids, minimum=1)
        check_count("n_drift_centroids", self.n_drift_centroids)
        if self.n_drift_centroids > self.n_centroids:
            object.__setattr__(self, "n_drift_centroids", self.n_centroids)
        if not np.isfinite(self.change_speed) or self.change_speed < 0:
            raise SpecError(f"change_speed must be >= 0, got {self.change_speed}")

    @property
    def columns(self) -> tuple[str, ...]:
        """``x0 .. x{n_features-1}``."""
        return tuple(f"x{i}" for i in range(self.n_features))

    def model(self, rng: np.random.Generator) -> RBFModel:
        """The centroids (from ``seed_model`` when set, else from ``rng``)."""
        if self.seed_model is not None:
            rng = np.random.default_rng(self.seed_model)
        c, d = self.n_centroids, self.n_features
        speeds = rng.random((self.n_drift_centroids, d))
        speeds /= np.maximum(np.linalg.norm(speeds, axis=1, keepdims=True), 1e-12)
        return RBFModel(
            centres=rng.random((c, d)),
            labels=rng.integers(0, self.n_classes, c),
            std=rng.random(c),
            weights=rng.random(c),
            speeds=speeds,
        )

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows; moving centroids have moved ``t + 1`` steps at row ``t``."""
        m = self.model(rng)
        idx = pick_centroid(m.weights, rng.random(n))
        direction = rng.uniform(-1.0, 1.0, (n, self.n_features))
        norm = np.maximum(np.linalg.norm(direction, axis=1), 1e-12)
        scale = rng.standard_normal(n) * m.std[idx] / norm
        centre = m.centres[idx]
        if self.change_speed and self.n_drift_centroids:
            moving = np.flatnonzero(idx < self.n_drift_centroids)
            steps = (moving + 1.0)[:, None] * self.change_speed
            centre[moving] = _reflect(centre[moving] + steps * m.speeds[idx[moving]])
        x = centre + direction * scale[:, None]
        return Sample({c: x[:, i] for i, c in enumerate(self.columns)}, m.labels[idx])

    def pin_model(self, rng: np.random.Generator) -> RandomRBF:
        """This concept with its centroid seed drawn now (kept if already given)."""
        if self.seed_model is not None:
            return self
        return dataclasses.replace(self, seed_model=int(rng.integers(2**31)))

    def next_concept(self) -> dict[str, float]:
        """The parameters of a natural drifted concept: moving centroids."""
        return {"change_speed": 0.0001 if not self.change_speed else 2 * self.change_speed}
