"""Marginals: fitted laws recover known distributions (KS bounds), atoms, round trips, errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.data_generators.synth.marginals import (
    FAMILIES,
    EmpiricalMarginal,
    ParametricMarginal,
    fit_marginal,
    ks_distance,
)
from calmops.errors import DataValidationError, RegistryError

N = 5_000
LAWS = {
    "norm": stats.norm(3.0, 2.0),
    "lognorm": stats.lognorm(0.6),
    "gamma": stats.gamma(2.0, scale=1.5),
    "beta": stats.beta(2.0, 5.0),
    "uniform": stats.uniform(1.0, 3.0),
}


def _draw(marginal, n=N, seed=1):
    return marginal.ppf(np.random.default_rng(seed).random(n))


@pytest.mark.parametrize("law", sorted(LAWS))
@pytest.mark.parametrize("mode", ["auto", "empirical"])
def test_samples_follow_the_true_law(law, mode):
    x = LAWS[law].rvs(N, random_state=0)
    marginal = fit_marginal(x, mode)
    synthetic = _draw(marginal)
    # against the true law, not only the fitted sample: the fit generalises
    assert stats.kstest(synthetic, LAWS[law].cdf).pvalue > 0.001
    assert stats.ks_2samp(x, synthetic).statistic < 0.03
    assert synthetic.min() >= x.min() and synthetic.max() <= x.max()


@pytest.mark.parametrize("law", ["norm", "gamma", "lognorm", "beta"])
def test_auto_keeps_a_family_that_fits_and_names_it(law):
    x = LAWS[law].rvs(2_000, random_state=2)
    marginal = fit_marginal(x, "auto")
    assert isinstance(marginal, ParametricMarginal)
    assert marginal.family in FAMILIES
    assert marginal.ks <= 1.63 / np.sqrt(x.size)


def test_auto_falls_back_to_empirical_when_no_family_fits():
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(0, 1, 3_000), rng.normal(8, 1, 3_000)]
    marginal = fit_marginal(x, "auto")
    assert isinstance(marginal, EmpiricalMarginal)
    synthetic = _draw(marginal)
    assert stats.ks_2samp(x, synthetic).pvalue > 0.001
    assert np.mean(np.abs(synthetic - 4) < 1.5) < 0.05  # the gap between the modes stays empty


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_fits_on_demand(family):
    x = stats.beta(2.0, 3.0).rvs(2_000, random_state=4) * 10 + 1
    marginal = fit_marginal(x, family)
    assert marginal.family == family
    u = np.linspace(0.01, 0.99, 50)
    q = marginal.ppf(u)
    assert np.all(np.diff(q) >= 0) and q.min() >= x.min() and q.max() <= x.max()
    inside = (q > x.min()) & (q < x.max())  # outside, ppf is clipped to the range
    assert inside.sum() > 25
    assert np.allclose(marginal.cdf(q[inside]), u[inside], atol=1e-3)


def test_normal_family_recovers_its_parameters():
    x = stats.norm(10.0, 3.0).rvs(20_000, random_state=5)
    marginal = fit_marginal(x, "norm")
    synthetic = _draw(marginal, 50_000)
    assert synthetic.mean() == pytest.approx(10.0, abs=0.1)
    assert synthetic.std() == pytest.approx(3.0, rel=0.03)


def test_empirical_keeps_the_variance_and_round_trips():
    x = stats.gamma(3.0).rvs(N, random_state=6)
    marginal = fit_marginal(x, "empirical")
    assert _draw(marginal, 50_000).std() == pytest.approx(x.std(), rel=0.03)
    inner = np.quantile(x, np.linspace(0.05, 0.95, 40))
    assert np.allclose(marginal.ppf(marginal.cdf(inner)), inner, rtol=1e-3, atol=1e-3)
    assert marginal.ks == pytest.approx(stats.kstest(x, marginal.cdf).statistic, abs=2e-3)


def test_atoms_keep_their_mass_exactly_and_the_rest_is_smooth():
    rng = np.random.default_rng(7)
    x = np.r_[np.zeros(3_000), rng.exponential(100.0, 2_000)]
    marginal = fit_marginal(x, "auto")
    synthetic = _draw(marginal, 20_000)
    assert np.mean(synthetic == 0) == pytest.approx(0.6, abs=0.015)
    assert marginal.cdf_left(np.array([0.0]))[0] == 0.0
    assert marginal.cdf(np.array([0.0]))[0] == pytest.approx(0.6)
    positive = synthetic[synthetic > 0]
    assert stats.ks_2samp(x[x > 0], positive).pvalue > 0.001
    assert np.unique(positive).size > 0.99 * positive.size  # no copies of real values


def test_few_distinct_values_are_all_atoms():
    x = np.random.default_rng(8).choice([0.5, 1.5, 2.5], size=3_000, p=[0.2, 0.5, 0.3])
    synthetic = _draw(fit_marginal(x, "empirical"), 20_000)
    values, counts = np.unique(synthetic, return_counts=True)
    real = np.unique(x, return_counts=True)[1] / x.size
    assert values.tolist() == [0.5, 1.5, 2.5]
    assert np.allclose(counts / counts.sum(), real, atol=0.015)


def test_no_smoothing_interpolates_between_order_statistics():
    x = np.arange(1.0, 41.0) ** 2  # 40 distinct values, none an atom
    marginal = fit_marginal(x, "empirical", smoothing=0.0)
    levels = np.arange(40) / 39
    assert np.allclose(marginal.ppf(levels), x)
    assert np.allclose(marginal.ppf((levels[:-1] + levels[1:]) / 2), (x[:-1] + x[1:]) / 2)


def test_constant_values_give_a_point_mass():
    marginal = fit_marginal(np.full(10, 3.5), "auto")
    assert np.all(_draw(marginal, 100) == 3.5)


def test_cdf_and_ppf_are_vectorised_and_ignore_missing():
    x = np.r_[stats.norm().rvs(500, random_state=9), [np.nan, np.nan]]
    marginal = fit_marginal(x, "empirical")
    grid = np.linspace(-2, 2, 12).reshape(3, 4)
    assert marginal.cdf(grid).shape == (3, 4)
    assert marginal.ppf(np.full((2, 5), 0.5)).shape == (2, 5)


def test_ks_distance_matches_scipy_on_a_continuous_law():
    x = stats.norm().rvs(1_000, random_state=10)
    marginal = fit_marginal(x, "norm")
    assert ks_distance(x, marginal) == pytest.approx(
        stats.kstest(x, marginal.cdf).statistic, abs=1e-3
    )


def test_bad_input_is_a_clear_error():
    with pytest.raises(DataValidationError, match="without values"):
        fit_marginal(np.array([np.nan, np.nan]))
    with pytest.raises(RegistryError, match="did you mean 'gamma'"):
        fit_marginal(np.arange(10.0), "gama")
    with pytest.raises(DataValidationError, match="infinite"):
        fit_marginal(np.array([1.0, 2.0, np.inf]))
    with pytest.raises(DataValidationError, match="smoothing"):
        fit_marginal(np.arange(10.0), smoothing=-1)
