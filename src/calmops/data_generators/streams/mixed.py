"""Mixed: two boolean and two numeric features; the label mixes both kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice
from calmops.data_generators.streams.base import Sample, alternate_classes

__all__ = ["Mixed"]


@dataclass(frozen=True)
class Mixed:
    """Mixed concepts, as river's ``synth.Mixed``.

    ``x0`` and ``x1`` are booleans, ``x2`` and ``x3`` uniform in [0, 1). With
    ``z = x3 < 0.5 + 0.3 sin(3 pi x2)``, function 1 gives 1 when at least two of ``x0, x1, z``
    hold; function 0 is its reverse.

    Parameters
    ----------
    classification_function
        0 or 1.
    balance_classes
        Alternate classes 1, 0, 1, ... as river does.

    Examples
    --------
    >>> import numpy as np
    >>> Mixed(classification_function=1).sample(6, np.random.default_rng(1)).target.tolist()
    [1, 1, 0, 0, 1, 0]

    References
    ----------
    Gama, J., Medas, P., Castillo, G. and Rodrigues, P. "Learning with drift detection",
    SBIA 2004.
    """

    classification_function: int = 0
    balance_classes: bool = False

    name: ClassVar[str] = "mixed"
    task: ClassVar[str] = "binary"
    columns: ClassVar[tuple[str, ...]] = ("x0", "x1", "x2", "x3")

    def __post_init__(self) -> None:
        check_choice("classification_function", self.classification_function, (0, 1))

    def label(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The label of ``classification_function`` (river's definition)."""
        v, w = features["x0"].astype(bool), features["x1"].astype(bool)
        z = features["x3"] < 0.5 + 0.3 * np.sin(3 * np.pi * features["x2"])
        two = (v & w) | (v & z) | (w & z)
        return (two if self.classification_function == 1 else ~two).astype(np.int64)

    def _draw(self, n: int, rng: np.random.Generator) -> Sample:
        u = rng.random((4, n))
        features = {"x0": u[0] >= 0.5, "x1": u[1] >= 0.5, "x2": u[2], "x3": u[3]}
        return Sample(features, self.label(features))

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows of this concept."""
        if self.balance_classes:
            return alternate_classes(lambda m: self._draw(m, rng), n)
        return self._draw(n, rng)

    def next_concept(self) -> dict[str, int]:
        """The parameters of a natural drifted concept: the other function."""
        return {"classification_function": 1 - self.classification_function}
