"""Options that shape a generated stream: class balance, label noise, timestamps, blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from calmops.data_generators._checks import check_count, exact_assignment, exact_counts
from calmops.errors import SpecError

__all__ = ["Blocks", "Timestamps", "class_plan", "flip_labels"]


@dataclass(frozen=True)
class Timestamps:
    """A time column: ``start`` plus ``step`` per row (any pandas Timedelta string).

    Examples
    --------
    >>> [str(t)[:19] for t in Timestamps("2024-01-01", "1h").values(2)]
    ['2024-01-01T00:00:00', '2024-01-01T01:00:00']
    """

    start: str = "2024-01-01"
    step: str = "1h"
    column: str = "timestamp"

    def values(self, n: int) -> np.ndarray:
        """``n`` timestamps as a ``datetime64[ns]`` array."""
        import pandas as pd

        try:
            start, step = pd.Timestamp(self.start), pd.Timedelta(self.step)
        except (TypeError, ValueError) as error:
            raise SpecError(
                f"bad timestamp start/step ({self.start!r}, {self.step!r}): {error}"
            ) from None
        if step <= pd.Timedelta(0):
            raise SpecError(f"timestamp step must be positive, got {self.step!r}")
        return pd.date_range(start=start, periods=n, freq=step).to_numpy()


@dataclass(frozen=True)
class Blocks:
    """A block column: ``n_blocks`` equal blocks, or blocks of ``rows_per_block`` rows.

    Block ids start at 0; with ``n_blocks`` the first ``n % n_blocks`` blocks get one extra row.

    Examples
    --------
    >>> Blocks(n_blocks=3).values(7).tolist()
    [0, 0, 0, 1, 1, 2, 2]
    """

    n_blocks: int | None = None
    rows_per_block: int | None = None
    column: str = "block"

    def __post_init__(self) -> None:
        if (self.n_blocks is None) == (self.rows_per_block is None):
            raise SpecError("blocks: give exactly one of n_blocks and rows_per_block")
        if self.n_blocks is not None:
            check_count("n_blocks", self.n_blocks, minimum=1)
        else:
            check_count("rows_per_block", self.rows_per_block, minimum=1)

    def values(self, n: int) -> np.ndarray:
        """The block id of each of ``n`` rows."""
        if self.rows_per_block is not None:
            return np.arange(n) // self.rows_per_block
        if self.n_blocks > n:
            raise SpecError(f"n_blocks ({self.n_blocks}) is larger than the rows ({n})")
        sizes = exact_counts(n, np.ones(self.n_blocks))
        return np.repeat(np.arange(self.n_blocks), sizes)


def class_plan(balance: Any, classes: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """The class of each of ``n`` rows, in random order, in exactly the asked proportions.

    ``balance`` is True (equal shares of ``classes``) or ``{class: proportion}``.
    """
    if balance is True:
        values, shares = np.asarray(classes), np.ones(len(classes))
    elif isinstance(balance, dict) and balance:
        try:
            values = np.array([int(k) for k in balance])
        except (TypeError, ValueError):
            raise SpecError(f"balance keys must be class labels, got {list(balance)}") from None
        unknown = sorted(set(values.tolist()) - set(np.asarray(classes).tolist()))
        if unknown:
            raise SpecError(
                f"balance asks for classes {unknown} that this generator does not produce "
                f"({sorted(np.asarray(classes).tolist())})"
            )
        shares = np.array([float(v) for v in balance.values()])
    else:
        raise SpecError(f"balance must be True or a {{class: proportion}} dict, got {balance!r}")
    return values[exact_assignment(rng, n, shares)]


def flip_labels(
    y: np.ndarray, rate: float, classes: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """``y`` with exactly ``round(rate * n)`` labels changed to another class at random."""
    y = y.copy()
    k = int(round(rate * len(y)))
    rows = rng.choice(len(y), size=k, replace=False)
    classes = np.asarray(classes)
    if len(classes) < 2:
        raise SpecError("label noise needs at least two classes")
    # pick uniformly among the other classes: shift by 1..c-1 positions
    position = np.searchsorted(classes, y[rows])
    shift = rng.integers(1, len(classes), size=k)
    y[rows] = classes[(position + shift) % len(classes)]
    return y
