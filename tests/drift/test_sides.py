"""Column sides: alignment of bins and categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.drift import get_test
from calmops.drift.sides import CategoricalSide, NumericSide


def test_numeric_distances_need_shared_edges():
    ref = NumericSide.from_values(np.arange(100.0))
    cur = NumericSide.from_values(np.arange(50.0))  # its own edges
    with pytest.raises(ValueError, match="share bin edges"):
        get_test("psi")(ref, cur)


def test_categorical_sides_align_on_the_union():
    ref = CategoricalSide.from_values(["a", "b"])
    cur = CategoricalSide.from_values(["c", "c"])
    assert get_test("hellinger")(ref, cur).statistic == pytest.approx(1.0)


def test_numeric_side_counts_bins_and_excludes_non_finite():
    side = NumericSide.from_values([4.0, 1.0, np.nan, 2.0, 3.0, -np.inf], bins=2)
    assert (side.n, side.n_missing, side.n_infinite, side.n_unique) == (4, 1, 1, 4)
    assert side.edges.tolist() == [2.5] and side.counts.tolist() == [2, 2]
    assert side.min == 1.0 and side.max == 4.0 and side.is_full
    current = NumericSide.from_values([0.0, 10.0, 2.5], edges=side.edges)
    assert current.counts.tolist() == [1, 2]  # open-ended bins; an edge value goes right


def test_capped_sample_is_a_sorted_subset():
    values = np.random.default_rng(0).normal(size=5000)
    side = NumericSide.from_values(values, cap=100, seed=3)
    assert side.sample.size == 100 and not side.is_full
    assert np.all(np.diff(side.sample) >= 0) and np.isin(side.sample, values).all()


def test_labels_unify_integer_float_and_bool():
    from calmops.drift.sides import as_labels

    labels = as_labels(pd.Series([1, 2, None], dtype="Int64"))
    assert labels[:2].tolist() == ["1", "2"] and labels.isna().tolist() == [False, False, True]
    assert as_labels([1.5, 2.0]).tolist() == ["1.5", "2.0"]
    assert as_labels(pd.Series([True, False])).tolist() == ["True", "False"]


def test_as_side_infers_the_kind():
    from calmops.drift.sides import as_side

    assert isinstance(as_side([1.0, 2.0]), NumericSide)
    assert isinstance(as_side(["a", "b"]), CategoricalSide)
    assert isinstance(as_side([True, False]), CategoricalSide)
    with pytest.raises(TypeError, match="expected a NumericSide"):
        as_side(CategoricalSide.from_values(["a"]), NumericSide)
