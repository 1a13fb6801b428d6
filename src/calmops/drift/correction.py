"""Multiple-testing correction of the p-values of many features.

``none`` keeps p-values as they are; ``bonferroni`` multiplies by the number of tests;
``holm`` (the default) is Holm's step-down method, which controls the family-wise error
rate like Bonferroni and is uniformly more powerful; ``bh`` is Benjamini-Hochberg, which
controls the false discovery rate. Each returns *adjusted* p-values (capped at 1), so a
feature drifts when its adjusted p-value is below alpha.

The corrections are registered by name in :data:`CORRECTIONS` (the spec's
``drift.correction``); each is a small function of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from calmops.registry import Registry

__all__ = ["CORRECTIONS", "Correction", "adjust"]


@dataclass(frozen=True)
class Correction:
    """A named correction: ``adjust(p)`` maps p-values (non-empty, float64) to adjusted ones."""

    name: str
    adjust: Callable[[np.ndarray], np.ndarray]


def _none(p: np.ndarray) -> np.ndarray:
    """No correction: the p-values as they are."""
    return p.copy()


def _bonferroni(p: np.ndarray) -> np.ndarray:
    """Bonferroni: each p-value times the number of tests (family-wise error rate)."""
    return np.minimum(p * p.size, 1.0)


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down method (family-wise error rate, more powerful than Bonferroni)."""
    m = p.size
    order = np.argsort(p, kind="stable")
    steps = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    return _in_order(steps, order)


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg step-up method (false discovery rate)."""
    m = p.size
    order = np.argsort(p, kind="stable")
    steps = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    return _in_order(steps, order)


def _in_order(steps: np.ndarray, order: np.ndarray) -> np.ndarray:
    out = np.empty(steps.size)
    out[order] = np.minimum(steps, 1.0)
    return out


CORRECTIONS: Registry[Correction] = Registry("correction")
CORRECTIONS.register(Correction("none", _none))
CORRECTIONS.register(Correction("bonferroni", _bonferroni))
CORRECTIONS.register(Correction("holm", _holm))
CORRECTIONS.register(Correction("bh", _bh))


def adjust(p_values: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjusted p-values, in the order given.

    Examples
    --------
    >>> adjust([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    >>> adjust([0.01], "sidak")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no correction 'sidak'; choose from bh, bonferroni, holm, none
    """
    correction = CORRECTIONS.get(method)
    p = np.asarray(p_values, dtype="float64")
    if p.size == 0:
        return p.copy()
    return correction.adjust(p)
