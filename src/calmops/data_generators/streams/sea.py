"""SEA: three uniform features in [0, 10); the label says whether x0 + x1 exceeds a threshold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice, check_probability
from calmops.data_generators.streams.base import Sample

__all__ = ["SEA"]

THRESHOLDS = {0: 8.0, 1: 9.0, 2: 7.0, 3: 9.5}


@dataclass(frozen=True)
class SEA:
    """SEA concepts (Street and Kim, 2001), as river's ``synth.SEA``.

    Parameters
    ----------
    variant
        0, 1, 2 or 3: label 1 when ``x0 + x1 > 8, 9, 7, 9.5``.
    noise
        Probability that a label is flipped.

    Examples
    --------
    >>> import numpy as np
    >>> s = SEA(variant=1).sample(4, np.random.default_rng(0))
    >>> s.target.tolist()
    [1, 1, 0, 0]

    References
    ----------
    Street, W. N. and Kim, Y. "A streaming ensemble algorithm (SEA) for large-scale
    classification", KDD 2001.
    """

    variant: int = 0
    noise: float = 0.0

    name: ClassVar[str] = "sea"
    task: ClassVar[str] = "binary"
    columns: ClassVar[tuple[str, ...]] = ("x0", "x1", "x2")

    def __post_init__(self) -> None:
        check_choice("variant", self.variant, THRESHOLDS)
        check_probability("noise", self.noise)

    def margin(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """``x0 + x1 - threshold``: the label is 1 where it is > 0."""
        return features["x0"] + features["x1"] - THRESHOLDS[self.variant]

    def label(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The noise-free label (river's definition)."""
        return (self.margin(features) > 0).astype(np.int64)

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows: features uniform in [0, 10), labels flipped with probability ``noise``."""
        x = rng.uniform(0.0, 10.0, size=(3, n))
        features = {name: x[i] for i, name in enumerate(self.columns)}
        y = self.label(features)
        if self.noise:
            y ^= rng.random(n) < self.noise
        return Sample(features, y)

    def next_concept(self) -> dict[str, int]:
        """The parameters of a natural drifted concept: the next variant."""
        return {"variant": (self.variant + 1) % 4}
