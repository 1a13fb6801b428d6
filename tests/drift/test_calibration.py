"""Calibration under no drift, family-wise control with Holm, and power.

Every simulation is seeded, so each assertion is a fixed fact of this code, not a coin flip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.drift import Profile, compare, get_test
from calmops.drift.correction import adjust
from calmops.drift.profile import _rng as column_seed
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


# -- a profiled reference (issue 13): the stored values must be the reference, or a random
# -- sample of it, for every data set; the old sample took fixed ranks of the sorted values


def _sampled_profile_rates(seeds: int, names: list[str]) -> np.ndarray:
    """KS false-alarm rate per column: a 1000-row reference profiled with a 200-value cap
    (the profile's own seeding: one seed per column, the same for every data set) against
    200 current rows from the same distribution, over ``seeds`` data sets."""
    rates = []
    for name in names:
        rng = np.random.default_rng([7, len(name), ord(name[-1])])
        refs = [  # what Profile.fit(..., cap=200, seed=0) keeps of a column of this name
            NumericSide.from_values(rng.normal(size=1000), cap=200, seed=column_seed(0, name))
            for _ in range(seeds)
        ]
        assert not refs[0].is_full and refs[0].sample.size == 200
        samples = np.stack([side.sample for side in refs])
        p = stats.ks_2samp(samples, rng.normal(size=(seeds, 200)), axis=1, method="asymp").pvalue
        rates.append(np.mean(p < ALPHA))
    return np.array(rates)


@pytest.mark.slow
def test_every_column_is_calibrated_against_a_sampled_profile():
    # the old sample took the same ranks of the sorted values for every data set: its
    # per-column false-alarm rate ranged from 1% to 13% (issue 13)
    rates = _sampled_profile_rates(1000, ["a", "b", "c", "d"])
    assert np.all((rates >= 0.03) & (rates <= 0.07)), rates


def test_profile_power_at_a_small_shift_equals_the_full_data_power():
    # 20k rows are under the default cap: the profile holds them all, so every p-value is
    # scipy's on the full data, and the power is the full-data power
    rng = np.random.default_rng(5)
    profiled = full = 0
    for _ in range(20):
        ref, cur = rng.normal(size=20_000), rng.normal(0.05, size=20_000)
        side = Profile.fit(pd.DataFrame({"x": ref})).columns["x"].side
        p = get_test("ks")(side, cur).p_value
        assert p == stats.ks_2samp(ref, cur).pvalue
        profiled += p < ALPHA
        full += stats.ks_2samp(ref, cur).pvalue < ALPHA
    assert profiled == full >= 15


def test_sampled_profile_keeps_the_power_of_its_cap():
    # 40k rows over a 10k cap: about the power of a 10k reference at 0.05 sd against 20k
    # rows (the old fixed-rank 10k sample of a 20k reference had 0.33)
    rng = np.random.default_rng(8)
    hits = 0
    for _ in range(60):
        frame = pd.DataFrame({"x": rng.normal(size=40_000)})
        side = Profile.fit(frame, cap=10_000, row_sample=0).columns["x"].side
        hits += get_test("ks")(side, rng.normal(0.05, size=20_000)).p_value < ALPHA
    assert 0.6 <= hits / 60 <= 0.95


def test_normed_wasserstein_of_a_sampled_profile_is_close_to_the_truth():
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": rng.normal(size=300_000)})  # above the default cap
    side = Profile.fit(frame, row_sample=0).columns["x"].side
    assert side.sample.size == 100_000 and not side.is_full
    values = [get_test("wasserstein")(side, rng.normal(0.1, size=50_000)).statistic]
    values += [get_test("wasserstein")(side, rng.normal(0.1, size=50_000)).statistic]
    assert np.mean(values) == pytest.approx(0.1, abs=0.01)
