"""The contract every univariate drift test follows, and the result it returns.

A drift test is a small stateless object: a ``name``, the kinds of column it applies to
(``numeric``, ``categorical``, ``binary``), whether it yields a p-value or a distance, a
default threshold, and a call ``test(reference, current)`` returning a :class:`DriftResult`.

Verdicts have three bands:

- p-value tests: ``drift`` when ``p < threshold`` (the significance level alpha, after any
  multiple-testing correction), ``warning`` when ``p < 2 * threshold``, else ``no_drift``;
- distances: ``drift`` when ``statistic >= threshold``, ``warning`` when
  ``statistic >= 0.5 * threshold``, else ``no_drift``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from calmops.drift.sides import Side, as_side, identical_constants

__all__ = [
    "ANY_KIND",
    "CATEGORICAL",
    "NUMERIC",
    "ColumnKind",
    "DistanceTest",
    "DriftResult",
    "DriftTest",
    "PValueTest",
    "Verdict",
    "verdict_for",
]

ColumnKind = Literal["numeric", "categorical", "binary"]

#: multiplier giving the warning band: ``2 * alpha`` for p-values, ``0.5 * threshold`` for distances
WARNING_P_FACTOR = 2.0
WARNING_DISTANCE_FACTOR = 0.5


class Verdict(StrEnum):
    """The three-band outcome of a test."""

    NO_DRIFT = "no_drift"
    WARNING = "warning"
    DRIFT = "drift"


def verdict_for(statistic: float, p_value: float | None, threshold: float) -> Verdict:
    """The verdict of one test outcome (see the module docstring for the bands).

    Examples
    --------
    >>> verdict_for(3.2, 0.01, 0.05).value, verdict_for(3.2, 0.07, 0.05).value
    ('drift', 'warning')
    >>> verdict_for(0.12, None, 0.1).value, verdict_for(0.02, None, 0.1).value
    ('drift', 'no_drift')
    """
    if p_value is not None:
        if p_value < threshold:
            return Verdict.DRIFT
        if p_value < WARNING_P_FACTOR * threshold:
            return Verdict.WARNING
        return Verdict.NO_DRIFT
    if statistic >= threshold:
        return Verdict.DRIFT
    if statistic >= WARNING_DISTANCE_FACTOR * threshold:
        return Verdict.WARNING
    return Verdict.NO_DRIFT


@dataclass(frozen=True)
class DriftResult:
    """The outcome of one univariate test on one column.

    ``p_value`` is ``None`` for distances; ``threshold`` is alpha for p-value tests and the
    distance threshold otherwise; ``drift`` is ``verdict == "drift"``.
    """

    test: str
    statistic: float
    p_value: float | None
    threshold: float
    drift: bool
    verdict: Verdict

    @classmethod
    def decide(
        cls, test: str, statistic: float, p_value: float | None, threshold: float
    ) -> DriftResult:
        """Build a result, deriving ``verdict`` and ``drift`` from the numbers."""
        statistic = float(statistic)
        if math.isnan(statistic) or (p_value is not None and math.isnan(p_value)):
            raise ValueError(f"test {test!r} produced NaN; its inputs were not validated")
        verdict = verdict_for(statistic, p_value, threshold)
        return cls(
            test=test,
            statistic=statistic,
            p_value=None if p_value is None else float(p_value),
            threshold=float(threshold),
            drift=verdict is Verdict.DRIFT,
            verdict=verdict,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite numbers become ``None``)."""
        return {
            "test": self.test,
            "statistic": finite_or_none(self.statistic),
            "p_value": finite_or_none(self.p_value),
            "threshold": self.threshold,
            "drift": self.drift,
            "verdict": self.verdict.value,
        }


def finite_or_none(value: float | None) -> float | None:
    """``value`` as a float, or ``None`` when missing, NaN or infinite (JSON has no inf)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@runtime_checkable
class DriftTest(Protocol):
    """What the registry, the selection and :func:`~calmops.drift.compare` rely on."""

    name: str
    applies_to: frozenset[str]
    yields: Literal["p_value", "distance"]
    default_threshold: float

    def __call__(
        self, reference: Any, current: Any, *, threshold: float | None = None
    ) -> DriftResult: ...


class _BaseTest:
    """Shared plumbing: coerce both sides, compute, decide. Subclasses set the class fields
    and implement ``compute(reference, current) -> (statistic, p_value_or_None)``."""

    name: ClassVar[str]
    applies_to: ClassVar[frozenset[str]]
    yields: ClassVar[Literal["p_value", "distance"]]
    default_threshold: ClassVar[float]
    side: ClassVar[type[Side] | None] = None  # None: numeric or categorical, as given

    def __call__(
        self, reference: Any, current: Any, *, threshold: float | None = None
    ) -> DriftResult:
        ref = as_side(reference, self.side)
        cur = as_side(current, self.side, like=ref)
        if ref.n == 0 or cur.n == 0:
            empty = "reference" if ref.n == 0 else "current"
            raise ValueError(f"test {self.name!r}: the {empty} side has no usable values")
        if identical_constants(ref, cur):
            statistic, p_value = 0.0, (1.0 if self.yields == "p_value" else None)
        else:
            statistic, p_value = self.compute(ref, cur)
        chosen = self.default_threshold if threshold is None else threshold
        return DriftResult.decide(self.name, statistic, p_value, chosen)

    def compute(self, reference: Any, current: Any) -> tuple[float, float | None]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class PValueTest(_BaseTest):
    """Base of hypothesis tests: the threshold is the significance level."""

    yields = "p_value"
    default_threshold = 0.05


class DistanceTest(_BaseTest):
    """Base of distances: drift when the distance reaches the threshold."""

    yields = "distance"
    default_threshold = 0.1


NUMERIC = frozenset({"numeric"})
CATEGORICAL = frozenset({"categorical", "binary"})
ANY_KIND = frozenset({"numeric", "categorical", "binary"})
