from __future__ import annotations

import numpy as np
import pytest

from calmops.drift.merging import merge_numeric, merge_samples
from calmops.drift.sides import NumericSide


def test_merge_samples_handles_a_part_that_gets_nothing():
    rng = np.random.default_rng(0)
    a, b = np.arange(3.0), np.arange(100.0, 200.0)
    out = merge_samples(a, b, n_a=3, n_b=1_000_000, size=10, rng=rng)
    assert out.size == 10 and np.isin(out, np.r_[a, b]).all()


def test_merge_samples_of_rows_keeps_rows():
    rng = np.random.default_rng(1)
    a, b = np.ones((50, 2)), np.zeros((50, 2))
    out = merge_samples(a, b, n_a=500, n_b=500, size=40, rng=rng)
    assert out.shape == (40, 2)


def test_merge_samples_is_uniform_over_the_union():
    rng = np.random.default_rng(2)
    shares = [
        merge_samples(np.ones(100), np.zeros(100), 1000, 3000, 100, rng).mean() for _ in range(200)
    ]
    assert np.mean(shares) == pytest.approx(0.25, abs=0.01)


def test_merge_numeric_of_full_parts_is_exact_even_above_the_cap():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=800), rng.normal(2, size=700)
    a, b = NumericSide.from_values(x), NumericSide.from_values(y)
    merged = merge_numeric(a, b, cap=1000, bins=10, rng=rng)
    whole = NumericSide.from_values(np.r_[x, y])
    assert merged.sample.size == 1000 and merged.n == 1500
    assert np.array_equal(merged.edges, whole.edges) and np.array_equal(merged.counts, whole.counts)
    assert merged.n_unique == whole.n_unique
    assert merged.std == pytest.approx(whole.std) and merged.mean == pytest.approx(whole.mean)
