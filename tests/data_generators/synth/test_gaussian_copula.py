"""Gaussian copula: dependence (Pearson, Spearman), marginals, categories, missingness,
conditions, determinism, dtypes and awkward input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.data_generators.synth import SYNTHESIZERS, make_synthesizer
from calmops.data_generators.synth.gaussian_copula import GaussianCopulaSynthesizer
from calmops.errors import DataValidationError, RegistryError

N = 4_000


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    """A table of every kind: skewed numbers tied to each other, a class the numbers depend on,
    an ordinal code, booleans, datetimes, a category dtype and missing values."""
    rng = np.random.default_rng(0)
    g = rng.choice(["a", "b", "c"], size=N, p=[0.6, 0.3, 0.1])
    shift = pd.Series(g).map({"a": -1.0, "b": 0.5, "c": 2.0}).to_numpy()
    x = shift + rng.normal(size=N)
    return pd.DataFrame(
        {
            "x": x,
            "income": np.exp(0.5 * x + rng.normal(scale=0.5, size=N)),
            "g": g,
            "rating": np.clip(np.round(x + 3), 1, 5).astype(int),
            "flag": rng.random(N) < 0.3,
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.uniform(0, 365, N), "D"),
            "tier": pd.Categorical(rng.choice(["lo", "hi"], size=N)),
            "xm": np.where(rng.random(N) < 0.2, np.nan, rng.gamma(2.0, size=N)),
            "gm": np.where(rng.random(N) < 0.15, None, rng.choice(["u", "v"], size=N)),
        }
    )


@pytest.fixture(scope="module")
def fitted(mixed) -> GaussianCopulaSynthesizer:
    return GaussianCopulaSynthesizer().fit(mixed, target="g")


@pytest.fixture(scope="module")
def synthetic(fitted) -> pd.DataFrame:
    return fitted.sample(20_000, seed=1)


def test_reproduces_the_correlation_of_a_bivariate_normal():
    rng = np.random.default_rng(2)
    real = pd.DataFrame(
        rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], 5_000), columns=["a", "b"]
    )
    out = GaussianCopulaSynthesizer().fit(real).sample(20_000, seed=3)
    assert out.corr().iloc[0, 1] == pytest.approx(0.6, abs=0.03)
    for column in ("a", "b"):
        assert stats.ks_2samp(real[column], out[column]).statistic < 0.03


def test_keeps_spearmans_rho_of_a_non_normal_pair(mixed, synthetic):
    real = stats.spearmanr(mixed["x"], mixed["income"]).statistic
    assert stats.spearmanr(synthetic["x"], synthetic["income"]).statistic == pytest.approx(
        real, abs=0.03
    )
    # rating is rounded x: the damping of interval scores is corrected, so it is not lost
    ordinal = stats.spearmanr(mixed["x"], mixed["rating"]).statistic
    rho = stats.spearmanr(synthetic["x"], synthetic["rating"]).statistic
    assert rho == pytest.approx(ordinal, abs=0.03)


def test_a_binary_column_keeps_the_class_conditional_means_of_the_real_table():
    rng = np.random.default_rng(12)
    x = rng.normal(size=5_000)
    real = pd.DataFrame(
        {"x": x, "churned": np.where(x + rng.normal(scale=0.5, size=5_000) > 0.8, "yes", "no")}
    )
    out = GaussianCopulaSynthesizer().fit(real).sample(20_000, seed=13)
    assert out.groupby("churned")["x"].mean().to_dict() == pytest.approx(
        real.groupby("churned")["x"].mean().to_dict(), abs=0.05
    )


@pytest.mark.parametrize("column", ["x", "income", "xm"])
def test_numeric_marginals_within_ks_bounds(mixed, synthetic, column):
    real, synth = mixed[column].dropna(), synthetic[column].dropna()
    assert stats.ks_2samp(real, synth).statistic < 1.36 * np.sqrt(1 / len(real) + 1 / len(synth))


@pytest.mark.parametrize("column", ["g", "rating", "flag", "tier", "gm"])
def test_category_frequencies_within_tolerance(mixed, synthetic, column):
    real = mixed[column].value_counts(normalize=True, dropna=False)
    synth = synthetic[column].value_counts(normalize=True, dropna=False)
    assert set(synth.index.astype(str)) == set(real.index.astype(str))
    for value, share in real.items():
        assert synth.get(value, 0.0) == pytest.approx(share, abs=0.02)


def test_missing_shares_are_kept(mixed, synthetic):
    for column in ("xm", "gm"):
        assert synthetic[column].isna().mean() == pytest.approx(
            mixed[column].isna().mean(), abs=0.015
        )
    assert synthetic.drop(columns=["xm", "gm"]).notna().all().all()


def test_dtypes_and_ranges_are_restored(mixed, synthetic):
    assert synthetic.dtypes.equals(mixed.dtypes)
    assert list(synthetic.columns) == list(mixed.columns)
    assert set(synthetic["tier"].cat.categories) == set(mixed["tier"].cat.categories)
    assert set(synthetic["rating"]) <= set(mixed["rating"])
    slack = pd.Timedelta("1us")  # nanoseconds near 2024 are not exact in float64
    low, high = mixed["when"].min() - slack, mixed["when"].max() + slack
    assert synthetic["when"].between(low, high).all()
    assert synthetic["income"].min() >= mixed["income"].min()


def test_conditions_are_exact_and_keep_the_class_conditional_means(fitted, synthetic):
    out = fitted.sample(3_000, conditions={"g": {"a": 0.2, "b": 0.3, "c": 0.5}}, seed=4)
    assert out["g"].value_counts().to_dict() == {"c": 1_500, "b": 900, "a": 600}
    conditioned = out.groupby("g")["x"].mean()
    free = synthetic.groupby("g")["x"].mean()  # the copula's own x | g, unconditioned
    assert conditioned.to_dict() == pytest.approx(free.to_dict(), abs=0.1)
    assert conditioned["a"] < conditioned["b"] < conditioned["c"]  # as in the real table


def test_condition_values_given_as_text_match_codes_and_booleans(fitted):
    out = fitted.sample(200, conditions={"flag": {"True": 1.0}}, seed=5)
    assert out["flag"].all()
    out = fitted.sample(200, conditions={"rating": {"5": 0.5, "1": 0.5}}, seed=5)
    assert out["rating"].value_counts().to_dict() == {5: 100, 1: 100}


def test_same_seed_same_rows_and_refits_agree(mixed, fitted):
    first = fitted.sample(500, seed=7)
    pd.testing.assert_frame_equal(first, fitted.sample(500, seed=7))
    assert not first.equals(fitted.sample(500, seed=8))
    again = GaussianCopulaSynthesizer().fit(mixed, target="g").sample(500, seed=7)
    pd.testing.assert_frame_equal(first, again)


@pytest.mark.parametrize("marginal", ["empirical", "norm", "truncnorm"])
def test_every_marginal_choice_fits_and_samples(mixed, marginal):
    out = GaussianCopulaSynthesizer(marginal=marginal).fit(mixed[["x", "income"]]).sample(100)
    assert out.shape == (100, 2) and out.notna().all().all()


def test_constant_and_all_missing_columns_are_kept_as_such():
    rng = np.random.default_rng(9)
    real = pd.DataFrame(
        {
            "x": rng.normal(size=300),
            "seven": 7,
            "label": "same",
            "empty": np.nan,
            "nothing": pd.Series([None] * 300, dtype=object),
            "seven_or_missing": np.where(rng.random(300) < 0.5, np.nan, 7.0),
        }
    )
    out = GaussianCopulaSynthesizer().fit(real).sample(1_000, seed=10)
    assert (out["seven"] == 7).all() and out["seven"].dtype == real["seven"].dtype
    assert (out["label"] == "same").all()
    assert out["empty"].isna().all() and out["nothing"].isna().all()
    assert set(out["seven_or_missing"].dropna()) == {7.0}
    assert out["seven_or_missing"].isna().mean() == pytest.approx(0.5, abs=0.06)


def test_bad_input_is_a_clear_error(mixed, fitted):
    with pytest.raises(DataValidationError, match="empty table"):
        GaussianCopulaSynthesizer().fit(mixed.iloc[:0])
    with pytest.raises(DataValidationError, match="not fitted"):
        GaussianCopulaSynthesizer().sample(10)
    with pytest.raises(DataValidationError, match="'x'.*infinite"):
        GaussianCopulaSynthesizer().fit(mixed.assign(x=np.r_[np.inf, mixed["x"].to_numpy()[1:]]))
    with pytest.raises(DataValidationError, match="'zz', which the real table does not hold"):
        fitted.sample(10, conditions={"g": {"zz": 1.0}})
    with pytest.raises(DataValidationError, match="whole number"):
        fitted.sample(0)
    with pytest.raises(RegistryError, match="no marginal 'gauss'"):
        GaussianCopulaSynthesizer(marginal="gauss").fit(mixed)
    with pytest.raises(DataValidationError, match="1 distinct value"):
        GaussianCopulaSynthesizer().fit(mixed.assign(t="x"), target="t")


def test_registered_and_built_by_name():
    assert SYNTHESIZERS.get("gaussian_copula") is GaussianCopulaSynthesizer
    built = make_synthesizer("gaussian_copula", marginal="empirical", smoothing=0.2)
    assert isinstance(built, GaussianCopulaSynthesizer) and built.smoothing == 0.2
