"""Sine: two uniform features and four sine-shaped decision boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice
from calmops.data_generators.streams.base import Sample, alternate_classes

__all__ = ["Sine"]


@dataclass(frozen=True)
class Sine:
    """Sine concepts, as river's ``synth.Sine``.

    Function 0 (SINE1): label 0 where ``x0 >= sin(x1)``; 1 is its reverse; 2 (SINE2): label 0
    where ``x0 >= 0.5 + 0.3 sin(3 pi x1)``; 3 is its reverse.

    Parameters
    ----------
    classification_function
        0, 1, 2 or 3.
    balance_classes
        Alternate classes 1, 0, 1, ... as river does.
    has_noise
        Add two irrelevant uniform features ``x2`` and ``x3``.

    Examples
    --------
    >>> import numpy as np
    >>> Sine(balance_classes=True).sample(4, np.random.default_rng(0)).target.tolist()
    [1, 0, 1, 0]

    References
    ----------
    Gama, J., Medas, P., Castillo, G. and Rodrigues, P. "Learning with drift detection",
    SBIA 2004.
    """

    classification_function: int = 0
    balance_classes: bool = False
    has_noise: bool = False

    name: ClassVar[str] = "sine"
    task: ClassVar[str] = "binary"

    def __post_init__(self) -> None:
        check_choice("classification_function", self.classification_function, range(4))

    @property
    def columns(self) -> tuple[str, ...]:
        """``x0, x1`` (and ``x2, x3`` with ``has_noise``)."""
        return ("x0", "x1", "x2", "x3") if self.has_noise else ("x0", "x1")

    def margin(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """Signed distance along ``x0`` to the boundary; the label is 1 where it is > 0."""
        x0, x1 = features["x0"], features["x1"]
        f = self.classification_function
        boundary = np.sin(x1) if f < 2 else 0.5 + 0.3 * np.sin(3 * np.pi * x1)
        return boundary - x0 if f in (0, 2) else x0 - boundary

    def label(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The label of ``classification_function`` (river's definition)."""
        m = self.margin(features)
        # functions 0 and 2 give 0 on the boundary itself, 1 and 3 give 1
        return (m > 0 if self.classification_function in (0, 2) else m >= 0).astype(np.int64)

    def _draw(self, n: int, rng: np.random.Generator) -> Sample:
        x = rng.random((2, n))
        features = {"x0": x[0], "x1": x[1]}
        return Sample(features, self.label(features))

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows of this concept."""
        if self.balance_classes:
            s = alternate_classes(lambda m: self._draw(m, rng), n)
        else:
            s = self._draw(n, rng)
        if self.has_noise:
            extra = rng.random((2, n))
            s = Sample({**s.features, "x2": extra[0], "x3": extra[1]}, s.target)
        return s

    def next_concept(self) -> dict[str, int]:
        """The parameters of a natural drifted concept: the reversed function."""
        f = self.classification_function
        return {"classification_function": f + 1 if f % 2 == 0 else f - 1}
