"""Omics marginals: per-gene and per-protein parameters, drawn once, and the copula transform.

Genes are RNA-Seq counts, negative binomial with mean ``mu`` and dispersion ``d`` (variance
``mu + d mu^2``), or microarray intensities, normal with ``loc`` and ``scale``. Proteins are
log-normal: ``exp(mu + sigma z)``. The parameters are drawn once per cohort and reused at
every visit, so "the same gene" means the same distribution throughout.

A latent normal ``z`` becomes a count through the NB quantile function. It is computed per
gene as a table of thresholds ``t_k = Phi^-1(F(k))`` (``count = #{k : t_k < z}``), so no
normal CDF is evaluated per value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from calmops.data_generators.clinic.config import GeneSpec, ProteinSpec

__all__ = ["Marginals", "draw_marginals", "gene_values", "protein_values"]


@dataclass(frozen=True)
class Marginals:
    """The fixed parameters of every omics column.

    ``gene_a``/``gene_b`` are (mean, dispersion) for RNA-Seq or (loc, scale) for microarray;
    ``protein_mu``/``protein_sigma`` the log-scale parameters. ``means`` is the expected value
    of every gene then protein (the centre of a ``variance_scale`` effect).
    """

    gene_kind: str
    gene_a: np.ndarray
    gene_b: np.ndarray
    protein_mu: np.ndarray
    protein_sigma: np.ndarray

    @property
    def means(self) -> np.ndarray:
        proteins = np.exp(self.protein_mu + self.protein_sigma**2 / 2)
        return np.concatenate([self.gene_a, proteins])

    def to_dict(self) -> dict[str, list[float]]:
        first, second = ("mean", "dispersion") if self.gene_kind == "rnaseq" else ("loc", "scale")
        return {
            f"gene_{first}": self.gene_a.tolist(),
            f"gene_{second}": self.gene_b.tolist(),
            "protein_mu": self.protein_mu.tolist(),
            "protein_sigma": self.protein_sigma.tolist(),
        }


def draw_marginals(genes: GeneSpec, proteins: ProteinSpec, rng: np.random.Generator) -> Marginals:
    """Draw every column's parameters.

    Examples
    --------
    >>> import numpy as np
    >>> m = draw_marginals(GeneSpec(count=3), ProteinSpec(count=2), np.random.default_rng(0))
    >>> m.gene_a.shape, m.protein_sigma.shape, bool((m.gene_b >= 0.1).all())
    ((3,), (2,), True)
    """
    if genes.kind == "rnaseq":
        a = np.maximum(np.exp(rng.normal(genes.mean_log, genes.mean_log_sd, genes.count)), 0.5)
        b = rng.uniform(*genes.dispersion, genes.count)
    else:
        a = rng.normal(genes.loc_mean, genes.loc_sd, genes.count)
        b = rng.uniform(*genes.scale, genes.count)
    mu = rng.normal(proteins.log_mean, proteins.log_mean_sd, proteins.count)
    sigma = rng.uniform(*proteins.sigma, proteins.count)
    return Marginals(genes.kind, a, b, mu, sigma)


def gene_values(latents: list[np.ndarray], marginals: Marginals) -> list[np.ndarray]:
    """Gene values (float32) for each visit's latent block, both genes x patients."""
    if marginals.gene_kind == "microarray":
        loc = marginals.gene_a.astype(np.float32)[:, None]
        scale = marginals.gene_b.astype(np.float32)[:, None]
        return [z * scale + loc for z in latents]
    outs = [np.empty(z.shape, dtype=np.float32) for z in latents]
    low = np.minimum.reduce([z.min(axis=1) for z in latents])
    high = np.maximum.reduce([z.max(axis=1) for z in latents])
    for j, (mean, dispersion) in enumerate(zip(marginals.gene_a, marginals.gene_b, strict=True)):
        first, thresholds = nb_thresholds(mean, dispersion, float(low[j]), float(high[j]))
        for z, out in zip(latents, outs, strict=True):
            out[j] = np.searchsorted(thresholds, z[j]) + first
    return outs


def nb_thresholds(
    mean: float, dispersion: float, low: float = -8.0, high: float = 8.0
) -> tuple[int, np.ndarray]:
    """``(k0, t)`` with ``t = Phi^-1(F(k))`` for the counts ``k0, k0 + 1, ...`` that matter.

    Only the thresholds between the latents ``low`` and ``high`` are kept: below ``k0`` all
    of them are under ``low``, so ``count(z) = k0 + #{t < z}`` for any ``low <= z <= high``.
    The CDF is summed from the pmf recurrence ``p(k) = p(k-1) (k - 1 + r) (1 - p) / k``.

    Examples
    --------
    >>> from scipy import stats
    >>> first, t = nb_thresholds(10.0, 0.5)
    >>> r = 2.0
    >>> first, bool(np.allclose(stats.norm.cdf(t[:5]), stats.nbinom.cdf(range(5), r, r / (r + 10))))
    (0, True)
    """
    r = 1.0 / dispersion
    p = r / (r + mean)
    need_low = special.ndtr(max(low, -8.0))
    need_high = min(special.ndtr(min(high, 8.0)), 1 - 1e-12)
    size = int(mean + 8 * np.sqrt(mean + dispersion * mean**2)) + 16
    while True:
        k = np.arange(1, size, dtype=np.float64)
        steps = np.log1p((r - 1.0) / k) + np.log1p(-p)
        log_pmf = np.concatenate(([0.0], np.cumsum(steps))) + r * np.log(p)
        cdf = np.cumsum(np.exp(log_pmf))
        if cdf[-1] >= need_high or size > 1 << 26:
            break
        size *= 2
    first = int(np.searchsorted(cdf, need_low))
    last = min(int(np.searchsorted(cdf, need_high)), size - 1)
    return first, special.ndtri(cdf[first : last + 1]).astype(np.float32)


def protein_values(latents: list[np.ndarray], marginals: Marginals) -> list[np.ndarray]:
    """Log-normal protein values (float32) for each visit's latent block (proteins x n)."""
    mu = marginals.protein_mu.astype(np.float32)[:, None]
    sigma = marginals.protein_sigma.astype(np.float32)[:, None]
    return [np.exp(z * sigma + mu) for z in latents]
