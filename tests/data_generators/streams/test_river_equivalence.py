"""Our labelling functions against river's, on the same feature rows."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from river.datasets import synth

from calmops.data_generators import (
    LED,
    SEA,
    STAGGER,
    Agrawal,
    Friedman,
    Hyperplane,
    Mixed,
    RandomTree,
    Sine,
)
from calmops.data_generators.streams.agrawal import agrawal_label
from calmops.data_generators.streams.friedman import friedman_value
from calmops.data_generators.streams.led import SEGMENTS, led_attribute_order
from calmops.data_generators.streams.random_tree import TreeModel
from calmops.data_generators.streams.rbf import pick_centroid
from calmops.data_generators.streams.waveform import WAVES


def river_rows(dataset, n, names=None):
    """``n`` rows of a river dataset as (features dict of arrays, labels array)."""
    rows = list(itertools.islice(dataset, n))
    keys = list(rows[0][0])
    names = names or [f"x{k}" if isinstance(k, int) else k for k in keys]
    features = {
        name: np.array([x[k] for x, _ in rows]) for name, k in zip(names, keys, strict=True)
    }
    return features, np.array([int(y) for _, y in rows])


@pytest.mark.parametrize("variant", [0, 1, 2, 3])
def test_sea_labels_match_river(variant):
    features, y = river_rows(synth.SEA(variant=variant, seed=variant), 3000)
    assert np.array_equal(SEA(variant=variant).label(features), y)


@pytest.mark.parametrize("function", range(10))
def test_agrawal_labels_match_river_on_river_rows(function):
    features, y = river_rows(synth.Agrawal(classification_function=function, seed=5), 3000)
    assert np.array_equal(Agrawal(classification_function=function).label(features), y)


@pytest.mark.parametrize("function", range(10))
def test_agrawal_labels_match_river_on_boundary_rows(function):
    """Values on every threshold of every function, where < and <= differ."""
    rng = np.random.default_rng(function)
    n = 4000
    edges = np.array([20000, 25000, 50000, 75000, 100000, 125000, 150000, 200000, 300000])
    f = {
        "salary": rng.choice(edges, n).astype(float),
        "commission": rng.choice([0.0, 10000.0, 25000.0, 50000.0], n),
        "age": rng.choice([20, 39, 40, 59, 60, 80], n),
        "elevel": rng.integers(0, 5, n),
        "car": rng.integers(1, 21, n),
        "zipcode": rng.integers(0, 9, n),
        "hvalue": rng.choice([0.0, 100000.0, 400000.0], n),
        "hyears": rng.choice([1, 19, 20, 21, 30], n),
        "loan": rng.choice([0.0, 75000.0, 100000.0, 300000.0, 400000.0, 500000.0], n),
    }
    river_fn = getattr(synth.Agrawal, f"_classification_function_{function}")
    names = list(f)
    expected = [river_fn(*(f[c][i] for c in names)) for i in range(n)]
    assert agrawal_label(function, f).tolist() == expected


def test_hyperplane_labels_match_river():
    dataset = synth.Hyperplane(seed=3, n_features=6, noise_percentage=0.0)
    stream = iter(dataset)
    rows = [next(stream) for _ in range(3000)]
    features = {f"x{k}": np.array([x[k] for x, _ in rows]) for k in range(6)}
    ours = Hyperplane(n_features=6, weights=tuple(dataset._weights)).label(features)
    assert np.array_equal(ours, [y for _, y in rows])


@pytest.mark.parametrize("function", [0, 1, 2])
def test_stagger_labels_match_river(function):
    features, y = river_rows(synth.STAGGER(classification_function=function, seed=1), 2000)
    assert np.array_equal(STAGGER(classification_function=function).label(features), y)


@pytest.mark.parametrize("function", [0, 1, 2, 3])
def test_sine_labels_match_river(function):
    features, y = river_rows(synth.Sine(classification_function=function, seed=2), 3000)
    assert np.array_equal(Sine(classification_function=function).label(features), y)


def test_sine_boundary_semantics_match_river():
    x1 = np.array([0.3, 0.7])
    x0 = np.sin(x1)  # exactly on the SINE1 boundary
    for function in (0, 1):
        river_fn = (
            synth.Sine._classification_function_zero
            if function == 0
            else (synth.Sine._classification_function_one)
        )
        expected = [river_fn(a, b) for a, b in zip(x0, x1, strict=True)]
        ours = Sine(classification_function=function).label({"x0": x0, "x1": x1})
        assert ours.tolist() == expected


@pytest.mark.parametrize("function", [0, 1])
def test_mixed_labels_match_river(function):
    features, y = river_rows(synth.Mixed(classification_function=function, seed=4), 3000)
    assert np.array_equal(Mixed(classification_function=function).label(features), y)


def _flatten_river_tree(root, width):
    feature, threshold, children, label = [], [], [], []

    def visit(node):
        i = len(feature)
        feature.append(-1)
        threshold.append(np.nan)
        children.append([0] * width)
        label.append(node.class_label if node.class_label is not None else 0)
        if node.children:
            feature[i] = node.split_feature_idx
            if node.split_feature_val is not None:
                threshold[i] = node.split_feature_val
            for k, child in enumerate(node.children):
                children[i][k] = visit(child)
        return i

    visit(root)
    return TreeModel(
        np.array(feature), np.array(threshold, dtype=float), np.array(children), np.array(label)
    )


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_random_tree_classification_matches_river(seed):
    dataset = synth.RandomTree(seed_tree=seed, seed_sample=seed + 1, n_classes=3)
    rows = list(itertools.islice(dataset, 3000))
    model = _flatten_river_tree(dataset.tree_root, 5)
    x = np.array([[r[0][name] for name in dataset.feature_names] for r in rows], dtype=float)
    assert np.array_equal(model.classify(x), [y for _, y in rows])


def test_random_tree_grows_by_river_rules():
    tree = RandomTree(seed_tree=3, max_tree_depth=4, first_leaf_level=2).tree(None)
    assert tree.feature[0] >= 0  # the root splits (first_leaf_level > 0)
    numeric = (tree.feature >= 0) & (tree.feature < 5)
    assert np.all((tree.threshold[numeric] > 0) & (tree.threshold[numeric] < 1))


def test_rbf_centroid_pick_matches_river():
    from river.datasets.synth.random_rbf import random_index_based_on_weights

    class Fixed:
        def __init__(self, value):
            self.value = value

        def random(self):
            return self.value

    weights = np.random.default_rng(0).random(30)
    u = np.concatenate([np.random.default_rng(1).random(2000), [0.0, 0.999999]])
    expected = [random_index_based_on_weights(list(weights), Fixed(v)) for v in u]
    assert pick_centroid(weights, u).tolist() == expected


def test_led_segments_match_river():
    assert SEGMENTS.tolist() == synth.LED._ORIGINAL_INSTANCES
    features, y = river_rows(synth.LED(seed=3), 1000)
    assert np.array_equal(np.stack([features[f"x{i}"] for i in range(7)], axis=1), SEGMENTS[y])


@pytest.mark.parametrize("n_drift", [1, 3, 7])
def test_led_drift_attribute_swaps_match_river(n_drift):
    dataset = synth.LEDDrift(seed=11, irrelevant_features=True, n_drift_features=n_drift)
    next(iter(dataset))
    rng = random.Random(11)
    rotation, offset = rng.randint(0, 6), rng.randint(0, 16)
    assert led_attribute_order(n_drift, rotation, offset).tolist() == dataset._attr_idx


def test_waveform_waves_match_river():
    assert WAVES.tolist() == synth.Waveform._H_FUNCTION


def _friedman_rows(n, seed):
    x = np.random.default_rng(seed).random((10, n))
    return x, [{i: x[i, t] for i in range(10)} for t in range(n)]


@pytest.mark.parametrize("drift_type", ["lea", "gra"])
def test_friedman_drift_functions_match_river(drift_type):
    position = (300, 600, 900) if drift_type == "lea" else (300, 600)
    dataset = synth.FriedmanDrift(drift_type=drift_type, position=position, seed=1)
    maker = dataset._y_maker
    x, rows = _friedman_rows(1200, 0)
    index = np.arange(1200)
    ours = friedman_value(x, index, drift_type, position, 0)
    assert np.allclose(ours, [maker(r, t) for t, r in enumerate(rows)], rtol=0, atol=1e-12)


def test_friedman_gradual_matches_river_with_the_same_coins():
    position, window = (300, 600), 100
    dataset = synth.FriedmanDrift(
        drift_type="gsg", position=position, transition_window=window, seed=1
    )
    x, rows = _friedman_rows(900, 2)
    coin = np.random.default_rng(3).random(900) < 0.5

    class Coin:
        value = False

        def getrandbits(self, _):
            return int(self.value)

    stub, expected = Coin(), []
    for t, r in enumerate(rows):
        stub.value = coin[t]
        expected.append(dataset._global_and_slow_gradual_gen(r, t, stub))
    ours = friedman_value(x, np.arange(900), "gsg", position, window, coin)
    assert np.allclose(ours, expected, rtol=0, atol=1e-12)


def test_friedman_stationary_function_matches_river():
    x, rows = _friedman_rows(500, 4)
    dataset = synth.FriedmanDrift(drift_type="gra", position=(10**9, 2 * 10**9), seed=0)
    expected = [dataset._global_recurring_abrupt_gen(r, 0) for r in rows]
    features = {f"x{i}": x[i] for i in range(10)}
    assert np.allclose(Friedman().label(features), expected, rtol=0, atol=1e-12)


def test_sea_noise_flips_like_river():
    features, river_y = river_rows(synth.SEA(noise=0.2, seed=1), 20000)
    river_rate = np.mean(river_y != SEA().label(features))
    s = SEA(noise=0.2).sample(20000, np.random.default_rng(0))
    ours = np.mean(s.target != SEA().label(s.features))
    assert river_rate == pytest.approx(0.2, abs=0.015)
    assert ours == pytest.approx(river_rate, abs=0.02)


def test_hyperplane_noise_rate_is_river_s_noise_minus_one_percent():
    s = Hyperplane(noise_percentage=0.11, weights=(0.5,) * 10).sample(
        40000, np.random.default_rng(0)
    )
    rate = np.mean(s.target != Hyperplane(weights=(0.5,) * 10).label(s.features))
    assert rate == pytest.approx(0.10, abs=0.006)


def test_led_noise_rate_is_river_s_noise_minus_one_percent():
    s = LED(noise_percentage=0.21).sample(20000, np.random.default_rng(0))
    bits = np.stack([s.features[f"x{i}"] for i in range(7)], axis=1)
    assert np.mean(bits != SEGMENTS[s.target]) == pytest.approx(0.20, abs=0.01)
