from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.evaluation.distributions import FEW_VALUES, distributions
from calmops.data_generators.evaluation.tables import align


def test_few_valued_numbers_get_a_bar_per_value_with_shares_counted_by_hand():
    real = pd.DataFrame({"rating": [1, 1, 2, 3, np.nan]})
    synthetic = pd.DataFrame({"rating": [1, 2, 2, 2, 3]})
    shape = distributions(align(real, synthetic))["rating"]
    assert shape["type"] == "bar" and shape["labels"] == ["1", "2", "3"]  # no "other": none
    assert shape["real"] == pytest.approx([2 / 5, 1 / 5, 1 / 5])  # missing counts in the total
    assert shape["synthetic"] == pytest.approx([1 / 5, 3 / 5, 1 / 5])


def test_synthetic_values_outside_the_real_ones_go_to_one_other_bar():
    real = pd.DataFrame({"score": [0.0, 0.5, 1.0, 0.5]})
    synthetic = pd.DataFrame({"score": [0.0, 0.25, 0.75, 1.0]})
    shape = distributions(align(real, synthetic))["score"]
    assert shape["labels"] == ["0", "0.5", "1", "other"]
    assert shape["synthetic"] == pytest.approx([0.25, 0.0, 0.25, 0.5])
    assert shape["real"][-1] == 0.0


def test_many_valued_numbers_and_dates_stay_histograms():
    rng = np.random.default_rng(0)
    n = 200
    real = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "count": rng.integers(0, FEW_VALUES + 5, n),
            "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 3, n), "D"),
        }
    )
    shapes = distributions(align(real, real.sample(frac=1, random_state=1)))
    assert shapes["x"]["type"] == shapes["count"]["type"] == "histogram"
    assert (
        shapes["day"]["type"] == "histogram" and shapes["day"]["datetime"]
    )  # 3 dates: still a time axis
    assert sum(shapes["x"]["real"]) == pytest.approx(1.0)
