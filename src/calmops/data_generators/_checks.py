"""Small parameter checks shared by generators and operations; all raise SpecError."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from calmops.errors import SpecError

__all__ = [
    "as_rng",
    "check_choice",
    "check_count",
    "check_probability",
    "exact_assignment",
    "exact_counts",
    "fresh_seed",
]

Seed = int | np.random.Generator | None


def as_rng(seed: Seed) -> np.random.Generator:
    """A numpy Generator from an int seed, a Generator (used as is) or None (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise SpecError(f"seed must be an int or a numpy Generator, got {seed!r}")
    if seed is not None and seed < 0:
        raise SpecError(f"seed must be >= 0, got {seed}")
    return np.random.default_rng(seed)


def fresh_seed(seed: Seed) -> Seed:
    """``seed``, or a new random int when it is None (so it can be recorded and replayed)."""
    return int(np.random.SeedSequence().entropy) if seed is None else seed


def check_count(name: str, value: Any, *, minimum: int = 0) -> int:
    """``value`` as an int, or SpecError if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise SpecError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise SpecError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_probability(name: str, value: Any) -> float:
    """``value`` as a float in [0, 1], or SpecError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SpecError(f"{name} must be a number in [0, 1], got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise SpecError(f"{name} must be in [0, 1], got {value}")
    return number


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """``value`` if it is one of ``choices``, else SpecError listing them."""
    choices = list(choices)
    if value not in choices:
        raise SpecError(f"{name} must be one of {', '.join(map(str, choices))}; got {value!r}")
    return value


def exact_counts(n: int, proportions: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``n`` closest to ``n * proportions`` (largest remainder).

    Examples
    --------
    >>> exact_counts(10, np.array([0.5, 0.25, 0.25])).tolist()
    [5, 3, 2]
    """
    p = np.asarray(proportions, dtype=float)
    if p.ndim != 1 or p.size == 0 or np.any(p < 0) or not np.isfinite(p).all() or p.sum() <= 0:
        raise SpecError(f"proportions must be non-negative and sum to > 0, got {p.tolist()}")
    raw = n * p / p.sum()
    counts = np.floor(raw).astype(np.int64)
    short = n - int(counts.sum())
    if short:
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def exact_assignment(rng: np.random.Generator, n: int, proportions: np.ndarray) -> np.ndarray:
    """``n`` category indices in random order with exactly :func:`exact_counts` of each."""
    counts = exact_counts(n, proportions)
    return rng.permutation(np.repeat(np.arange(counts.size), counts))
