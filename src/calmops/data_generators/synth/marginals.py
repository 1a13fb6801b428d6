"""The distribution of one numeric column: a smoothed empirical law or a fitted scipy family.

:func:`fit_marginal` learns a column's values (floats, NaN already removed) and returns a
marginal with vectorised ``cdf``, ``cdf_left`` (the CDF just below ``x``, which differs from
``cdf`` only at atoms) and ``ppf``; ``ppf(cdf(x)) ≈ x``. Choices (``marginal=``):

- ``"empirical"``: a Gaussian-kernel-smoothed CDF (bandwidth ``smoothing`` × Silverman's
  rule), reflected at the ends of the column's range, inverted by interpolation on a grid
  that follows the data's quantiles. Values holding at least ``atom_share`` of the column
  (a spike at 0, a few repeated amounts) stay atoms: the CDF jumps there and ``ppf``
  returns them exactly.
  ``smoothing=0`` interpolates the empirical CDF linearly between order statistics.
- a family — ``norm``, ``lognorm``, ``gamma``, ``beta`` (on the range), ``truncnorm`` (on the
  range), ``uniform`` — fitted by maximum likelihood on standardized values (at most
  ``MAX_FIT`` of them, a seeded subsample); ``lognorm`` and ``gamma`` start just below the
  minimum (or at 0 when every value is positive, whichever fits better).
- ``"auto"`` (default): the family with the smallest Kolmogorov-Smirnov statistic, kept only
  if a KS test at the 1% level does not reject it (statistic ≤ 1.63/√n, with n capped at
  ``KS_ROWS``: past that, a gap under 1.6% is kept as a fit); else the empirical. Real
  columns seldom pass, so ``auto`` is mostly empirical on them, parametric on small or
  textbook ones.

Examples
--------
>>> import numpy as np
>>> x = np.random.default_rng(0).gamma(2.0, 1.5, 2_000)
>>> m = fit_marginal(x, "auto")
>>> m.family, bool(m.ks < 0.03)
('gamma', True)
>>> e = fit_marginal(x, "empirical")
>>> round(float(e.ppf(e.cdf(np.array([2.0])))[0]), 2)
2.0
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from scipy import optimize, special, stats

from calmops.errors import DataValidationError, RegistryError
from calmops.registry import unknown_name

__all__ = [
    "FAMILIES",
    "MARGINALS",
    "EmpiricalMarginal",
    "Marginal",
    "ParametricMarginal",
    "fit_empirical",
    "fit_marginal",
    "ks_distance",
]

FAMILIES = ("norm", "lognorm", "gamma", "beta", "truncnorm", "uniform")
MARGINALS = ("auto", "empirical", *FAMILIES)
MAX_FIT = 2_000
"""At most this many values (a seeded subsample) are used to fit a family."""
MAX_CENTERS = 1_000
"""At most this many kernel centres (the data's quantiles) smooth an empirical CDF."""
KS_ROWS = 10_000
"""``auto`` keeps a family whose KS distance passes a 1% test at this many rows at most."""
_GRID = 257
_EPS = 1e-9


class Marginal(Protocol):
    """A fitted one-column distribution (see the module docstring)."""

    family: str
    ks: float

    def cdf(self, x: np.ndarray) -> np.ndarray: ...
    def cdf_left(self, x: np.ndarray) -> np.ndarray: ...
    def ppf(self, u: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True, eq=False)
class EmpiricalMarginal:
    """A smoothed empirical CDF with atoms; ``ks`` is its KS statistic on the fitted values."""

    grid: np.ndarray  # strictly increasing x of the continuous part
    grid_cdf: np.ndarray  # its CDF, 0 → 1
    atoms: np.ndarray  # values with a point mass, increasing
    atom_mass: np.ndarray  # their probabilities
    knots_u: np.ndarray  # ppf knots (CDF levels, non-decreasing) ...
    knots_x: np.ndarray  # ... and the values they map to
    ks: float = 0.0
    family: str = "empirical"

    def _continuous(self, x: np.ndarray) -> np.ndarray:
        rest = 1.0 - self.atom_mass.sum()
        return rest * np.interp(x, self.grid, self.grid_cdf) if rest > 0 else np.zeros_like(x)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """P(X ≤ x)."""
        x = np.asarray(x, dtype=float)
        mass = np.concatenate([[0.0], np.cumsum(self.atom_mass)])
        return self._continuous(x) + mass[np.searchsorted(self.atoms, x, side="right")]

    def cdf_left(self, x: np.ndarray) -> np.ndarray:
        """P(X < x)."""
        x = np.asarray(x, dtype=float)
        mass = np.concatenate([[0.0], np.cumsum(self.atom_mass)])
        return self._continuous(x) + mass[np.searchsorted(self.atoms, x, side="left")]

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The smallest x with P(X ≤ x) ≥ u (interpolated between grid points)."""
        return np.interp(np.asarray(u, dtype=float), self.knots_u, self.knots_x)


@dataclass(frozen=True, eq=False)
class ParametricMarginal:
    """A scipy family fitted on ``(x - center) / scale``, clipped to ``[low, high]``."""

    family: str
    dist: stats.rv_continuous  # frozen, on the standardized scale
    center: float
    scale: float
    low: float
    high: float
    ks: float = 0.0

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """P(X ≤ x)."""
        z = (np.asarray(x, dtype=float) - self.center) / self.scale
        return np.clip(self.dist.cdf(z), 0.0, 1.0)

    cdf_left = cdf

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The quantile at ``u``, inside the fitted range."""
        u = np.clip(np.asarray(u, dtype=float), _EPS, 1 - _EPS)
        x = self.center + self.scale * self.dist.ppf(u)
        return np.clip(np.nan_to_num(x, nan=self.center), self.low, self.high)


def fit_marginal(
    values: np.ndarray,
    marginal: str = "auto",
    smoothing: float = 0.5,
    atom_share: float = 0.05,
    seed: int = 0,
) -> Marginal:
    """The marginal of ``values`` (NaN dropped) chosen by ``marginal`` (see the module).

    A DataValidationError when no value is left, a value is infinite or ``smoothing`` is
    negative; a RegistryError for an unknown ``marginal``.
    """
    if marginal not in MARGINALS:
        raise RegistryError(unknown_name("marginal", marginal, MARGINALS))
    if smoothing < 0:
        raise DataValidationError(f"smoothing must be ≥ 0 (got {smoothing})")
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if np.isinf(x).any():
        raise DataValidationError(
            "cannot fit a marginal to infinite values; replace them (NaN if they mean missing)"
        )
    if x.size == 0:
        raise DataValidationError("cannot fit a marginal to a column without values")
    if marginal == "empirical" or np.ptp(x) == 0:
        return fit_empirical(x, smoothing, atom_share)
    rng = np.random.default_rng(seed)
    fit_on = rng.choice(x, MAX_FIT, replace=False) if x.size > MAX_FIT else x
    families = FAMILIES if marginal == "auto" else (marginal,)
    fitted = [m for m in (_fit_family(f, fit_on, x) for f in families) if m is not None]
    if marginal != "auto":
        if not fitted:
            raise DataValidationError(f"cannot fit a {marginal} distribution to these values")
        return fitted[0]
    best = min(fitted, key=lambda m: m.ks, default=None)
    if best is not None and best.ks <= 1.63 / np.sqrt(min(x.size, KS_ROWS)):
        return best
    return fit_empirical(x, smoothing, atom_share)


def fit_empirical(x: np.ndarray, smoothing: float, atom_share: float) -> EmpiricalMarginal:
    """The smoothed empirical marginal of ``x`` (finite floats)."""
    uniq, counts = np.unique(x, return_counts=True)
    is_atom = counts / x.size >= atom_share
    if (~is_atom).sum() < 2:  # a single non-atom value is an atom too
        is_atom[:] = True
    atoms, mass = uniq[is_atom], counts[is_atom] / x.size
    rest = x[~np.isin(x, atoms)] if not is_atom.all() else np.array([])
    low, high = float(x.min()), float(x.max())
    grid, grid_cdf = _continuous_cdf(rest, low, high, smoothing)
    knots_u, knots_x = _ppf_knots(grid, grid_cdf, atoms, mass)
    m = EmpiricalMarginal(grid, grid_cdf, atoms, mass, knots_u, knots_x)
    return replace(m, ks=ks_distance(x, m))


def ks_distance(x: np.ndarray, marginal: Marginal) -> float:
    """The Kolmogorov-Smirnov distance between the values ``x`` and ``marginal``.

    Both sides of every jump are compared, so atoms are scored right (unlike
    ``scipy.stats.kstest``, which assumes a continuous CDF); at most 5,000 evenly spaced
    order statistics are used.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=1_000)
    >>> m = fit_marginal(x, "norm")
    >>> bool(abs(ks_distance(x, m) - stats.kstest(x, m.cdf).statistic) < 1e-3)
    True
    """
    ordered = np.sort(x)
    points = np.unique(ordered[:: max(1, x.size // 5_000)])
    below = np.searchsorted(ordered, points, side="left") / x.size
    upto = np.searchsorted(ordered, points, side="right") / x.size
    with np.errstate(all="ignore"):
        gaps = np.abs(np.r_[upto - marginal.cdf(points), below - marginal.cdf_left(points)])
    return float(np.nanmax(gaps)) if np.isfinite(gaps).any() else np.inf


def _continuous_cdf(
    rest: np.ndarray, low: float, high: float, smoothing: float
) -> tuple[np.ndarray, np.ndarray]:
    """Grid and CDF of the kernel-smoothed, range-truncated law of the non-atom values."""
    if rest.size < 2:
        return np.array([low, high + 1.0]), np.array([0.0, 1.0])
    probs = (np.arange(min(rest.size, MAX_CENTERS)) + 0.5) / min(rest.size, MAX_CENTERS)
    centers = np.quantile(rest, probs) if rest.size > MAX_CENTERS else np.sort(rest)
    spread = min(rest.std(), stats.iqr(rest) / 1.349) or rest.std()
    h = smoothing * 1.06 * spread * rest.size ** (-0.2)
    if h <= 0:  # linear interpolation of the empirical CDF
        grid, first = np.unique(centers, return_index=True)
        levels = np.linspace(0.0, 1.0, centers.size)[first]
        levels[-1] = 1.0
        if grid.size > 1:
            return grid, levels
        return np.array([low, high + 1.0]), np.array([0.0, 1.0])
    grid = np.unique(np.concatenate([np.linspace(low, high, _GRID), centers]))
    # reflect the centres near each end, so the truncated density keeps its height there
    near_low, near_high = centers[centers < low + 4 * h], centers[centers > high - 4 * h]
    mirrored = np.concatenate([centers, 2 * low - near_low, 2 * high - near_high])
    kernel = special.ndtr((grid[:, None] - mirrored[None, :]) / h).sum(axis=1)
    cdf = (kernel - kernel[0]) / max(kernel[-1] - kernel[0], _EPS)
    return grid, np.maximum.accumulate(np.clip(cdf, 0.0, 1.0))


def _ppf_knots(
    grid: np.ndarray, grid_cdf: np.ndarray, atoms: np.ndarray, mass: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Knots (u, x) of the inverse CDF: each atom is a vertical step of its mass."""
    rest = 1.0 - mass.sum()
    xs = np.unique(np.concatenate([grid, atoms])) if rest > 0 else atoms
    cum = np.concatenate([[0.0], np.cumsum(mass)])
    cont = rest * np.interp(xs, grid, grid_cdf) if rest > 0 else np.zeros_like(xs)
    left = cont + cum[np.searchsorted(atoms, xs, side="left")]
    right = cont + cum[np.searchsorted(atoms, xs, side="right")]
    knots_u = np.column_stack([left, right]).ravel()
    knots_x = np.repeat(xs, 2)
    return knots_u, knots_x


def _fit_family(family: str, fit_on: np.ndarray, x: np.ndarray) -> ParametricMarginal | None:
    """``family`` fitted on standardized ``fit_on``, scored by KS on ``x``; None if it fails."""
    center, scale = float(fit_on.mean()), float(fit_on.std()) or 1.0
    z = (fit_on - center) / scale
    low, high = float(x.min()), float(x.max())
    zlo, zhi = (low - center) / scale, (high - center) / scale
    pad = (zhi - zlo) * 1e-3
    with np.errstate(all="ignore"):
        try:
            candidates = _candidates(family, z, zlo, zhi, pad, -center / scale if low > 0 else None)
        except (ValueError, RuntimeError, FloatingPointError):
            return None
    scored = []
    for dist in candidates:
        m = ParametricMarginal(family, dist, center, scale, low, high)
        ks = ks_distance(x, m)
        if np.isfinite(ks):
            scored.append(replace(m, ks=ks))
    return min(scored, key=lambda m: m.ks, default=None)


def _candidates(
    family: str, z: np.ndarray, zlo: float, zhi: float, pad: float, zero: float | None
) -> list:
    """Frozen scipy distributions of ``family`` fitted to ``z`` (one per start point)."""
    if family == "norm":
        return [stats.norm(*stats.norm.fit(z))]
    if family == "uniform":
        return [stats.uniform(zlo, zhi - zlo)]
    if family == "beta":
        a, b, loc, sc = stats.beta.fit(z, floc=zlo - pad, fscale=zhi - zlo + 2 * pad)
        return [stats.beta(a, b, loc, sc)]
    if family == "truncnorm":
        return [_fit_truncnorm(z, zlo - pad, zhi + pad)]
    locs = [zlo - pad] + ([zero] if zero is not None and zero < zlo else [])
    law = stats.lognorm if family == "lognorm" else stats.gamma
    return [law(*law.fit(z, floc=loc)) for loc in locs]


def _fit_truncnorm(z: np.ndarray, lo: float, hi: float) -> stats.rv_continuous:
    """A normal truncated to [lo, hi], its location and scale by maximum likelihood."""

    def nll(theta: np.ndarray) -> float:
        mu, sigma = theta[0], np.exp(theta[1])
        a, b = (lo - mu) / sigma, (hi - mu) / sigma
        return -float(stats.truncnorm.logpdf(z, a, b, mu, sigma).sum())

    res = optimize.minimize(nll, [z.mean(), np.log(z.std())], method="Nelder-Mead")
    mu, sigma = res.x[0], float(np.exp(res.x[1]))
    return stats.truncnorm((lo - mu) / sigma, (hi - mu) / sigma, mu, sigma)
