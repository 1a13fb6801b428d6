"""Disease effects: what a subgroup does to its patients' genes and proteins.

An effect acts on the values of the chosen columns, for the patients of every subgroup that
lists it, from its ``from_visit`` on:

- ``additive_shift``: ``x + value``
- ``fold_change``: ``x * value``
- ``variance_scale``: ``m + value * (x - m)``, ``m`` the column's expected value
- ``power``: ``sign(x) |x| ** value``
- ``log``: ``log(x + value)`` (``value`` is the epsilon)
- ``sigmoid``: ``scale / (1 + exp(-k (x - x0)))``

RNA-Seq genes are rounded back to non-negative counts afterwards (in :mod:`.visits`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from calmops.data_generators.clinic.config import EffectSpec

__all__ = ["EFFECTS", "apply_effect"]


def _shift(x: np.ndarray, e: EffectSpec, m: np.ndarray) -> np.ndarray:
    return x + np.float32(e.value)


def _fold(x: np.ndarray, e: EffectSpec, m: np.ndarray) -> np.ndarray:
    return x * np.float32(e.value)


def _variance(x: np.ndarray, e: EffectSpec, m: np.ndarray) -> np.ndarray:
    return m + np.float32(e.value) * (x - m)


def _power(x: np.ndarray, e: EffectSpec, m: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.abs(x) ** np.float32(e.value)


def _log(x: np.ndarray, e: EffectSpec, m: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(x + np.float32(e.value), np.float32(1e-12)))


def _sigmoid(x: np.ndarray, e: EffectSpec, m: np.ndarray) -> np.ndarray:
    return np.float32(e.scale) / (1 + np.exp(-np.float32(e.k) * (x - np.float32(e.x0))))


EFFECTS: dict[str, Callable[[np.ndarray, EffectSpec, np.ndarray], np.ndarray]] = {
    "additive_shift": _shift,
    "fold_change": _fold,
    "variance_scale": _variance,
    "power": _power,
    "log": _log,
    "sigmoid": _sigmoid,
}


def apply_effect(
    values: np.ndarray, columns: np.ndarray, rows: np.ndarray, effect: EffectSpec, means: np.ndarray
) -> None:
    """Apply ``effect`` in place to ``values[columns][:, rows]`` (values: columns x rows).

    ``means`` holds the expected value of every column of ``values``, as a column vector.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((2, 3), dtype=np.float32)
    >>> effect = EffectSpec(kind="fold_change", columns=("G_1",), value=3.0)
    >>> apply_effect(x, np.array([1]), np.array([0, 2]), effect, np.ones((2, 1), np.float32))
    >>> x.tolist()
    [[1.0, 1.0, 1.0], [3.0, 1.0, 3.0]]
    """
    if rows.size == 0:
        return
    where = np.ix_(columns, rows)
    changed = EFFECTS[effect.kind](values[where], effect, means[columns])
    values[where] = changed.astype(values.dtype, copy=False)
