"""Fidelity: how closely the synthetic table's columns, and pairs of columns, match the real.

- **Column shape** of a numeric column is 1 − KS, the two-sample Kolmogorov–Smirnov statistic
  (missing values count as an atom below every value, so a different missing share also
  shows; with none it is scipy's ``ks_2samp`` statistic); of a categorical column
  1 − TV, the total variation distance ½ Σ |p − q| between the label shares (missing is a
  label). ``column_shape`` is the mean over columns; 1 means identical marginals.
- **Column pairs**: for two numeric columns 1 − |ρ_real − ρ_synthetic| / 2 with ρ Spearman's
  correlation (on ranks of present values; a constant column correlates 0 with anything);
  for any other pair 1 − TV of the two contingency tables, numeric columns binned at the real
  column's deciles (missing in a bin of its own). ``column_pairs`` is the mean over pairs.

Examples
--------
>>> import numpy as np
>>> ks_statistic(np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 4.0, 5.0, 6.0]))
0.5
>>> ks_statistic(np.array([1.0, np.nan]), np.array([1.0, 1.0]))
0.5
>>> tv_distance(np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1]), 2)
0.25
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from calmops.data_generators.evaluation.tables import Aligned, category_codes

__all__ = [
    "ColumnScore",
    "Fidelity",
    "PairScore",
    "fidelity",
    "ks_statistic",
    "tv_distance",
]

N_BINS = 10
"""Quantile bins of a numeric column in a contingency table (and in the report's plots)."""


@dataclass(frozen=True)
class ColumnScore:
    """One column's shape score: ``metric`` is ``ks`` or ``tv``, ``score`` 1 − that."""

    column: str
    kind: str
    metric: str
    statistic: float

    @property
    def score(self) -> float:
        """1 − the statistic: 1 for identical marginals, 0 for disjoint ones."""
        return 1.0 - self.statistic


@dataclass(frozen=True)
class PairScore:
    """One pair's score; ``real``/``synthetic`` are the correlations of a numeric pair."""

    left: str
    right: str
    metric: str
    score: float
    real: float | None = None
    synthetic: float | None = None


@dataclass(frozen=True)
class Fidelity:
    """Per-column and per-pair scores, with their means as the headline numbers."""

    columns: tuple[ColumnScore, ...]
    pairs: tuple[PairScore, ...]

    @property
    def column_shape(self) -> float:
        """Mean column score."""
        return float(np.mean([c.score for c in self.columns]))

    @property
    def column_pairs(self) -> float | None:
        """Mean pair score (``None`` for a one-column table)."""
        return float(np.mean([p.score for p in self.pairs])) if self.pairs else None


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample KS statistic of float arrays, NaN an atom below every value."""
    a_missing, b_missing = np.isnan(a), np.isnan(b)
    present_a, present_b = np.sort(a[~a_missing]), np.sort(b[~b_missing])
    gap = abs(a_missing.mean() - b_missing.mean())
    grid = np.concatenate([present_a, present_b])
    if grid.size == 0:
        return float(gap)
    cdf_a = (a_missing.sum() + np.searchsorted(present_a, grid, side="right")) / len(a)
    cdf_b = (b_missing.sum() + np.searchsorted(present_b, grid, side="right")) / len(b)
    return float(max(gap, np.max(np.abs(cdf_a - cdf_b))))


def tv_distance(a: np.ndarray, b: np.ndarray, n_codes: int) -> float:
    """Total variation distance between the shares of integer codes ``0..n_codes-1``."""
    p = np.bincount(a, minlength=n_codes) / len(a)
    q = np.bincount(b, minlength=n_codes) / len(b)
    return float(0.5 * np.abs(p - q).sum())


def bin_codes(real: np.ndarray, others: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Codes of numeric arrays in the real column's decile bins (NaN: the last code), and
    the bin edges."""
    present = real[~np.isnan(real)]
    if present.size == 0:
        edges = np.array([0.0, 0.0])
    else:
        edges = np.unique(np.quantile(present, np.linspace(0, 1, N_BINS + 1)))
    inner = edges[1:-1]
    out = []
    for values in [real, *others]:
        codes = np.searchsorted(inner, values, side="right")
        codes[np.isnan(values)] = len(inner) + 1
        out.append(codes)
    return out, edges


def _column_codes(aligned: Aligned, name: str, kind: str) -> tuple[np.ndarray, np.ndarray, int]:
    real, synthetic = aligned.values[0][name], aligned.values[1][name]
    if kind == "numeric":
        (a, b), edges = bin_codes(real, [synthetic])
        return a, b, len(edges) + 1
    (a, b), labels = category_codes([real, synthetic])
    return a, b, len(labels)


def _spearman(values: dict[str, np.ndarray], names: list[str]) -> pd.DataFrame:
    ranks = pd.DataFrame({n: values[n] for n in names}).rank()
    return ranks.corr(method="pearson").fillna(0.0)


def _pair_scores(aligned: Aligned) -> tuple[PairScore, ...]:
    kinds = {c.name: c.kind for c in aligned.columns}
    numeric = [c.name for c in aligned.columns if c.kind == "numeric"]
    corr_real = _spearman(aligned.values[0], numeric) if len(numeric) > 1 else None
    corr_synth = _spearman(aligned.values[1], numeric) if len(numeric) > 1 else None
    codes = {c.name: _column_codes(aligned, c.name, c.kind) for c in aligned.columns}
    pairs = []
    for left, right in combinations(aligned.names, 2):
        if kinds[left] == kinds[right] == "numeric":
            rho_real = float(corr_real.loc[left, right])
            rho_synth = float(corr_synth.loc[left, right])
            score = 1.0 - abs(rho_real - rho_synth) / 2
            pairs.append(PairScore(left, right, "correlation", score, rho_real, rho_synth))
            continue
        a_left, b_left, n_left = codes[left]
        a_right, b_right, n_right = codes[right]
        tv = tv_distance(a_left * n_right + a_right, b_left * n_right + b_right, n_left * n_right)
        pairs.append(PairScore(left, right, "contingency", 1.0 - tv))
    return tuple(pairs)


def fidelity(aligned: Aligned) -> Fidelity:
    """Column-shape and column-pair scores of the synthetic table against the real one."""
    columns = []
    for column in aligned.columns:
        real, synthetic = aligned.values[0][column.name], aligned.values[1][column.name]
        if column.kind == "numeric":
            columns.append(ColumnScore(column.name, "numeric", "ks", ks_statistic(real, synthetic)))
        else:
            (a, b), labels = category_codes([real, synthetic])
            columns.append(
                ColumnScore(column.name, column.kind, "tv", tv_distance(a, b, len(labels)))
            )
    return Fidelity(tuple(columns), _pair_scores(aligned))
