"""k-anonymity by row suppression really holds, and costs exactly the small classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.errors import DataValidationError
from calmops.privacy import class_sizes, enforce_k_anonymity


def _table(n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n) // 5 * 5,
            "sex": rng.choice(["f", "m"], n),
            "zip": rng.choice([f"z{i}" for i in range(60)], n, p=np.r_[[0.5], [0.5 / 59] * 59]),
            "dx": rng.choice(["a", "b", "c"], n),
        }
    )


@pytest.mark.parametrize("k", [2, 5, 20])
def test_every_class_has_at_least_k_rows_after_suppression(k):
    frame = _table()
    qis = ["age", "sex", "zip"]
    before = class_sizes(frame, qis)
    result = enforce_k_anonymity(frame, qis, k)
    after = result.frame.groupby(qis).size()
    assert after.min() >= k
    assert result.rows_suppressed == int((before < k).sum()) > 0
    assert len(result.frame) == len(frame) - result.rows_suppressed
    # the rows kept are exactly those of the classes that were already large enough
    kept = frame[before >= k].reset_index(drop=True)
    assert result.frame.equals(kept)


def test_missing_values_form_their_own_class():
    frame = pd.DataFrame({"age": [30, 30, None, None, None, 40], "x": range(6)})
    result = enforce_k_anonymity(frame, ["age"], 2)
    assert result.frame["x"].tolist() == [0, 1, 2, 3, 4]
    assert result.to_dict()["unit"] == "rows" and result.classes_suppressed == 1


def test_k_larger_than_the_table_and_unknown_columns_are_clear_errors():
    frame = _table(10)
    with pytest.raises(DataValidationError, match=r"k=11 is larger than the table \(10 rows\)"):
        enforce_k_anonymity(frame, ["age"], 11)
    with pytest.raises(DataValidationError, match="unknown column 'postcode'"):
        enforce_k_anonymity(frame, ["age", "postcode"], 2)


def test_suppressing_every_row_is_refused():
    frame = pd.DataFrame({"age": [1, 2, 3, 3]})
    with pytest.raises(DataValidationError, match=r"every row \(the largest class has 2\)"):
        enforce_k_anonymity(frame, ["age"], 3)


def test_too_much_suppression_is_refused_with_advice():
    frame = _table(200)
    with pytest.raises(DataValidationError, match="generalize the quasi-identifiers more"):
        enforce_k_anonymity(frame, ["age", "sex", "zip", "dx"], 5, max_suppressed=0.1)
