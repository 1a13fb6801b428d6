"""NativeCategories: what the default gradient boosting model sees of a table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calmops.models.native import NativeCategories


def test_numbers_stay_text_becomes_categories_and_datetimes_go() -> None:
    frame = pd.DataFrame(
        {
            "x": [1, 2, None, 4],
            "flag": [True, False, True, True],
            "colour": ["red", "blue", None, "red"],
            "when": pd.date_range("2024-01-01", periods=4),
        }
    )
    encoder = NativeCategories().fit(frame)
    out = encoder.transform(frame)
    assert list(out.columns) == ["x", "flag", "colour"] == list(encoder.get_feature_names_out())
    assert out["x"].dtype == "float64" and np.isnan(out["x"][2])
    assert out["flag"].tolist() == [1.0, 0.0, 1.0, 1.0]
    assert isinstance(out["colour"].dtype, pd.CategoricalDtype)
    assert out["colour"].astype(object).tolist()[:2] == ["red", "blue"]
    assert out["colour"].isna().tolist() == [False, False, True, False]


def test_unseen_and_rare_categories_become_missing() -> None:
    train = pd.DataFrame({"town": ["a"] * 5 + ["b"] * 3 + ["c"]})
    encoder = NativeCategories(max_categories=2).fit(train)
    out = encoder.transform(pd.DataFrame({"town": ["a", "b", "c", "zz"]}))
    assert list(out["town"].cat.categories) == ["a", "b"]  # the two most frequent
    assert out["town"].isna().tolist() == [False, False, True, True]


def test_mixed_and_numeric_looking_text_is_compared_as_text() -> None:
    train = pd.DataFrame({"code": pd.Series([1, "x", 2.5, "1"], dtype=object)})
    out = NativeCategories().fit(train).transform(pd.DataFrame({"code": ["1", "2.5", "y"]}))
    assert out["code"].astype(object).tolist()[:2] == ["1", "2.5"]
    assert out["code"].isna().tolist() == [False, False, True]
