"""Correlation helpers of the copula: pairwise-complete, damping of binned scores, repair."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.data_generators.synth.correlation import (
    nearest_correlation,
    pairwise_correlation,
    score_attenuation,
)


def test_score_attenuation_matches_a_simulation():
    rng = np.random.default_rng(14)
    z = rng.normal(size=400_000)
    edges = np.array([0.0, 0.1, 0.45, 0.8, 1.0])
    bins = np.searchsorted(edges, stats.norm.cdf(z), side="right") - 1
    jittered = stats.norm.ppf(edges[bins] + rng.random(z.size) * np.diff(edges)[bins])
    expected = np.corrcoef(z, jittered)[0, 1]
    assert score_attenuation(edges[:-1], edges[1:]) == pytest.approx(expected, abs=0.005)


def test_pairwise_correlation_uses_the_rows_both_columns_have():
    rng = np.random.default_rng(11)
    z = rng.multivariate_normal([0, 0, 0], [[1, 0.5, 0], [0.5, 1, -0.4], [0, -0.4, 1]], 4_000)
    holes = z.copy()
    holes[rng.random(4_000) < 0.3, 0] = np.nan
    corr = pairwise_correlation(holes)
    assert corr == pytest.approx(np.corrcoef(z, rowvar=False), abs=0.05)
    both = ~np.isnan(holes[:, 0])
    assert corr[0, 1] == pytest.approx(np.corrcoef(z[both, 0], z[both, 1])[0, 1])


def test_nearest_correlation_repairs_an_indefinite_matrix():
    bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    fixed = nearest_correlation(bad)
    assert np.linalg.eigvalsh(fixed).min() > 0
    assert np.diag(fixed) == pytest.approx(np.ones(3))
    good = np.array([[1.0, 0.3], [0.3, 1.0]])
    assert nearest_correlation(good) == pytest.approx(good)
