"""Column kinds: few-valued numeric columns are codes, a small table of measurements is not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calmops.data_generators.synth.columns import MAX_CODES, MIN_REPEATS, infer_schema


def test_few_valued_fractions_are_codes_and_measurements_are_not():
    rng = np.random.default_rng(0)
    real = pd.DataFrame(
        {
            "score": rng.choice([0.0, 0.5, 1.0], 300),
            "rating": rng.integers(1, 6, 300),
            "length": rng.normal(size=300),
        }
    )
    schema = infer_schema(real)
    assert schema.column("score").is_code and schema.column("score").categories == (0, 0.5, 1)
    assert schema.column("score").kind == "numeric"  # still a float column
    assert schema.column("rating").is_code and not schema.column("length").is_code


def test_fractions_must_repeat_to_be_codes():
    few_rows = pd.DataFrame({"x": np.arange(12) / 4})  # 12 values, each once
    assert not infer_schema(few_rows).column("x").is_code
    repeated = pd.DataFrame({"x": np.repeat(np.arange(12) / 4, MIN_REPEATS)})
    assert infer_schema(repeated).column("x").is_code
    many = pd.DataFrame({"x": np.repeat(np.arange(MAX_CODES + 1) / 4, 10)})
    assert not infer_schema(many).column("x").is_code
