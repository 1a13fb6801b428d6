"""Leaf donors: values come from the leaf a row lands in; smoothing stays inside the range."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.data_generators.synth.leaves import (
    MAX_GROWING_ROWS,
    LeafDonors,
    reflect,
    silverman_bandwidth,
)


def test_donors_come_from_the_leaf_not_the_prediction():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(2000, 1)).astype(np.float32)
    y = np.where(x[:, 0] == 1, rng.choice([10.0, 20.0], 2000), rng.choice([1.0, 2.0], 2000))
    donors = LeafDonors.fit(x, y, y, classify=False, min_samples_leaf=5)
    drawn = donors.draw(np.ones((4000, 1), dtype=np.float32), np.random.default_rng(1))
    assert set(drawn) == {10.0, 20.0}  # the prediction (15) is never handed out
    assert (drawn == 10.0).mean() == pytest.approx(0.5, abs=0.03)


def test_marginal_keeps_missing_values_and_their_share():
    values = np.r_[np.arange(80.0), [np.nan] * 20]
    donors = LeafDonors.fit(None, values, values, classify=False, min_samples_leaf=5)
    drawn = donors.draw(None, np.random.default_rng(0), n=20000)
    assert np.isnan(drawn).mean() == pytest.approx(0.2, abs=0.01)


def test_smoothing_uses_the_leaf_bandwidth_and_stays_in_range():
    values = np.random.default_rng(0).normal(size=5000)
    donors = LeafDonors.fit(None, values, values, classify=False, min_samples_leaf=5, smooth=True)
    sd, iqr = values.std(ddof=1), np.subtract(*np.percentile(values, [75, 25]))
    assert donors.bandwidth[0] == pytest.approx(0.9 * min(sd, iqr / 1.34) * 5000**-0.2)
    drawn = donors.draw(None, np.random.default_rng(1), n=50000)
    assert drawn.min() >= values.min() and drawn.max() <= values.max()
    assert not np.isin(drawn, values).any()
    assert drawn.std() == pytest.approx(np.sqrt(sd**2 + donors.bandwidth[0] ** 2), rel=0.02)


def test_bandwidth_is_zero_for_a_point_mass_or_a_single_value():
    values = np.array([3.0, 3.0, 3.0, 5.0, np.nan])
    assert silverman_bandwidth(values, np.array([0, 3]), np.array([3, 2])).tolist() == [0, 0]
    assert reflect(np.array([-5.0, 1.5]), 0.0, 1.0).tolist() == [0.0, 0.5]


def test_balanced_draws_use_every_donor_equally_often():
    values = np.arange(50.0)
    balanced = LeafDonors.fit(None, values, values, classify=False, min_samples_leaf=5)
    drawn = balanced.draw(None, np.random.default_rng(0), n=200)
    assert np.bincount(drawn.astype(int), minlength=50).tolist() == [4] * 50
    iid = LeafDonors.fit(None, values, values, classify=False, min_samples_leaf=5, balanced=False)
    counts = np.bincount(iid.draw(None, np.random.default_rng(0), n=200).astype(int), minlength=50)
    assert counts.min() < 4 < counts.max()  # binomial counts: the noise balancing removes


def test_balanced_draws_stay_in_the_leaf_and_spread_over_its_donors():
    x = np.repeat([[0.0], [1.0]], [30, 60], axis=0).astype(np.float32)
    y = np.r_[np.arange(30.0), 100 + np.arange(60.0)]
    donors = LeafDonors.fit(x, y, y, classify=False, min_samples_leaf=5)
    rows = np.repeat([[1.0], [0.0]], [120, 45], axis=0).astype(np.float32)
    drawn = donors.draw(rows, np.random.default_rng(3))
    assert (drawn[:120] >= 100).all() and (drawn[120:] < 30).all()
    leaf = donors.tree.apply(np.array([[1.0]], dtype=np.float32))[0]
    assert donors.count[leaf] == 60  # one leaf, or the test below proves nothing
    assert np.unique(drawn[:120], return_counts=True)[1].tolist() == [2] * 60
    assert np.unique(drawn[120:], return_counts=True)[1].max() - 1 <= 1  # 45 rows, 30 donors


def test_a_large_table_grows_its_tree_on_a_sample_but_every_row_is_a_donor():
    n = MAX_GROWING_ROWS * 2
    x = np.random.default_rng(0).normal(size=(n, 1)).astype(np.float32)
    donors = LeafDonors.fit(x, x[:, 0], x[:, 0], classify=False, min_samples_leaf=5)
    assert donors.count.sum() == n and sorted(donors.donors) == sorted(x[:, 0])
    assert donors.count[donors.count > 0].min() >= 5
