"""Multiple-testing correction of the p-values of many features.

``none`` keeps p-values as they are; ``bonferroni`` multiplies by the number of tests;
``holm`` (the default) is Holm's step-down method, which controls the family-wise error
rate like Bonferroni and is uniformly more powerful; ``bh`` is Benjamini-Hochberg, which
controls the false discovery rate. Each returns *adjusted* p-values (capped at 1), so a
feature drifts when its adjusted p-value is below alpha.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calmops.errors import RegistryError

__all__ = ["CORRECTIONS", "adjust"]

CORRECTIONS = ("bh", "bonferroni", "holm", "none")


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
    if method not in CORRECTIONS:
        raise RegistryError(f"no correction {method!r}; choose from {', '.join(CORRECTIONS)}")
    p = np.asarray(p_values, dtype="float64")
    m = p.size
    if m == 0 or method == "none":
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":
        steps = np.maximum.accumulate(ranked * (m - np.arange(m)))
    else:  # bh
        steps = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(steps, 1.0)
    return out
