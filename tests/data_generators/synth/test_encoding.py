"""The working domain of synthesis: every column kind there and back, unchanged."""

from __future__ import annotations

import pandas as pd

from calmops.data_generators.synth.columns import infer_schema
from calmops.data_generators.synth.encoding import decode_table, encode_table, is_fixed


def test_every_kind_round_trips(real):
    schema = infer_schema(real)
    pd.testing.assert_frame_equal(decode_table(encode_table(real, schema), schema), real)


def test_categorical_dtype_and_nullable_integers_round_trip():
    real = pd.DataFrame(
        {
            "c": pd.Categorical(["a", "b", None, "a"], categories=["a", "b", "z"]),
            "i": pd.array([1, None, 3, 4], dtype="Int64"),
            "t": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-01-02"]).tz_localize(
                "Europe/Paris"
            ),
        }
    )
    schema = infer_schema(real)
    back = decode_table(encode_table(real, schema), schema)
    assert back.dtypes.to_dict() == real.dtypes.to_dict()
    assert back.isna().equals(real.isna())


def test_fixed_columns():
    schema = infer_schema(pd.DataFrame({"k": [1, 1], "e": [None, None], "m": [1.0, None]}))
    assert [is_fixed(c) for c in schema.columns] == [True, True, False]
