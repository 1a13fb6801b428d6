"""GMM synthesizer: clusters, class-conditional means, categories, missingness, conditions,
determinism, dtypes and awkward input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.data_generators.synth import SYNTHESIZERS, make_synthesizer
from calmops.data_generators.synth.gmm import MAX_LEVELS, GMMSynthesizer
from calmops.errors import DataValidationError

N = 3_000


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    """Two well-separated groups (g) with their own means, plus every column kind."""
    rng = np.random.default_rng(0)
    g = rng.choice(["a", "b"], size=N, p=[0.7, 0.3])
    b = g == "b"
    x = np.where(b, 6.0, 0.0) + rng.normal(size=N)
    return pd.DataFrame(
        {
            "g": g,
            "x": x,
            "y": 2.0 * x + rng.normal(size=N),
            "count": np.round(np.where(b, 40, 10) + rng.normal(scale=3, size=N)).astype(int),
            "flag": np.where(b, rng.random(N) < 0.8, rng.random(N) < 0.1),
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.uniform(0, 30, N), "D"),
            "xm": np.where(rng.random(N) < 0.25, np.nan, x + rng.normal(size=N)),
            "gm": np.where(rng.random(N) < 0.1, None, np.where(b, "u", "v")),
        }
    )


@pytest.fixture(scope="module")
def fitted(mixed) -> GMMSynthesizer:
    return GMMSynthesizer().fit(mixed, target="g")


@pytest.fixture(scope="module")
def synthetic(fitted) -> pd.DataFrame:
    return fitted.sample(10_000, seed=1)


def test_groups_and_their_means_survive(mixed, synthetic):
    real = mixed.groupby("g")[["x", "y", "count"]].mean()
    synth = synthetic.groupby("g")[["x", "y", "count"]].mean()
    assert np.allclose(synth.to_numpy(), real.to_numpy(), atol=0.1 * real.abs().to_numpy() + 0.15)
    assert synthetic.groupby("g")["flag"].mean().to_dict() == pytest.approx(
        mixed.groupby("g")["flag"].mean().to_dict(), abs=0.04
    )
    assert synthetic["x"].corr(synthetic["y"]) == pytest.approx(
        mixed["x"].corr(mixed["y"]), abs=0.02
    )


@pytest.mark.parametrize("column", ["x", "y", "xm"])
def test_numeric_marginals_within_ks_bounds(mixed, synthetic, column):
    real, synth = mixed[column].dropna(), synthetic[column].dropna()
    assert stats.ks_2samp(real, synth).statistic < 1.36 * np.sqrt(1 / len(real) + 1 / len(synth))


@pytest.mark.parametrize("column", ["g", "flag", "gm"])
def test_category_frequencies_within_tolerance(mixed, synthetic, column):
    real = mixed[column].value_counts(normalize=True, dropna=False)
    synth = synthetic[column].value_counts(normalize=True, dropna=False)
    for value, share in real.items():
        assert synth.get(value, 0.0) == pytest.approx(share, abs=0.025)


def test_missing_shares_are_kept_and_only_where_the_real_table_has_them(mixed, synthetic):
    for column in ("xm", "gm"):
        assert synthetic[column].isna().mean() == pytest.approx(
            mixed[column].isna().mean(), abs=0.02
        )
    assert synthetic.drop(columns=["xm", "gm"]).notna().all().all()


def test_dtypes_ranges_and_whole_numbers_are_restored(mixed, synthetic):
    assert synthetic.dtypes.equals(mixed.dtypes)
    for column in ("x", "count"):
        assert synthetic[column].between(mixed[column].min(), mixed[column].max()).all()
    assert set(synthetic["g"]) == {"a", "b"}


def test_conditions_are_exact_and_keep_the_class_conditional_means(mixed, fitted):
    out = fitted.sample(2_000, conditions={"g": {"a": 0.5, "b": 0.5}}, seed=2)
    assert out["g"].value_counts().to_dict() == {"a": 1_000, "b": 1_000}
    means = out.groupby("g")["x"].mean()
    real = mixed.groupby("g")["x"].mean()
    assert means.to_dict() == pytest.approx(real.to_dict(), abs=0.15)
    assert out["x"].mean() == pytest.approx(real.mean(), abs=0.2)  # not the real 70/30 mix


def test_same_seed_same_rows_and_refits_agree(mixed, fitted):
    first = fitted.sample(300, seed=3)
    pd.testing.assert_frame_equal(first, fitted.sample(300, seed=3))
    assert not first.equals(fitted.sample(300, seed=4))
    again = GMMSynthesizer().fit(mixed, target="g").sample(300, seed=3)
    pd.testing.assert_frame_equal(first, again)


def test_rows_are_in_random_order_not_grouped_by_component(synthetic):
    first, second = synthetic["g"].iloc[:5_000], synthetic["g"].iloc[5_000:]
    assert (first == "b").mean() == pytest.approx((second == "b").mean(), abs=0.03)


def test_bic_chooses_more_than_one_component_for_separated_groups(fitted):
    assert 2 <= len(fitted.weights_) <= fitted.max_components


@pytest.mark.parametrize("params", [{"bayesian": True}, {"n_components": 3}])
def test_bayesian_and_fixed_mixtures_also_keep_the_groups(mixed, params):
    model = GMMSynthesizer(**params).fit(mixed[["g", "x", "flag"]])
    if "n_components" in params:
        assert len(model.weights_) == 3
    out = model.sample(4_000, seed=5)
    means = out.groupby("g")["x"].mean()
    assert means.to_dict() == pytest.approx({"a": 0.0, "b": 6.0}, abs=0.3)


@pytest.mark.parametrize("covariance_type", ["tied", "diag", "spherical"])
def test_every_covariance_type_samples(mixed, covariance_type):
    model = GMMSynthesizer(n_components=2, covariance_type=covariance_type)
    out = model.fit(mixed[["x", "y", "g"]]).sample(200, seed=6)
    assert out.shape == (200, 3) and out.notna().all().all()


def test_many_levels_are_pooled_beyond_the_most_frequent_and_all_come_back():
    rng = np.random.default_rng(7)
    levels = [f"l{i:02d}" for i in range(MAX_LEVELS + 20)]
    p = np.linspace(2.0, 1.0, len(levels))
    real = pd.DataFrame(
        {"c": rng.choice(levels, size=6_000, p=p / p.sum()), "x": rng.normal(size=6_000)}
    )
    out = GMMSynthesizer().fit(real).sample(30_000, seed=8)
    assert set(out["c"]) == set(levels)
    real_share = real["c"].value_counts(normalize=True)
    synth_share = out["c"].value_counts(normalize=True)
    gaps = (synth_share - real_share).abs()
    assert gaps.max() < 0.008 and gaps.sum() / 2 < 0.03  # total variation distance


def test_many_integer_codes_snap_to_real_codes():
    rng = np.random.default_rng(9)
    codes = np.arange(0, 60, 3)  # 20 codes, numeric treatment
    real = pd.DataFrame({"k": rng.choice(codes, size=2_000), "x": rng.normal(size=2_000)})
    out = GMMSynthesizer(n_components=2).fit(real).sample(2_000, seed=10)
    assert set(out["k"]) <= set(codes) and out["k"].dtype == real["k"].dtype


def test_constant_and_all_missing_columns_are_kept_as_such():
    rng = np.random.default_rng(11)
    real = pd.DataFrame(
        {
            "x": rng.normal(size=300),
            "seven": 7,
            "label": "same",
            "empty": np.nan,
            "seven_or_missing": np.where(rng.random(300) < 0.5, np.nan, 7.0),
            "label_or_missing": np.where(rng.random(300) < 0.5, None, "k"),
        }
    )
    out = GMMSynthesizer(n_components=1).fit(real).sample(1_000, seed=12)
    assert (out["seven"] == 7).all() and (out["label"] == "same").all()
    assert out["empty"].isna().all()
    assert set(out["seven_or_missing"].dropna()) == {7.0}
    assert out["seven_or_missing"].isna().mean() == pytest.approx(0.5, abs=0.08)
    assert set(out["label_or_missing"].dropna()) == {"k"}


def test_a_table_with_nothing_to_model_still_samples():
    real = pd.DataFrame({"seven": [7, 7, 7], "empty": [np.nan] * 3})
    out = GMMSynthesizer().fit(real).sample(5, seed=0)
    assert out["seven"].tolist() == [7] * 5 and out["empty"].isna().all()


def test_bad_input_is_a_clear_error(mixed, fitted):
    with pytest.raises(DataValidationError, match="empty table"):
        GMMSynthesizer().fit(mixed.iloc[:0])
    with pytest.raises(DataValidationError, match="not fitted"):
        GMMSynthesizer().sample(10)
    with pytest.raises(DataValidationError, match="'x'.*infinite"):
        GMMSynthesizer().fit(mixed.assign(x=np.r_[np.inf, mixed["x"].to_numpy()[1:]]))
    with pytest.raises(DataValidationError, match="'c', which the real table does not hold"):
        fitted.sample(10, conditions={"g": {"c": 1.0}})
    with pytest.raises(DataValidationError, match="n_components"):
        GMMSynthesizer(n_components=0).fit(mixed)
    with pytest.raises(DataValidationError, match="covariance_type must be one of full"):
        GMMSynthesizer(covariance_type="fll").fit(mixed)
    with pytest.raises(DataValidationError, match="does not take"):
        make_synthesizer("gmm", components=3)


def test_registered_and_built_by_name():
    assert SYNTHESIZERS.get("gmm") is GMMSynthesizer
    assert make_synthesizer("gmm", bayesian=True).bayesian is True
