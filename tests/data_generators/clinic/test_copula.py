"""Correlation: modules and links reached, block structure kept, bad matrices repaired."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.data_generators.clinic import (
    CorrelationRepairWarning,
    generate_cohort,
    nearest_correlation,
)

SPEC = {
    "patients": 20000,
    "control_share": 1,
    "genes": {"count": 30, "kind": "microarray"},
    "proteins": {"count": 10},
    "modules": [
        {"name": "a", "columns": ["G_0..G_9"], "correlation": 0.6},
        {"name": "b", "columns": ["G_10..G_19", "P_0..P_4"], "correlation": 0.3},
    ],
    "links": [{"columns": ["age"], "with": ["G_20..G_24"], "correlation": 0.4}],
}


@pytest.fixture(scope="module")
def cohort():
    return generate_cohort(SPEC, seed=5)


@pytest.mark.filterwarnings("error::calmops.data_generators.clinic.CorrelationRepairWarning")
def test_modules_and_links_reach_their_correlation(cohort, normal_scores):
    wide = cohort.wide()
    z = normal_scores(wide[["age", *[f"G_{i}" for i in range(30)], "P_0", "P_1"]].to_numpy(float))
    r = np.corrcoef(z.T)
    genes = r[1:31, 1:31]
    inside_a = genes[:10, :10][~np.eye(10, dtype=bool)]
    inside_b = genes[10:20, 10:20][~np.eye(10, dtype=bool)]
    assert inside_a == pytest.approx(0.6, abs=0.03)
    assert inside_b == pytest.approx(0.3, abs=0.03)
    assert r[31:, 11:20].ravel() == pytest.approx(0.3, abs=0.03)  # proteins in module b
    assert np.abs(genes[:10, 10:]).max() < 0.05  # no correlation across modules
    assert np.abs(genes[20:, :20]).max() < 0.05  # genes outside every module are free
    assert r[0, 21:26] == pytest.approx(0.4, abs=0.04)  # age with G_20..G_24 (age is rounded)
    assert np.abs(r[0, 1:21]).max() < 0.05


def test_rnaseq_module_correlation_on_normal_scores(normal_scores):
    spec = {
        "patients": 20000,
        "control_share": 1,
        "genes": {"count": 8, "mean_log": 6.0, "mean_log_sd": 0.2},
        "proteins": {"count": 0},
        "modules": [{"name": "m", "columns": ["G_0..G_7"], "correlation": 0.5}],
    }
    counts = generate_cohort(spec, seed=8).genes.iloc[:, 2:].to_numpy(float)
    r = np.corrcoef(normal_scores(counts).T)[~np.eye(8, dtype=bool)]
    assert r == pytest.approx(0.5, abs=0.03)


def test_a_matrix_that_is_not_positive_definite_is_repaired_with_a_warning(normal_scores):
    spec = {
        "patients": 5000,
        "control_share": 1,
        "genes": {"count": 3, "kind": "microarray"},
        "proteins": {"count": 0},
        "modules": [
            {"name": "ab", "columns": ["G_0", "G_1"], "correlation": 0.9},
            {"name": "bc", "columns": ["G_1", "G_2"], "correlation": 0.9},
            {"name": "ac", "columns": ["G_0", "G_2"], "correlation": -0.9},
        ],
    }
    with pytest.warns(CorrelationRepairWarning, match="not positive semi-definite.*nearest valid"):
        cohort = generate_cohort(spec, seed=1)
    requested = np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    nearest = nearest_correlation(requested)
    r = np.corrcoef(normal_scores(cohort.genes.iloc[:, 2:].to_numpy(float)).T)
    assert r == pytest.approx(nearest, abs=0.03)


def test_nearest_correlation_is_a_valid_and_close_correlation_matrix():
    rng = np.random.default_rng(0)
    noisy = np.clip(np.corrcoef(rng.standard_normal((6, 8))) + rng.normal(0, 0.3, (6, 6)), -1, 1)
    noisy = (noisy + noisy.T) / 2
    np.fill_diagonal(noisy, 1)
    fixed = nearest_correlation(noisy)
    assert np.linalg.eigvalsh(fixed)[0] > 0
    assert np.diag(fixed) == pytest.approx(np.ones(6))
    valid = nearest_correlation(fixed)  # a valid matrix stays (nearly) where it is
    assert valid == pytest.approx(fixed, abs=1e-5)


def test_a_negative_module_correlation_is_reached_without_a_factor(normal_scores):
    spec = {
        "patients": 20000,
        "control_share": 1,
        "genes": {"count": 6, "kind": "microarray"},
        "proteins": {"count": 0},
        "modules": [{"name": "m", "columns": ["G_0..G_5"], "correlation": -0.15}],
    }
    values = generate_cohort(spec, seed=3).genes.iloc[:, 2:].to_numpy(float)
    r = np.corrcoef(values.T)[~np.eye(6, dtype=bool)]
    assert r == pytest.approx(-0.15, abs=0.02)
