"""Calibration under no drift, family-wise control with Holm, and power.

Every simulation is seeded, so each assertion is a fixed fact of this code, not a coin flip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.drift import compare, get_test
from calmops.drift.correction import adjust
from calmops.drift.sides import CategoricalSide, NumericSide

ALPHA = 0.05
REPS = 1000


def _false_positive_rate(name: str, draw) -> float:
    rng = np.random.default_rng(2024)
    test = get_test(name)
    hits = 0
    for _ in range(REPS):
        reference, current = draw(rng)
        hits += test(reference, current, threshold=ALPHA).drift
    return hits / REPS


def _numbers(rng):
    return NumericSide.from_values(rng.normal(size=150)), NumericSide.from_values(
        rng.normal(size=120)
    )


def _categories(rng):
    labels = np.array(["a", "b", "c", "d"])
    p = [0.4, 0.3, 0.2, 0.1]
    return (
        CategoricalSide.from_values(rng.choice(labels, 300, p=p)),
        CategoricalSide.from_values(rng.choice(labels, 250, p=p)),
    )


def _binary(rng):
    labels = np.array(["yes", "no"])
    return (
        CategoricalSide.from_values(rng.choice(labels, 300, p=[0.3, 0.7])),
        CategoricalSide.from_values(rng.choice(labels, 250, p=[0.3, 0.7])),
    )


@pytest.mark.parametrize(
    "name, draw",
    [
        ("ks", _numbers),
        ("cvm", _numbers),
        ("mann_whitney", _numbers),
        ("anderson", _numbers),
        ("chi2", _categories),
        ("z", _binary),
    ],
)
def test_false_positive_rate_at_alpha(name, draw):
    assert 0.03 <= _false_positive_rate(name, draw) <= 0.07


def test_ks_against_a_capped_reference_sample_stays_calibrated():
    def draw(rng):
        reference = NumericSide.from_values(rng.normal(size=5000), cap=300, seed=rng)
        return reference, NumericSide.from_values(rng.normal(size=400), edges=reference.edges)

    assert 0.03 <= _false_positive_rate("ks", draw) <= 0.07


@pytest.mark.slow  # a rate over many seeded repetitions
def test_holm_keeps_the_family_wise_rate_across_20_features():
    # our KS is scipy's (see test_scipy_agreement); scipy's axis=1 runs 20 features at once
    rng = np.random.default_rng(11)
    reps, n = 1000, 120
    family_errors = 0
    for _ in range(reps):
        ref, cur = rng.normal(size=(20, n)), rng.normal(size=(20, n))
        p = stats.ks_2samp(ref, cur, axis=1).pvalue
        family_errors += bool((adjust(p, "holm") < ALPHA).any())
    assert family_errors / reps <= ALPHA
    assert get_test("ks")(ref[0], cur[0]).p_value == pytest.approx(p[0], rel=1e-12)


def test_compare_applies_holm_across_features():
    rng = np.random.default_rng(12)
    columns = [f"x{i}" for i in range(20)]
    ref = pd.DataFrame(rng.normal(size=(200, 20)), columns=columns)
    cur = pd.DataFrame(rng.normal(size=(200, 20)), columns=columns)
    cur["x3"] += 0.25  # raw p ~ 0.01: drifts alone, not after Holm over 20 features
    plain = compare(ref, cur, correction="none")
    holm = compare(ref, cur, correction="holm")
    raw = holm.features["x3"].p_value_raw
    assert raw == plain.features["x3"].p_value
    ranked = sorted(f.p_value_raw for f in holm.features.values())
    assert holm.features["x3"].p_value == pytest.approx(min(1.0, raw * (20 - ranked.index(raw))))


def test_holm_family_wise_rate_on_exact_null_p_values():
    p = np.random.default_rng(5).uniform(size=(100_000, 20))
    order = np.argsort(p, axis=1)
    ranked = np.take_along_axis(p, order, axis=1) * (20 - np.arange(20))
    holm_any = (np.maximum.accumulate(ranked, axis=1) < ALPHA).any(axis=1)
    assert holm_any.mean() <= ALPHA
    uncorrected = (p < ALPHA).any(axis=1).mean()
    assert uncorrected > 0.6  # why the correction is needed
    assert adjust(p[0], "holm").min() == pytest.approx(min(1.0, ranked[0].min()))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("test", ["ks", "mann_whitney", "cvm"])
def test_power_on_a_tenth_of_a_standard_deviation_at_10000(seed, test):
    rng = np.random.default_rng(seed)
    ref = pd.DataFrame({"x": rng.normal(size=10_000)})
    cur = pd.DataFrame({"x": rng.normal(0.1, size=10_000)})
    # the test's power: significance (a 0.1 sd shift sits at the materiality line)
    assert compare(ref, cur, numeric_test=test).features["x"].significant


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("test", ["chi2", "z"])
def test_power_on_50_50_to_45_55_at_10000(seed, test):
    rng = np.random.default_rng(seed)
    labels = np.array(["a", "b"])
    ref = pd.DataFrame({"c": rng.choice(labels, 10_000, p=[0.5, 0.5])})
    cur = pd.DataFrame({"c": rng.choice(labels, 10_000, p=[0.45, 0.55])})
    report = compare(ref, cur, categorical_test=test)
    # the test's power: significance (JS of 0.035 is below the materiality threshold)
    assert report.features["c"].significant and report.features["c"].kind == "binary"


def test_large_sample_defaults_show_small_shifts_as_effect_sizes():
    rng = np.random.default_rng(3)
    ref = pd.DataFrame({"x": rng.normal(size=10_000)})
    cur = pd.DataFrame({"x": rng.normal(0.1, size=10_000)})
    feature = compare(ref, cur).features["x"]
    assert feature.test == "wasserstein"
    assert feature.effect_sizes["wasserstein"] == pytest.approx(0.1, abs=0.03)
    assert feature.verdict.value in ("warning", "drift")
