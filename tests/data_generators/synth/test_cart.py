"""Sequential CART: marginals, relations, conditions, missingness, dtypes, no copies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp

from calmops.data_generators.synth import CartSynthesizer
from calmops.errors import DataValidationError

N = 6000


@pytest.fixture(scope="module")
def fitted(real: pd.DataFrame) -> CartSynthesizer:
    return CartSynthesizer().fit(real, target="y")


@pytest.fixture(scope="module")
def rows(fitted: CartSynthesizer) -> pd.DataFrame:
    return fitted.sample(N, seed=11)


def _ks_bound(n: int, m: int, alpha: float = 0.001) -> float:
    """The two-sample KS critical value: sqrt(-ln(alpha/2)/2) * sqrt((n+m)/(n m))."""
    return float(np.sqrt(-np.log(alpha / 2) / 2) * np.sqrt((n + m) / (n * m)))


@pytest.mark.parametrize("column", ["x", "z", "income", "age", "kids", "when"])
def test_numeric_marginals_within_the_ks_bound(real, rows, column):
    a, b = real[column].dropna(), rows[column].dropna()
    if column == "when":
        a, b = a.astype("int64"), b.astype("int64")
    assert ks_2samp(a, b).statistic < _ks_bound(len(a), len(b))


@pytest.mark.parametrize("column", ["smoker", "city", "y"])
def test_category_shares_match(real, rows, column):
    expected = real[column].value_counts(normalize=True, dropna=False)
    got = rows[column].value_counts(normalize=True, dropna=False)
    got.index = got.index.map(lambda v: None if pd.isna(v) else v)
    expected.index = expected.index.map(lambda v: None if pd.isna(v) else v)
    assert got.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy(), abs=0.03)


def test_relations_between_columns_are_kept(real, rows):
    assert np.corrcoef(rows.x, rows.z)[0, 1] == pytest.approx(
        np.corrcoef(real.x, real.z)[0, 1], abs=0.03
    )
    for label in ("yes", "no"):
        expected = real.loc[real.y == label, "x"].mean()
        assert rows.loc[rows.y == label, "x"].mean() == pytest.approx(expected, abs=0.08)


def test_missing_shares_are_kept(real, rows):
    for column in ("income", "city"):
        assert rows[column].isna().mean() == pytest.approx(real[column].isna().mean(), abs=0.015)
    assert rows.drop(columns=["income", "city"]).notna().all().all()


def test_dtypes_are_restored(real, rows):
    assert rows.dtypes.to_dict() == real.dtypes.to_dict()
    assert list(rows.columns) == list(real.columns)
    assert set(rows.city.dropna()) <= {"lyon", "paris", "nice"}
    assert rows.age.between(18, 89).all() and rows.kids.isin(real.kids.unique()).all()


def test_no_synthetic_row_copies_a_real_row(real, rows):
    continuous = ["x", "z"]
    copies = rows[continuous].merge(real[continuous].drop_duplicates(), how="inner")
    assert len(copies) == 0
    assert not rows.x.isin(set(real.x)).any()  # every continuous value was smoothed


def test_without_smoothing_values_are_real_donors(real):
    rows = CartSynthesizer(smoothing=False).fit(real).sample(500, seed=1)
    assert rows.x.isin(set(real.x)).all() and rows.z.isin(set(real.z)).all()


def test_same_seed_same_rows_and_n_jobs_does_not_matter(real, fitted):
    again = CartSynthesizer(n_jobs=1).fit(real, target="y").sample(300, seed=4)
    pd.testing.assert_frame_equal(fitted.sample(300, seed=4), again)
    assert not fitted.sample(300, seed=5).equals(again)


def test_conditions_are_exact_and_keep_the_relations(real, fitted):
    rows = fitted.sample(4001, conditions={"y": {"yes": 0.5, "no": 0.5}}, seed=2)
    counts = rows.y.value_counts()
    assert abs(counts["yes"] - 2000.5) <= 1 and counts.sum() == 4001
    for label in ("yes", "no"):
        expected = real.loc[real.y == label, "x"].mean()
        assert rows.loc[rows.y == label, "x"].mean() == pytest.approx(expected, abs=0.08)


def test_conditions_on_a_column_other_than_the_target(real, fitted):
    rows = fitted.sample(1000, conditions={"city": {"nice": 0.9, "lyon": 0.1}}, seed=3)
    assert rows.city.value_counts().to_dict() == {"nice": 900, "lyon": 100}
    assert not rows.city.isna().any()
    # the chain visited city first; the default order stays for unconditioned samples
    assert fitted.order_[0] == "y"
    assert rows.y.value_counts(normalize=True)["yes"] == pytest.approx(
        (real.y == "yes").mean(), abs=0.05
    )


def test_conditions_on_a_coded_integer_and_a_boolean(real, fitted):
    rows = fitted.sample(100, conditions={"kids": {"0": 0.25, 3: 0.75}}, seed=1)
    assert rows.kids.value_counts().to_dict() == {3: 75, 0: 25}
    rows = fitted.sample(10, conditions={"smoker": {"True": 1}}, seed=1)
    assert rows.smoker.all()


def test_visit_order_and_leaf_size(real):
    synth = CartSynthesizer(visit_order=["city", "x"], min_samples_leaf=50).fit(real)
    assert synth.order_[:3] == ["city", "x", "z"]
    leaf_sizes = [step.value.count[step.value.count > 0] for step in synth.chains_.popitem()[1]]
    assert min(sizes.min() for sizes in leaf_sizes[1:]) >= 50
    with pytest.raises(DataValidationError, match="visit_order must name"):
        CartSynthesizer(visit_order=["nope"]).fit(real)
    with pytest.raises(DataValidationError, match="min_samples_leaf"):
        CartSynthesizer(min_samples_leaf=0).fit(real)
    with pytest.raises(DataValidationError, match="smoothing must be true or false"):
        CartSynthesizer(smoothing="density").fit(real)
    with pytest.raises(DataValidationError, match="n_jobs must be"):
        CartSynthesizer(n_jobs=1.5).fit(real)


def test_missing_numbers_depend_on_the_other_columns():
    rng = np.random.default_rng(3)
    group = rng.choice(["a", "b"], 4000)
    value = rng.normal(size=4000)
    value[(group == "a") & (rng.random(4000) < 0.6)] = np.nan  # missing mostly in group a
    real = pd.DataFrame({"group": group, "value": value})
    rows = CartSynthesizer().fit(real).sample(4000, seed=0)
    share = rows.value.isna().groupby(rows.group).mean()
    assert share["a"] == pytest.approx(0.6, abs=0.04) and share["b"] == 0


def test_many_categories_use_a_regression_tree():
    rng = np.random.default_rng(0)
    real = pd.DataFrame({"x": rng.normal(size=2000), "id": rng.integers(0, 300, 2000).astype(str)})
    rows = CartSynthesizer(visit_order=["x"]).fit(real).sample(500, seed=0)
    assert rows.id.isin(set(real.id)).all()


def test_few_valued_numeric_columns_keep_their_values():
    rng = np.random.default_rng(0)  # Phishing-like scores: 0, 0.5, 1 beside a measurement
    score = rng.choice([0.0, 0.5, 1.0], 1200, p=[0.5, 0.2, 0.3])
    real = pd.DataFrame({"score": score, "length": score * 3 + rng.normal(size=1200)})
    rows = CartSynthesizer().fit(real).sample(3000, seed=0)
    assert set(rows.score) == {0.0, 0.5, 1.0}
    assert rows.score.value_counts(normalize=True)[0.5] == pytest.approx(0.2, abs=0.02)
    assert not rows.length.isin(set(real.length)).any()  # the measurement is still smoothed
    assert rows.groupby("score").length.mean().is_monotonic_increasing


def test_integers_with_many_values_are_smoothed_then_rounded():
    rng = np.random.default_rng(1)  # 100 distinct whole numbers, ten apart: not codes
    real = pd.DataFrame({"tens": rng.integers(0, 100, 1000) * 10, "x": rng.normal(size=1000)})
    rows = CartSynthesizer().fit(real).sample(2000, seed=0)
    assert rows.tens.dtype == real.tens.dtype and rows.tens.between(0, 990).all()
    assert (~rows.tens.isin(set(real.tens))).mean() > 0.5  # new whole numbers, not donors
    assert ks_2samp(rows.tens, real.tens).statistic < _ks_bound(1000, 2000)


@pytest.fixture(scope="module")
def chicks() -> pd.DataFrame:
    from river.datasets import ChickWeights

    frame = pd.DataFrame([{**x, "weight": y} for x, y in ChickWeights()])
    return frame.astype({"chick": str, "diet": str})


@pytest.mark.slow
def test_chick_weights_no_copies_and_each_chick_keeps_its_diet(chicks):
    from sklearn.model_selection import train_test_split

    from calmops.data_generators import evaluate

    train, holdout = train_test_split(chicks, test_size=0.3, random_state=0)
    synth = CartSynthesizer().fit(train, target="weight")
    assert synth.identifiers_ == {"chick": ("diet",)} and synth.order_[-1] == "chick"
    rows = synth.sample(len(train), seed=0)
    assert len(rows.merge(train.drop_duplicates(), how="inner")) == 0
    report = evaluate(train, rows, holdout, target="weight", seed=0).to_dict()
    privacy = report["privacy"]
    assert privacy["exact_copies"] <= privacy["holdout_exact_copies"] == 0
    assert privacy["dcr_closer_to_train"] < 0.65
    diet_of = train.groupby("chick").diet.first()
    assert (rows.diet == rows.chick.map(diet_of)).all()
    assert np.corrcoef(rows.time, rows.weight)[0, 1] == pytest.approx(
        np.corrcoef(train.time, train.weight)[0, 1], abs=0.05
    )
    assert report["utility"]["tstr"] > 0.6  # weight from time and diet: R² on the holdout
