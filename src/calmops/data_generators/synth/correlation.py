"""The correlation of normal scores: pairwise over present rows, undamped, repaired.

Helpers of the Gaussian copula (:mod:`.gaussian_copula`): :func:`pairwise_correlation` takes
each pair of columns over the rows where both are present; :func:`score_attenuation` says how
much a jittered score of a binned (discrete) column dampens a latent correlation, so it can be
divided out; :func:`nearest_correlation` makes the result a valid, positive definite
correlation matrix.

References
----------
Rebonato, R., Jäckel, P. (1999). The most general methodology to create a valid correlation
matrix for risk management and option pricing purposes. *Journal of Risk* 2(2).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["nearest_correlation", "pairwise_correlation", "score_attenuation"]


def score_attenuation(low: np.ndarray, high: np.ndarray) -> float:
    """``corr(Z, s)`` for a standard normal ``Z`` and its score ``s``, when ``Z`` is only
    known to lie in a bin ``[Φ⁻¹(low), Φ⁻¹(high)]`` (each pair a bin; the rest of the line is
    seen exactly) and ``s`` is a uniform-jittered normal score inside its bin.

    Jitter is independent of every other column, so two such scores correlate about
    ``ρ · a_i · a_j`` for a latent correlation ``ρ`` (first order); the copula divides the
    score correlation by ``a_i · a_j`` so that *binning* a latent draw at sampling time
    gives back the observed correlation instead of damping it twice. A bin ``[l, h]`` takes
    ``∫ z² φ − (φ(l) − φ(h))² / p`` off 1 (its within-bin variance).

    Examples
    --------
    >>> round(score_attenuation(np.array([0.0, 0.5]), np.array([0.5, 1.0])), 4)  # 2/π
    0.6366
    >>> score_attenuation(np.array([]), np.array([]))  # continuous: nothing lost
    1.0
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    keep = high - low > 0
    if not keep.any():
        return 1.0
    low, high = low[keep], high[keep]
    a, b = special.ndtri(low), special.ndtri(high)
    density_a, density_b = np.exp(-(a**2) / 2), np.exp(-(b**2) / 2)
    density_a, density_b = density_a / np.sqrt(2 * np.pi), density_b / np.sqrt(2 * np.pi)
    with np.errstate(invalid="ignore"):
        tails = np.nan_to_num(b * density_b) - np.nan_to_num(a * density_a)
    spread = (high - low) - tails - (density_a - density_b) ** 2 / (high - low)
    return float(np.clip(1.0 - spread.sum(), 1e-3, 1.0))


def pairwise_correlation(z: np.ndarray) -> np.ndarray:
    """Pearson correlation of the columns of ``z``, each pair over the rows where both are
    present (NaN = missing); pairs with fewer than 3 such rows or no spread get 0.

    Examples
    --------
    >>> z = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 7.0], [4.0, 8.0], [5.0, 9.5]])
    >>> both = np.corrcoef([1, 3, 4, 5], [2, 7, 8, 9.5])[0, 1]
    >>> bool(np.isclose(pairwise_correlation(z)[0, 1], both))
    True
    """
    present = ~np.isnan(z)
    mask, x = present.astype(float), np.where(present, z, 0.0)
    with np.errstate(all="ignore"):
        pairs = mask.T @ mask
        mean = (x.T @ mask) / pairs  # mean[i, j]: column i over rows where j is present
        square = ((x * x).T @ mask) / pairs
        cov = (x.T @ x) / pairs - mean * mean.T
        corr = cov / np.sqrt((square - mean**2) * (square - mean**2).T)
    corr[~np.isfinite(corr) | (pairs < 3)] = 0.0
    np.fill_diagonal(corr, 1.0)
    return np.clip(corr, -1.0, 1.0)


def nearest_correlation(corr: np.ndarray, floor: float = 1e-8) -> np.ndarray:
    """``corr`` if positive definite, else its eigenvalues clipped at ``floor`` and the
    result rescaled to a unit diagonal (Rebonato & Jäckel 1999).

    Examples
    --------
    >>> bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    >>> bool(np.linalg.eigvalsh(nearest_correlation(bad)).min() > 0)
    True
    """
    corr = (corr + corr.T) / 2
    if corr.size == 0:
        return corr
    values, vectors = np.linalg.eigh(corr)
    if values.min() > floor:
        return corr
    fixed = (vectors * np.clip(values, floor, None)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    fixed = fixed / np.outer(scale, scale)
    np.fill_diagonal(fixed, 1.0)
    return fixed
