"""Per-column histograms for plots."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.drift.distribution import TOP_CATEGORIES, distribution
from calmops.drift.sides import CategoricalSide, NumericSide


def test_whole_numbers_get_bins_centred_on_them():
    shape = distribution(NumericSide.from_values([1, 2, 2, 3]), NumericSide.from_values([2, 3, 4]))
    assert shape["edges"] == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert shape["reference"] == [0.25, 0.5, 0.25, 0.0]
    assert sum(shape["current"]) == pytest.approx(1.0, abs=1e-5)


def test_continuous_values_get_equal_width_bins_over_both_ranges():
    rng = np.random.default_rng(0)
    shape = distribution(
        NumericSide.from_values(rng.normal(size=500)),
        NumericSide.from_values(rng.normal(3, size=500)),
    )
    assert len(shape["edges"]) == 31 and shape["type"] == "histogram"
    assert sum(shape["reference"]) == pytest.approx(1.0, abs=1e-4)


def test_many_categories_pool_the_rest():
    labels = [f"c{i:02d}" for i in range(30)]
    shape = distribution(CategoricalSide.from_values(labels), CategoricalSide.from_values(labels))
    assert len(shape["labels"]) == TOP_CATEGORIES + 1 and shape["labels"][-1] == "(other)"
    assert shape["reference"][-1] == pytest.approx(10 / 30, abs=1e-6)
