"""Waveform: 21 noisy points of a mix of two of three triangular waves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators.streams.base import Sample

__all__ = ["WAVES", "Waveform"]

_PEAK = np.array([0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0], dtype=np.float64)
WAVES = np.zeros((3, 21))
WAVES[0, 0:13] = _PEAK
WAVES[1, 8:21] = _PEAK
WAVES[2, 4:17] = _PEAK


@dataclass(frozen=True)
class Waveform:
    """Waveform concepts (Breiman et al.), as river's ``synth.Waveform``.

    Class 0 mixes waves 0 and 1, class 1 waves 0 and 2, class 2 waves 1 and 2, with a U(0, 1)
    weight, plus N(0, 1) noise on each of the 21 features; ``has_noise`` adds 19 pure-noise
    features.

    Examples
    --------
    >>> import numpy as np
    >>> Waveform().sample(4, np.random.default_rng(0)).target.tolist()
    [2, 1, 1, 0]

    References
    ----------
    Breiman, L., Friedman, J., Olshen, R. and Stone, C. "Classification and Regression
    Trees", 1984.
    """

    has_noise: bool = False

    name: ClassVar[str] = "waveform"
    n_classes: ClassVar[int] = 3
    task: ClassVar[str] = "multiclass"

    @property
    def columns(self) -> tuple[str, ...]:
        """``x0 .. x20`` (``.. x39`` with noise)."""
        return tuple(f"x{i}" for i in range(40 if self.has_noise else 21))

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows of this concept."""
        y = rng.integers(0, 3, n)
        first = np.where(y == 2, 1, 0)
        second = np.where(y == 0, 1, 2)
        a = rng.random(n)
        mix = np.zeros((3, n))  # the weight of each wave in each row
        rows = np.arange(n)
        mix[first, rows] = a
        mix[second, rows] = 1 - a
        x = rng.normal(size=(21, n))
        x += WAVES.T @ mix  # one row per feature, so every column comes out contiguous
        if self.has_noise:
            x = np.vstack([x, rng.normal(size=(19, n))])
        return Sample({c: x[i] for i, c in enumerate(self.columns)}, y)
