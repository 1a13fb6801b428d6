"""Hyperplane: a rotating hyperplane in [0, 1]^d, with incremental drift via ``mag_change``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_count, check_probability
from calmops.data_generators.streams.base import Sample
from calmops.errors import SpecError

__all__ = ["Hyperplane", "hyperplane_drift"]


def hyperplane_drift(
    rng: np.random.Generator, n: int, k: int, mag_change: float, sigma: float
) -> np.ndarray:
    """Offsets ``(k, n)`` of the first ``k`` weights at each row, as river moves them.

    After each row a drifting weight moves by ``mag_change`` in its direction, and the
    direction reverses with probability ``sigma - 0.01`` (river's ``0.01 + u <= sigma``).
    """
    flips = (0.01 + rng.random((k, n))) <= sigma
    parity = np.cumsum(flips, axis=1) - flips  # reversals before each step
    steps = mag_change * (1.0 - 2.0 * (parity & 1))
    return np.cumsum(steps, axis=1) - steps  # moves made before each row


@dataclass(frozen=True)
class Hyperplane:
    """Rotating-hyperplane concepts, as river's ``synth.Hyperplane``.

    Label 1 where ``sum(w_i x_i) >= 0.5 * sum(w_i)``; features are uniform in [0, 1).

    Parameters
    ----------
    n_features
        Number of features ``x0 .. x{d-1}``.
    n_drift_features
        How many of the first weights drift.
    mag_change
        How far a drifting weight moves after each row (incremental drift), in [0, 1].
    noise_percentage
        Label noise; a label flips with probability ``noise_percentage - 0.01`` (river's).
    sigma
        A drift direction reverses with probability ``sigma - 0.01`` after each row.
    weights
        The initial weights; when None, ``generate_stream`` draws them U(0, 1) from its seed
        (and records them), so all concepts of a stream share the hyperplane.

    Examples
    --------
    >>> import numpy as np
    >>> g = Hyperplane(n_features=2, weights=(1.0, 1.0), noise_percentage=0.0)
    >>> g.label({"x0": np.array([0.9, 0.1]), "x1": np.array([0.5, 0.2])}).tolist()
    [1, 0]

    References
    ----------
    Hulten, G., Spencer, L. and Domingos, P. "Mining time-changing data streams", KDD 2001.
    """

    n_features: int = 10
    n_drift_features: int = 2
    mag_change: float = 0.0
    noise_percentage: float = 0.05
    sigma: float = 0.1
    weights: tuple[float, ...] | None = None

    name: ClassVar[str] = "hyperplane"
    task: ClassVar[str] = "binary"

    def __post_init__(self) -> None:
        check_count("n_features", self.n_features, minimum=1)
        check_count("n_drift_features", self.n_drift_features)
        if self.n_drift_features > self.n_features:
            raise SpecError(
                f"n_drift_features ({self.n_drift_features}) must be <= "
                f"n_features ({self.n_features})"
            )
        for name in ("mag_change", "noise_percentage", "sigma"):
            check_probability(name, getattr(self, name))
        if self.weights is not None:
            if len(self.weights) != self.n_features:
                raise SpecError(f"weights must have n_features ({self.n_features}) values")
            object.__setattr__(self, "weights", tuple(float(w) for w in self.weights))

    @property
    def columns(self) -> tuple[str, ...]:
        """``x0 .. x{n_features-1}``."""
        return tuple(f"x{i}" for i in range(self.n_features))

    def margin(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """``w . x - 0.5 * sum(w)`` with the (fixed) weights; needs ``mag_change`` 0."""
        if self.weights is None:
            raise SpecError("hyperplane needs explicit weights for a margin or a label")
        if self.mag_change:
            raise SpecError(
                "a hyperplane with mag_change moves by itself and has no fixed decision value"
            )
        w = np.asarray(self.weights)
        return sum(wi * (features[c] - 0.5) for wi, c in zip(w, self.columns, strict=True))

    def label(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The noise-free label with the fixed weights (river's definition)."""
        return (self.margin(features) >= 0).astype(np.int64)

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows; drifting weights move after every row when ``mag_change`` > 0."""
        w = np.asarray(self.weights) if self.weights is not None else rng.random(self.n_features)
        x = rng.random((self.n_features, n))
        score = w @ x - 0.5 * w.sum()
        k = self.n_drift_features
        if self.mag_change and k:
            offsets = hyperplane_drift(rng, n, k, self.mag_change, self.sigma)
            score += np.einsum("kn,kn->n", offsets, x[:k] - 0.5)
        y = (score >= 0).astype(np.int64)
        if self.noise_percentage:
            y ^= (0.01 + rng.random(n)) <= self.noise_percentage
        return Sample({c: x[i] for i, c in enumerate(self.columns)}, y)

    def pin_model(self, rng: np.random.Generator) -> Hyperplane:
        """This concept with its initial weights drawn now (kept if already given)."""
        if self.weights is not None:
            return self
        return dataclasses.replace(self, weights=tuple(rng.random(self.n_features).tolist()))

    def next_concept(self) -> dict[str, float]:
        """The parameters of a natural drifted concept: drifting weights."""
        return {"mag_change": 0.001 if not self.mag_change else min(1.0, 2 * self.mag_change)}
