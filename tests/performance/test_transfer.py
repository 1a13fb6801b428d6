"""The transfer error: what an estimate's errors on shifted parts hold beyond sampling noise."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.performance.transfer import MIN_GROUP, folds_of, shift_groups, transfer_error


def test_pure_sampling_noise_gives_no_transfer_error_and_a_bias_gives_it_back():
    rng = np.random.default_rng(0)
    variance = np.full(2000, 0.02**2)
    noise = rng.normal(0, 0.02, 2000)
    assert transfer_error(noise, variance) < 0.002
    biased = noise + rng.choice([-0.03, 0.03], 2000)
    assert transfer_error(biased, variance) == pytest.approx(0.03, abs=0.002)
    assert transfer_error(np.array([np.nan]), np.array([1.0])) == 0.0


def test_groups_are_the_outer_quarters_of_each_usable_column():
    rng = np.random.default_rng(1)
    matrix = np.c_[rng.normal(size=400), np.zeros(400), rng.normal(size=400)]
    matrix[:10, 2] = np.nan
    groups = shift_groups(matrix)
    assert len(groups) == 4  # the constant column has no quarters
    low = groups[0]
    assert low.sum() == 100 and matrix[low, 0].max() <= np.quantile(matrix[:, 0], 0.25)
    assert shift_groups(matrix[: 2 * MIN_GROUP - 1]) == []  # too few rows for a quarter


def test_folds_are_balanced_and_seeded():
    folds = folds_of(300, seed=4)
    assert np.bincount(folds).tolist() == [100, 100, 100]
    assert (folds == folds_of(300, seed=4)).all() and not (folds == folds_of(300, seed=5)).all()
