"""LED: the seven segments of a digit display, with noise and drifting attributes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_count, check_probability
from calmops.data_generators.streams.base import Sample
from calmops.errors import SpecError

__all__ = ["LED", "SEGMENTS", "led_attribute_order"]

SEGMENTS = np.array(
    [
        [1, 1, 1, 0, 1, 1, 1],
        [0, 0, 1, 0, 0, 1, 0],
        [1, 0, 1, 1, 1, 0, 1],
        [1, 0, 1, 1, 0, 1, 1],
        [0, 1, 1, 1, 0, 1, 0],
        [1, 1, 0, 1, 0, 1, 1],
        [1, 1, 0, 1, 1, 1, 1],
        [1, 0, 1, 0, 0, 1, 0],
        [1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 1, 1],
    ],
    dtype=np.int64,
)


def led_attribute_order(n_drift_features: int, rotation: int, offset: int) -> np.ndarray:
    """Where each of the 24 attributes is written, after river's ``LEDDrift`` swaps.

    Relevant attribute ``(i + rotation) % 7`` swaps places with irrelevant attribute
    ``7 + (i + offset) % 17`` for ``i < n_drift_features``.
    """
    order = np.arange(24)
    for i in range(n_drift_features):
        a, b = (i + rotation) % 7, 7 + (i + offset) % 17
        order[a], order[b] = b, a
    return order


@dataclass(frozen=True)
class LED:
    """LED digit concepts, as river's ``synth.LED`` and ``synth.LEDDrift``.

    The label is a digit 0-9; ``x0 .. x6`` are its segments, each flipped with probability
    ``noise_percentage - 0.01`` (river's ``0.01 + u <= noise``); ``irrelevant_features`` adds
    17 random bits ``x7 .. x23``. With ``n_drift_features`` > 0, that many relevant segments
    swap columns with irrelevant ones (which ones is drawn at the start of the stream).

    Examples
    --------
    >>> import numpy as np
    >>> s = LED().sample(3, np.random.default_rng(0))
    >>> s.target.tolist(), s.features["x2"].tolist()
    ([8, 6, 5], [1, 0, 0])
    """

    noise_percentage: float = 0.0
    irrelevant_features: bool = False
    n_drift_features: int = 0

    name: ClassVar[str] = "led"
    n_classes: ClassVar[int] = 10
    task: ClassVar[str] = "multiclass"

    def __post_init__(self) -> None:
        check_probability("noise_percentage", self.noise_percentage)
        check_count("n_drift_features", self.n_drift_features)
        if self.n_drift_features > 7:
            raise SpecError(f"n_drift_features must be <= 7, got {self.n_drift_features}")
        if self.n_drift_features and not self.irrelevant_features:
            raise SpecError("n_drift_features needs irrelevant_features=True (columns to swap)")

    @property
    def columns(self) -> tuple[str, ...]:
        """``x0 .. x6`` (``.. x23`` with irrelevant features)."""
        return tuple(f"x{i}" for i in range(24 if self.irrelevant_features else 7))

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows of this concept."""
        order = np.arange(24)
        if self.n_drift_features:
            rotation, offset = int(rng.integers(0, 7)), int(rng.integers(0, 17))
            order = led_attribute_order(self.n_drift_features, rotation, offset)
        y = rng.integers(0, 10, n)
        bits = SEGMENTS[y]
        if self.noise_percentage:
            bits = bits ^ ((0.01 + rng.random((n, 7))) <= self.noise_percentage)
        if self.irrelevant_features:
            bits = np.hstack([bits, rng.integers(0, 2, (n, 17))])
        out = np.empty_like(bits)
        out[:, order[: bits.shape[1]]] = bits
        return Sample({c: out[:, i] for i, c in enumerate(self.columns)}, y)

    def next_concept(self) -> dict[str, object]:
        """The parameters of a natural drifted concept: swapped segments, else more noise."""
        if self.irrelevant_features:
            return {"n_drift_features": (self.n_drift_features + 3) % 8}
        return {"noise_percentage": min(1.0, self.noise_percentage + 0.2)}
