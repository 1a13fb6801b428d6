"""Replicated uniques: found by row, and redrawn by cart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.synth import CartSynthesizer
from calmops.data_generators.synth.copies import replicated, row_keys, unique_rows


def test_rows_are_keyed_by_every_column_with_missing_and_signed_zero_alike():
    keys = row_keys({"a": np.array([0.0, -0.0, np.nan, np.nan]), "b": np.array([1.0, 1, 2, 3])})
    assert keys[0] == keys[1] and keys[2] != keys[3]


def test_only_copies_of_rows_unique_in_the_real_table_are_flagged():
    real = {"a": np.array([1.0, 1.0, 2.0, 3.0]), "b": np.array([5.0, 5.0, 6.0, 7.0])}
    uniques = unique_rows(real)
    assert len(uniques) == 2  # (2, 6) and (3, 7); (1, 5) is shared by two rows
    drawn = {"a": np.array([1.0, 2.0, 3.0, 2.0]), "b": np.array([5.0, 6.0, 6.0, 7.0])}
    assert replicated(drawn, uniques).tolist() == [False, True, False, False]


def _uniques_copied(real: pd.DataFrame, rows: pd.DataFrame) -> int:
    counts = real.value_counts()
    singles = counts[counts == 1].reset_index().drop(columns="count")
    return len(rows.merge(singles, how="inner"))


def test_cart_redraws_the_copies_of_real_uniques():
    rng = np.random.default_rng(0)  # 400 rows of three few-valued columns: many uniques
    real = pd.DataFrame({c: rng.integers(0, 6, 400) for c in ("a", "b", "c")})
    kept = CartSynthesizer(redraw_uniques=False).fit(real).sample(400, seed=1)
    assert _uniques_copied(real, kept) > 20  # without the redraw, uniques come back
    rows = CartSynthesizer().fit(real).sample(400, seed=1)
    assert _uniques_copied(real, rows) == 0
    for column in real:  # the shares survive the redraw
        assert rows[column].value_counts(normalize=True).sort_index().to_numpy() == (
            pytest.approx(
                real[column].value_counts(normalize=True).sort_index().to_numpy(), abs=0.05
            )
        )
