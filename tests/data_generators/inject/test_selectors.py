"""Selectors: row ranges, time ranges, blocks, conditions and their combinations."""

from __future__ import annotations

import pandas as pd
import pytest

from calmops.data_generators import AllRows, BlockSet, RowRange, TimeRange, Where
from calmops.errors import DataValidationError, SpecError

DF = pd.DataFrame(
    {
        "t": pd.date_range("2024-01-01", periods=6, freq="D"),
        "block": [1, 1, 2, 2, 3, 3],
        "age": [20, 35, 50, 65, 80, 95],
        "city": ["a", "b", "a", "b", "a", "b"],
    }
)


def test_each_selector():
    assert RowRange(2, 4).mask(DF).tolist() == [0, 0, 1, 1, 0, 0]
    assert RowRange(4).mask(DF).tolist() == [0, 0, 0, 0, 1, 1]
    assert TimeRange("t", "2024-01-02", "2024-01-04").mask(DF).tolist() == [0, 1, 1, 0, 0, 0]
    assert TimeRange("age", 50).mask(DF).tolist() == [0, 0, 1, 1, 1, 1]
    assert BlockSet("block", (1, 3)).mask(DF).tolist() == [1, 1, 0, 0, 1, 1]
    assert Where("city", "in", ["b"]).mask(DF).tolist() == [0, 1, 0, 1, 0, 1]
    assert Where("age", "<=", 35).mask(DF).tolist() == [1, 1, 0, 0, 0, 0]
    assert AllRows().mask(DF).all()


def test_combinations():
    s = (RowRange(0, 4) | BlockSet("block", (3,))) & ~Where("city", "==", "b")
    assert s.mask(DF).tolist() == [1, 0, 1, 0, 1, 0]
    assert s.describe()["type"] == "and"


def test_string_dates_are_parsed():
    df = DF.assign(t=DF["t"].astype(str))
    assert TimeRange("t", "2024-01-05").mask(df).tolist() == [0, 0, 0, 0, 1, 1]


def test_errors_name_the_problem():
    with pytest.raises(DataValidationError, match="unknown column 'ag'; the table has t, block"):
        Where("ag", ">", 3).mask(DF)
    with pytest.raises(SpecError, match="not a valid range"):
        RowRange(5, 2).mask(DF)
    with pytest.raises(SpecError, match="unknown comparison"):
        Where("age", "=>", 3).mask(DF)


def test_a_selector_must_define_its_mask() -> None:
    from calmops.data_generators.inject.selectors import Selector

    with pytest.raises(TypeError, match="abstract method mask"):
        Selector()

    class Everything(Selector):
        def mask(self, data: pd.DataFrame):
            return [True] * len(data)

    assert (Everything() & RowRange(0, 2)).mask(DF).tolist() == [True, True] + [False] * 4
