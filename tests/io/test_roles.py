"""Columns that look like identifiers or event times are named with the role to give them."""

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes, load_iris, load_wine

from calmops.io.roles import MIN_ROWS_FOR_ID, role_hints


def hints(frame, assigned=()):
    return {hint.column: hint.role for hint in role_hints(frame, assigned)}


def test_real_tables_without_ids_or_times_get_no_hint():
    for loader in (load_iris, load_wine, load_diabetes):
        assert hints(loader(as_frame=True).frame) == {}


def test_a_text_key_and_date_strings_are_named():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C-{i:05d}" for i in rng.permutation(300)],
            "ts": pd.date_range("2026-01-01", periods=300, freq="15min").astype(str),
            "amount": rng.normal(size=300),
            "city": rng.choice(["a", "b", "c"], size=300),
        }
    )
    assert hints(frame) == {"customer_id": "id_columns", "ts": "time_column"}


def test_assigned_columns_get_no_hint():
    frame = pd.DataFrame(
        {"order": [f"o{i}" for i in range(40)], "t": pd.date_range("2026", periods=40)}
    )
    assert hints(frame, assigned=["order", "t"]) == {}


def test_datetime_dtype_is_a_time_even_with_few_rows():
    frame = pd.DataFrame({"when": pd.date_range("2026", periods=3), "x": [1.0, 2.0, 3.0]})
    assert hints(frame) == {"when": "time_column"}


def test_distinct_floats_and_integer_measurements_are_not_ids():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "income": rng.normal(size=100),  # distinct floats: a measurement
            "code": rng.permutation(1000)[:100],  # distinct integers, not named like a key
        }
    )
    assert hints(frame) == {}


def test_integer_row_counter_and_named_integer_key_are_ids():
    frame = pd.DataFrame(
        {"row": np.arange(50), "user_id": np.random.default_rng(2).permutation(50) + 1000}
    )
    assert hints(frame) == {"row": "id_columns", "user_id": "id_columns"}


def test_too_few_rows_or_repeats_or_missing_values_are_not_ids():
    few = pd.DataFrame({"k": [f"k{i}" for i in range(MIN_ROWS_FOR_ID - 1)]})
    repeated = pd.DataFrame({"k": [f"k{i % 30}" for i in range(60)]})
    missing = pd.DataFrame({"k": [f"k{i}" for i in range(59)] + [None]})
    assert hints(few) == hints(repeated) == hints(missing) == {}


def test_short_numbers_as_text_are_not_times():
    frame = pd.DataFrame({"year": ["2020", "2021"] * 20, "zip": ["28001", "08002"] * 20})
    assert hints(frame) == {}


def test_message_names_the_role_and_the_flag():
    hint = role_hints(pd.DataFrame({"ts": pd.date_range("2026", periods=3)}))[0]
    text = hint.message("--time-column")
    assert "data.time_column" in text and "--time-column ts" in text and "'ts'" in text
