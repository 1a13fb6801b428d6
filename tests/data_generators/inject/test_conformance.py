"""Every registered operation: touches only the selected rows, repeats under a seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import OPERATIONS, RowRange, inject

# the columns and parameters each operation needs on TABLE
CASES = {
    "shift": ("a", {}),
    "scale": ("a", {}),
    "gaussian_noise": ("a", {}),
    "quantile_warp": ("a", {}),
    "category_prior": ("city", {"proportions": {"x": 0.5, "y": 0.5}}),
    "new_category": ("city", {}),
    "correlation": (["a", "b"], {}),
    "label_flip": (None, {"rate": 0.3}),
    "prior_shift": (None, {"proportions": {0: 0.8, 1: 0.2}}),
    "relabel": (None, {}),
    "relabel_function": (None, {"function": lambda rows: (rows["a"] > 0).astype(int)}),
    "missing": ("a", {}),
    "outliers": ("b", {}),
    "sentinel": ("city", {}),
    "trend": ("a", {"slope": 0.1}),
    "seasonality": ("a", {"period": 50}),
    "random_walk": (["a", "b"], {}),
    "level_steps": ("b", {"at": [250], "sizes": [2.0]}),
    "target_formula": (None, {"formula": "a + b > 0"}),
}
WHOLE_TABLE = {"duplicates", "drop_column", "rename_column"}


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(0)
    n = 400
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "city": rng.choice(["x", "y", "z"], n),
            "target": rng.integers(0, 2, n),
        }
    )


def test_every_operation_has_a_case():
    assert set(CASES) | WHOLE_TABLE == set(OPERATIONS.names())


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_selected_rows_change(table, name):
    columns, params = CASES[name]
    out, record = inject(table, name, columns=columns, selector=RowRange(200), seed=1, **params)
    assert out.iloc[:200].equals(table.iloc[:200])
    assert not out.iloc[200:].equals(table.iloc[200:])
    event = record.events[0]
    assert event.weight[:200].max() == 0 and event.onset_row == 200
    assert event.kind == OPERATIONS.get(name).kind


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_seed_same_result(table, name):
    columns, params = CASES[name]
    first = inject(table, name, columns=columns, seed=9, **params)
    again = inject(table, name, columns=columns, seed=9, **params)
    assert first.data.equals(again.data)
    assert first.record == again.record
