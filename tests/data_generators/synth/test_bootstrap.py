"""Bootstrap: real rows, optional noise scaled to each column, conditions within values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.synth import BootstrapSynthesizer


def test_rows_are_real_rows_without_noise(real):
    rows = BootstrapSynthesizer().fit(real).sample(500, seed=0)
    merged = rows.merge(real.drop_duplicates(), how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_noise_is_scaled_to_each_column(real):
    rows = BootstrapSynthesizer(noise=0.1).fit(real).sample(20000, seed=1)
    assert not rows.x.isin(set(real.x)).any()
    # var(x + e) = var(x) (1 + 0.1^2)
    assert rows.x.std() == pytest.approx(real.x.std() * np.sqrt(1.01), rel=0.03)
    assert rows.age.dtype == real.age.dtype and rows.age.between(18, 89).all()
    assert rows.kids.isin(real.kids.unique()).all()  # few-valued integers are left as drawn
    assert rows.income.isna().mean() == pytest.approx(real.income.isna().mean(), abs=0.01)
    assert rows.city.isin(["lyon", "paris", "nice", None]).all()


def test_conditions_resample_within_each_value(real):
    synth = BootstrapSynthesizer().fit(real, target="y")
    rows = synth.sample(1000, conditions={"y": {"yes": 0.5, "no": 0.5}}, seed=2)
    assert rows.y.value_counts().to_dict() == {"yes": 500, "no": 500}
    expected = real.loc[real.y == "yes", "x"].mean()
    assert rows.loc[rows.y == "yes", "x"].mean() == pytest.approx(expected, abs=0.08)
    assert rows.y.iloc[:20].nunique() == 2  # shuffled, not one block per value


def test_a_frame_with_a_custom_index_comes_back_with_a_range_index():
    real = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=[10, 20, 30])
    rows = BootstrapSynthesizer().fit(real).sample(4, seed=0)
    assert rows.index.tolist() == [0, 1, 2, 3]
