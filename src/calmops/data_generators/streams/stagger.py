"""STAGGER: three categorical features (size, color, shape) and three boolean concepts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice
from calmops.data_generators.streams.base import Sample, alternate_classes

__all__ = ["STAGGER"]


@dataclass(frozen=True)
class STAGGER:
    """STAGGER concepts, as river's ``synth.STAGGER``.

    Features are codes 0-2: ``size`` (small, medium, large), ``color`` (red, blue, green),
    ``shape`` (circle, square, triangle). Function 0: size small and color red; 1: color
    green or shape circle; 2: size medium or large.

    Parameters
    ----------
    classification_function
        0, 1 or 2.
    balance_classes
        Alternate classes 1, 0, 1, ... as river does.

    Examples
    --------
    >>> import numpy as np
    >>> STAGGER(classification_function=2).sample(4, np.random.default_rng(0)).target.tolist()
    [1, 1, 1, 0]

    References
    ----------
    Schlimmer, J. C. and Granger, R. H. "Incremental learning from noisy data", Machine
    Learning 1(3), 1986.
    """

    classification_function: int = 0
    balance_classes: bool = False

    name: ClassVar[str] = "stagger"
    task: ClassVar[str] = "binary"
    columns: ClassVar[tuple[str, ...]] = ("size", "color", "shape")

    def __post_init__(self) -> None:
        check_choice("classification_function", self.classification_function, range(3))

    def label(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The label of ``classification_function`` (river's definition)."""
        size, color, shape = features["size"], features["color"], features["shape"]
        if self.classification_function == 0:
            out = (size == 0) & (color == 0)
        elif self.classification_function == 1:
            out = (color == 2) | (shape == 0)
        else:
            out = (size == 1) | (size == 2)
        return out.astype(np.int64)

    def _draw(self, n: int, rng: np.random.Generator) -> Sample:
        codes = rng.integers(0, 3, size=(3, n))
        features = {c: codes[i] for i, c in enumerate(self.columns)}
        return Sample(features, self.label(features))

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows of this concept."""
        if self.balance_classes:
            return alternate_classes(lambda m: self._draw(m, rng), n)
        return self._draw(n, rng)

    def next_concept(self) -> dict[str, int]:
        """The parameters of a natural drifted concept: the next function."""
        return {"classification_function": (self.classification_function + 1) % 3}
