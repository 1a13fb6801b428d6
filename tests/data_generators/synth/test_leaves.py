"""Leaf donors: values come from the leaf a row lands in; smoothing stays inside the range."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.data_generators.synth.leaves import LeafDonors, reflect, silverman_bandwidth


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
