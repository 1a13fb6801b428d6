from __future__ import annotations

import numpy as np
import pytest

from calmops.drift.multivariate import classifier_test, mmd_test, standardise


def test_mmd_is_calibrated_enough_and_seeded():
    rng = np.random.default_rng(0)
    hits = sum(
        mmd_test(rng.normal(size=(60, 3)), rng.normal(size=(60, 3)), n_permutations=99).drift
        for _ in range(60)
    )
    assert hits <= 8  # expected 3 at alpha 0.05; binomial(60, 0.05) > 8 has p ~ 0.007
    x, y = rng.normal(size=(100, 2)), rng.normal(size=(100, 2))
    assert mmd_test(x, y, seed=4) == mmd_test(x, y, seed=4)


def test_mmd_sees_a_change_of_correlation_that_marginals_miss():
    rng = np.random.default_rng(1)
    x = rng.multivariate_normal([0, 0], [[1, 0.9], [0.9, 1]], 400)
    y = rng.multivariate_normal([0, 0], [[1, -0.9], [-0.9, 1]], 400)
    result = mmd_test(x, y)
    assert result.drift and result.p_value < 0.01


def test_mmd_caps_the_sample_size():
    rng = np.random.default_rng(2)
    result = mmd_test(rng.normal(size=(5000, 2)), rng.normal(size=(7000, 2)), max_samples=300)
    assert result.details["n_reference"] == result.details["n_current"] == 300


@pytest.mark.slow  # a rate over many seeded repetitions
def test_classifier_false_alarm_rate():
    rng = np.random.default_rng(10)
    alarms = sum(
        classifier_test(rng.normal(size=(150, 2)), rng.normal(size=(150, 2)), seed=i).drift
        for i in range(30)
    )
    assert alarms <= 5  # expected 1.5 at alpha 0.05; binomial(30, 0.05) > 5 has p ~ 0.003


def test_classifier_auc_and_bound():
    rng = np.random.default_rng(3)
    same = classifier_test(rng.normal(size=(300, 3)), rng.normal(size=(300, 3)))
    assert not same.drift and same.statistic == pytest.approx(0.5, abs=0.06)
    # 150 held-out rows per side
    assert same.threshold == pytest.approx(0.5 + 1.6449 * np.sqrt(301 / (12 * 150 * 150)), rel=1e-3)
    moved = classifier_test(rng.normal(size=(300, 3)), rng.normal(0.5, size=(300, 3)))
    assert moved.drift and moved.statistic > same.threshold


def test_standardise_fills_missing_with_the_reference_mean():
    x = np.array([[1.0, np.nan], [3.0, np.inf]])
    z = standardise(x, np.array([2.0, 0.0]), np.array([1.0, 0.0]))
    assert z.tolist() == [[-1.0, 0.0], [1.0, 0.0]]
