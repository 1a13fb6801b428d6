"""Statistical properties of generators beyond their labelling functions."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.data_generators import (
    LED,
    SEA,
    STAGGER,
    Agrawal,
    Friedman,
    Hyperplane,
    RandomRBF,
    RandomTree,
    Sine,
)
from calmops.data_generators.streams.hyperplane import hyperplane_drift
from calmops.errors import SpecError

RNG = np.random.default_rng


def test_agrawal_feature_ranges_follow_river():
    f = Agrawal().sample(20000, RNG(0)).features
    assert f["salary"].min() >= 20000 and f["salary"].max() <= 150000
    assert np.all(f["commission"][f["salary"] >= 75000] == 0)
    assert set(np.unique(f["age"])) == set(range(20, 81))
    assert set(np.unique(f["elevel"])) == set(range(5))
    assert set(np.unique(f["car"])) == set(range(1, 21))
    assert set(np.unique(f["zipcode"])) == set(range(9))
    assert set(np.unique(f["hyears"])) == set(range(1, 31))
    assert f["loan"].max() <= 500000


@pytest.mark.parametrize("cls", [Agrawal, STAGGER, Sine])
def test_balance_classes_alternates_one_zero_like_river(cls):
    s = cls(balance_classes=True).sample(101, RNG(0))
    assert s.target[0::2].tolist() == [1] * 51
    assert s.target[1::2].tolist() == [0] * 50


def test_agrawal_perturbation_keeps_ranges_and_labels():
    clean = Agrawal(classification_function=1).sample(5000, RNG(3))
    noisy = Agrawal(classification_function=1, perturbation=0.2).sample(5000, RNG(3))
    assert np.array_equal(clean.target, noisy.target)
    assert not np.array_equal(clean.features["salary"], noisy.features["salary"])
    assert noisy.features["salary"].min() >= 20000 and noisy.features["age"].max() <= 80


def test_hyperplane_weights_move_by_mag_change():
    offsets = hyperplane_drift(RNG(0), 20000, 2, 0.01, 0.11)
    steps = np.diff(offsets, axis=1)
    assert np.allclose(np.abs(steps), 0.01)
    sign = np.sign(steps)
    reversals = np.mean(sign[:, 1:] != sign[:, :-1])
    assert reversals == pytest.approx(0.10, abs=0.01)
    assert offsets[:, 0].tolist() == [0.0, 0.0]


def test_hyperplane_mag_change_changes_the_concept_over_time():
    weights = tuple(np.linspace(0.1, 1.0, 10))
    s = Hyperplane(weights=weights, mag_change=0.001, sigma=0.0, noise_percentage=0.0).sample(
        4000, RNG(1)
    )
    fixed = Hyperplane(weights=weights).label(s.features)
    assert np.mean(fixed[:100] != s.target[:100]) < 0.05
    assert np.mean(fixed[-1000:] != s.target[-1000:]) > 0.2


def test_rbf_moving_centroids_stay_in_the_unit_cube_and_move():
    still = RandomRBF(n_features=3, seed_model=2).sample(5000, RNG(0))
    moving = RandomRBF(n_features=3, seed_model=2, change_speed=0.001).sample(5000, RNG(0))
    assert np.array_equal(still.target, moving.target)
    late_shift = np.abs(moving.features["x0"][-1000:] - still.features["x0"][-1000:])
    assert late_shift.mean() > 0.05


def test_rbf_and_tree_models_are_fixed_by_their_seed():
    a = RandomTree(seed_tree=4).tree(RNG(0))
    b = RandomTree(seed_tree=4).tree(RNG(99))
    assert np.array_equal(a.feature, b.feature) and np.array_equal(a.label, b.label)
    m1, m2 = RandomRBF(seed_model=1).model(RNG(0)), RandomRBF(seed_model=1).model(RNG(5))
    assert np.array_equal(m1.centres, m2.centres)


def test_led_drift_swaps_relevant_columns():
    s = LED(irrelevant_features=True, n_drift_features=7).sample(3000, RNG(0))
    relevant = [np.mean(s.features[f"x{i}"] == s.features[f"x{i}"]) for i in range(7)]
    assert relevant == [1.0] * 7
    # a swapped relevant column is now random bits: about half agree with its segment
    from calmops.data_generators.streams.led import SEGMENTS

    agree = [np.mean(s.features[f"x{i}"] == SEGMENTS[s.target, i]) for i in range(7)]
    assert max(agree) < 0.7


def test_friedman_noise_is_standard_normal():
    s = Friedman().sample(20000, RNG(0))
    residual = s.target - Friedman().label(s.features)
    assert residual.std() == pytest.approx(1.0, abs=0.03)


@pytest.mark.parametrize(
    ("cls", "params", "fragment"),
    [
        (SEA, {"variant": 7}, "variant must be one of 0, 1, 2, 3"),
        (SEA, {"noise": 1.5}, "noise must be in [0, 1]"),
        (Agrawal, {"classification_function": 10}, "classification_function"),
        (Hyperplane, {"n_features": 2, "n_drift_features": 3}, "n_drift_features"),
        (Friedman, {"drift_type": "xyz"}, "drift_type"),
        (Friedman, {"drift_type": "lea", "position": (10, 5, 20)}, "must increase"),
        (LED, {"n_drift_features": 2}, "irrelevant_features"),
    ],
)
def test_bad_parameters_are_clear_errors(cls, params, fragment):
    with pytest.raises(SpecError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        cls(**params)


def test_waveform_class_means_mix_two_waves():
    from calmops.data_generators import Waveform
    from calmops.data_generators.streams.waveform import WAVES

    s = Waveform().sample(30000, RNG(0))
    x = np.stack([s.features[f"x{i}"] for i in range(21)], axis=1)
    for label, (a, b) in enumerate([(0, 1), (0, 2), (1, 2)]):
        mean = x[s.target == label].mean(axis=0)
        assert np.allclose(mean, (WAVES[a] + WAVES[b]) / 2, atol=0.1)
