"""Friedman #1 regression, with river's three drift variants (lea, gra, gsg)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice
from calmops.data_generators.streams.base import Sample
from calmops.errors import SpecError

__all__ = ["Friedman", "friedman_value"]


def _f(x, a, b, c, d, e):
    return 10 * np.sin(np.pi * x[a] * x[b]) + 20 * (x[c] - 0.5) ** 2 + 10 * x[d] + 5 * x[e]


def friedman_value(
    x: np.ndarray,
    index: np.ndarray,
    drift_type: str | None,
    position: tuple[int, ...],
    transition_window: int,
    coin: np.ndarray | None = None,
) -> np.ndarray:
    """The noise-free target of river's ``Friedman`` / ``FriedmanDrift`` at rows ``index``.

    ``x`` is (10, n). ``coin`` (booleans) decides, inside a gsg transition window, whether
    a row keeps the old function (river flips a fair coin).
    """
    base = _f(x, 0, 1, 2, 3, 4)
    if drift_type is None:
        return base
    if drift_type == "gra":
        inside = (index >= position[0]) & (index < position[1])
        return np.where(inside, _f(x, 3, 5, 1, 0, 2), base)
    if drift_type == "gsg":
        p1, p2 = position[:2]
        first, second = _f(x, 3, 4, 1, 0, 2), _f(x, 1, 4, 3, 2, 0)
        keep = np.zeros(len(index), dtype=bool) if coin is None else coin
        in1 = (index >= p1) & (index < p2)
        in2 = index >= p2
        out = np.where(in1, np.where(keep & (index < p1 + transition_window), base, first), base)
        return np.where(in2, np.where(keep & (index < p2 + transition_window), first, second), out)
    # lea: local regions grow at each change point
    p1, p2, p3 = position
    x1, x2, x3, x4 = x[1], x[2], x[3], x[4]
    stage = np.searchsorted(np.array([p1, p2, p3]), index, side="right")  # 0..3
    r1 = (x1 < 0.3) & (x2 < 0.3) & ((x3 > 0.7) | (stage >= 3)) & ((x4 < 0.3) | (stage >= 2))
    r2 = (x1 > 0.7) & (x2 > 0.7) & ((x3 < 0.3) | (stage >= 3)) & ((x4 > 0.7) | (stage >= 2))
    r1 &= stage >= 1
    r2 &= (stage >= 1) & ~r1
    v1 = 10 * x[0] * x1 + 20 * (x2 - 0.5) + 10 * x3 + 5 * x4
    v2 = 10 * np.cos(x[0] * x1) + 20 * (x2 - 0.5) + np.exp(x3) + 5 * x4**2
    default = 10 * np.sin(np.pi * x[0] * x1) + 20 * (x2 - 0.5) ** 2 + 10 * x3 + 5 * x4
    return np.where(r1, v1, np.where(r2, v2, default))


@dataclass(frozen=True)
class Friedman:
    """Friedman #1 regression concepts, as river's ``Friedman`` and ``FriedmanDrift``.

    ``y = 10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + N(0, 1)`` over ten U(0, 1)
    features (five irrelevant). ``drift_type`` adds river's drifts at row ``position``:
    "lea" (local expanding abrupt, three positions), "gra" (global recurring abrupt: the
    relevant features swap between the two positions) and "gsg" (global and slow gradual:
    two new functions, each mixed in over ``transition_window`` rows).

    Examples
    --------
    >>> import numpy as np
    >>> s = Friedman().sample(2, np.random.default_rng(0))
    >>> np.round(s.target, 2).tolist()
    [11.44, 16.88]

    References
    ----------
    Friedman, J. H. "Multivariate adaptive regression splines", Annals of Statistics 19(1),
    1991. Ikonomovska, E., Gama, J. and Dzeroski, S. "Learning model trees from evolving
    data streams", DMKD 23(1), 2011.
    """

    drift_type: str | None = None
    position: tuple[int, ...] = (50_000, 100_000, 150_000)
    transition_window: int = 10_000

    name: ClassVar[str] = "friedman"
    task: ClassVar[str] = "regression"
    columns: ClassVar[tuple[str, ...]] = tuple(f"x{i}" for i in range(10))

    def __post_init__(self) -> None:
        check_choice("drift_type", self.drift_type, (None, "lea", "gra", "gsg"))
        position = tuple(int(p) for p in self.position)
        object.__setattr__(self, "position", position)
        if self.drift_type is None:
            return
        need = 3 if self.drift_type == "lea" else 2
        if len(position) < need:
            raise SpecError(f"drift_type '{self.drift_type}' needs {need} positions")
        used = position[:need]
        if any(b <= a for a, b in zip(used, used[1:], strict=False)):
            raise SpecError(f"positions must increase, got {list(used)}")
        if self.drift_type == "gsg" and self.transition_window > used[1] - used[0]:
            raise SpecError(
                f"transition_window ({self.transition_window}) is longer than the gap "
                f"between the positions ({used[1] - used[0]})"
            )

    def margin(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The noise-free target of the stationary concept (no ``drift_type``)."""
        if self.drift_type is not None:
            raise SpecError("a Friedman concept with a drift_type has no fixed function")
        return _f(np.stack([features[c] for c in self.columns]), 0, 1, 2, 3, 4)

    label = margin

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows; row ``t`` of this concept is at position ``t`` of river's drifts."""
        x = rng.random((10, n))
        coin = rng.random(n) < 0.5 if self.drift_type == "gsg" else None
        value = friedman_value(
            x, np.arange(n), self.drift_type, self.position, self.transition_window, coin
        )
        return Sample({c: x[i] for i, c in enumerate(self.columns)}, value + rng.normal(size=n))

    def next_concept(self) -> dict[str, object]:
        """The parameters of a natural drifted concept: river's recurring swap from row 0."""
        return {"drift_type": "gra", "position": (0, 2**62)}
