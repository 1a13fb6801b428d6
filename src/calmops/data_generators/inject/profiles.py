"""Strength profiles: how the strength of an injected change evolves across the selected rows.

A profile maps the relative position ``x`` of a selected row in the selection (0 at its
first row, 1 at its last; by time when a time column is given) to a weight in [0, 1].
``direction="down"`` reads the profile backwards (the change fades out instead of in).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice, check_count, check_probability
from calmops.data_generators.streams.schedule import gradual_probability
from calmops.errors import SpecError

__all__ = ["Cosine", "Linear", "Recurrent", "Sigmoid", "Step", "StrengthProfile"]


@dataclass(frozen=True)
class StrengthProfile(ABC):
    """Base of every strength profile; subclasses define ``shape(x)`` for the rising
    direction. (Called ``Profile`` before 0.2; that name is a deprecated alias, kept apart
    from :class:`calmops.drift.Profile`, the reference summary of a table.)"""

    direction: str = "up"
    name: ClassVar[str] = ""

    def __post_init__(self) -> None:
        check_choice("direction", self.direction, ("up", "down"))

    @abstractmethod
    def shape(self, x: np.ndarray) -> np.ndarray:
        """The weight at each relative position ``x`` in [0, 1], rising direction."""

    def weights(self, x: np.ndarray) -> np.ndarray:
        """The weight of each relative position ``x`` in [0, 1]."""
        x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
        return np.clip(self.shape(x if self.direction == "up" else 1.0 - x), 0.0, 1.0)


@dataclass(frozen=True)
class Step(StrengthProfile):
    """Full strength on every selected row (direction makes no difference).

    Examples
    --------
    >>> Step().weights(np.array([0.0, 0.5, 1.0])).tolist()
    [1.0, 1.0, 1.0]
    """

    name: ClassVar[str] = "step"

    def shape(self, x: np.ndarray) -> np.ndarray:
        return np.ones_like(x)


@dataclass(frozen=True)
class Linear(StrengthProfile):
    """A straight ramp from 0 to 1.

    Examples
    --------
    >>> Linear(direction="down").weights(np.array([0.0, 0.25, 1.0])).tolist()
    [1.0, 0.75, 0.0]
    """

    name: ClassVar[str] = "linear"

    def shape(self, x: np.ndarray) -> np.ndarray:
        return x


@dataclass(frozen=True)
class Sigmoid(StrengthProfile):
    """A logistic ramp rescaled to be exactly 0 at the start and 1 at the end.

    Examples
    --------
    >>> Sigmoid().weights(np.array([0.0, 0.5, 1.0])).tolist()
    [0.0, 0.5, 1.0]
    """

    name: ClassVar[str] = "sigmoid"

    def shape(self, x: np.ndarray) -> np.ndarray:
        return gradual_probability(x)


@dataclass(frozen=True)
class Cosine(StrengthProfile):
    """A half-cosine ramp ``(1 - cos(pi x)) / 2``.

    Examples
    --------
    >>> Cosine().weights(np.array([0.0, 0.5, 1.0])).round(3).tolist()
    [0.0, 0.5, 1.0]
    """

    name: ClassVar[str] = "cosine"

    def shape(self, x: np.ndarray) -> np.ndarray:
        return (1.0 - np.cos(np.pi * x)) / 2.0


@dataclass(frozen=True)
class Recurrent(StrengthProfile):
    """``windows`` on-windows, each lasting ``duty`` of its period; "down" starts off.

    Examples
    --------
    >>> Recurrent(windows=2).weights(np.linspace(0, 1, 8)).tolist()
    [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    """

    windows: int = 2
    duty: float = 0.5
    name: ClassVar[str] = "recurrent"

    def __post_init__(self) -> None:
        super().__post_init__()
        check_count("windows", self.windows, minimum=1)
        check_probability("duty", self.duty)
        if self.duty == 0:
            raise SpecError("duty must be > 0")

    def shape(self, x: np.ndarray) -> np.ndarray:
        phase = np.minimum(x * self.windows, self.windows - 1e-9) % 1.0
        return (phase < self.duty).astype(float)


def deprecated_alias(module: str, name: str) -> Any:
    """``StrengthProfile`` under its old name ``Profile``, with a DeprecationWarning."""
    if name != "Profile":
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    import warnings

    warnings.warn(
        f"{module}.Profile is now StrengthProfile (calmops.drift.Profile is the reference "
        "profile of a table); the old name will be removed",
        DeprecationWarning,
        stacklevel=3,
    )
    return StrengthProfile


def __getattr__(name: str) -> Any:
    return deprecated_alias(__name__, name)
