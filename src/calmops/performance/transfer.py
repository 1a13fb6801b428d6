"""How far an estimate learned on the held-out rows may be off on a shifted sub-population.

The sampling interval assumes the map learned on the held-out rows (a calibration, a loss
model) holds on the batch. Under covariate shift it holds only approximately, and a map
learned on few rows is itself uncertain. Both are measured once, at fit time, on the
held-out rows themselves: the map is cross-fitted (each row's estimate from a map that did
not see it), the rows are cut into sub-populations that look like a covariate shift — the
lowest and the highest quarter of each feature and of the model's score — and on each the
estimate is compared with the realized value. What the discrepancies hold beyond their own
sampling noise is the *transfer error* ``tau``:
``tau^2 = max(0, mean(discrepancy^2) - mean(sampling variance))``, added in quadrature to a
batch's sampling interval.

>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=(400, 2))
>>> [int(g.sum()) for g in shift_groups(x)]
[100, 100, 100, 100]
>>> transfer_error(np.array([0.03, -0.03]), np.array([0.0005, 0.0005]))
0.02
"""

from __future__ import annotations

import numpy as np

__all__ = ["FOLDS", "MIN_GROUP", "folds_of", "shift_groups", "transfer_error"]

FOLDS = 3
MIN_GROUP = 30
_MAX_COLUMNS = 30


def folds_of(rows: int, seed: int) -> np.ndarray:
    """Each row's fold (0 .. FOLDS-1), balanced and shuffled."""
    return np.random.default_rng(seed).permutation(rows) % FOLDS


def shift_groups(matrix: np.ndarray) -> list[np.ndarray]:
    """Boolean masks of the lowest and highest quarter of each column of ``matrix`` (the
    first 30 columns with at least two values; groups under 30 rows are skipped)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    groups = []
    for column in matrix.T[:_MAX_COLUMNS]:
        finite = np.isfinite(column)
        if finite.sum() < 2 * MIN_GROUP or np.ptp(column[finite]) == 0:
            continue
        low, high = np.quantile(column[finite], [0.25, 0.75])
        with np.errstate(invalid="ignore"):
            for group in (column <= low, column >= high):
                if MIN_GROUP <= group.sum() < len(column):
                    groups.append(group)
    return groups


def transfer_error(discrepancies: np.ndarray, variances: np.ndarray) -> float:
    """``sqrt(max(0, mean(d^2) - mean(v)))`` over the finite groups (0 if none)."""
    d, v = np.asarray(discrepancies, dtype=float), np.asarray(variances, dtype=float)
    keep = np.isfinite(d) & np.isfinite(v)
    if not keep.any():
        return 0.0
    return float(np.sqrt(max(np.mean(d[keep] ** 2) - np.mean(v[keep]), 0.0)))
