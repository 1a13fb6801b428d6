"""The marginals: NB means and dispersions, normal and log-normal parameters recovered."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.data_generators.clinic import generate_cohort


@pytest.fixture(scope="module")
def rnaseq():
    spec = {"patients": 40000, "genes": {"count": 6}, "proteins": {"count": 4}, "control_share": 1}
    return generate_cohort(spec, seed=11)


def test_rnaseq_genes_are_negative_binomial_with_their_mean_and_dispersion(rnaseq):
    counts = rnaseq.genes.iloc[:, 2:].to_numpy()
    assert counts.dtype == np.int32 and counts.min() >= 0
    mean = np.array(rnaseq.parameters["gene_mean"])
    dispersion = np.array(rnaseq.parameters["gene_dispersion"])
    se = np.sqrt((mean + dispersion * mean**2) / counts.shape[0])
    assert np.all(np.abs(counts.mean(axis=0) - mean) < 4 * se)
    fitted = (counts.var(axis=0) - counts.mean(axis=0)) / counts.mean(axis=0) ** 2
    assert fitted == pytest.approx(dispersion, rel=0.12)
    for j in range(3):  # the whole distribution, not just two moments
        r = 1 / dispersion[j]
        expected = stats.nbinom(r, r / (r + mean[j]))
        grid = np.unique(np.quantile(counts[:, j], [0.1, 0.3, 0.5, 0.7, 0.9]))
        empirical = (counts[:, j][:, None] <= grid).mean(axis=0)
        assert empirical == pytest.approx(expected.cdf(grid), abs=0.01)


def test_proteins_are_log_normal_with_their_mu_and_sigma(rnaseq):
    logs = np.log(rnaseq.proteins.iloc[:, 2:].to_numpy(dtype=float))
    assert logs.mean(axis=0) == pytest.approx(rnaseq.parameters["protein_mu"], abs=0.01)
    assert logs.std(axis=0) == pytest.approx(rnaseq.parameters["protein_sigma"], rel=0.02)


def test_microarray_genes_are_normal_with_their_loc_and_scale():
    spec = {
        "patients": 40000,
        "genes": {"count": 5, "kind": "microarray"},
        "proteins": {"count": 0},
    }
    cohort = generate_cohort({**spec, "control_share": 1}, seed=2)
    values = cohort.genes.iloc[:, 2:].to_numpy(dtype=float)
    assert values.mean(axis=0) == pytest.approx(cohort.parameters["gene_loc"], abs=0.03)
    assert values.std(axis=0) == pytest.approx(cohort.parameters["gene_scale"], rel=0.02)
    assert (
        stats.kstest(
            values[:, 0],
            "norm",
            args=(cohort.parameters["gene_loc"][0], cohort.parameters["gene_scale"][0]),
        ).pvalue
        > 0.01
    )


def test_demographics_follow_their_spec():
    spec = {
        "patients": 20000,
        "genes": {"count": 1},
        "proteins": {"count": 0},
        "demographics": {
            "age": {"mean": 50, "sd": 10},
            "male_share": 0.3,
            "custom": {"visits_per_year": {"distribution": "poisson", "mu": 3}},
        },
    }
    clinical = generate_cohort(spec, seed=4).clinical
    assert clinical["age"].mean() == pytest.approx(50, abs=0.3)
    assert clinical["age"].std() == pytest.approx(10, rel=0.03)
    assert (clinical["sex"] == "M").mean() == pytest.approx(0.3, abs=0.015)
    assert clinical["visits_per_year"].mean() == pytest.approx(3, abs=0.05)
    assert clinical["visits_per_year"].var() == pytest.approx(3, rel=0.05)
