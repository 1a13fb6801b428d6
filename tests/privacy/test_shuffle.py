"""Column shuffling keeps each marginal and breaks the row link, reproducibly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.errors import DataValidationError
from calmops.privacy import shuffle_columns


def test_marginals_kept_rows_unlinked_and_seeded():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"zip": rng.integers(0, 10**6, 5000), "y": np.arange(5000)})
    out = shuffle_columns(frame, ["zip"], seed=3)
    assert sorted(out["zip"]) == sorted(frame["zip"]) and out["y"].equals(frame["y"])
    assert (out["zip"] == frame["zip"]).mean() < 0.01
    assert abs(np.corrcoef(out["zip"], frame["zip"])[0, 1]) < 0.05
    assert out.equals(shuffle_columns(frame, ["zip"], seed=3))
    assert not out.equals(shuffle_columns(frame, ["zip"], seed=4))


def test_columns_are_shuffled_independently():
    frame = pd.DataFrame({"a": np.arange(2000), "b": np.arange(2000)})
    out = shuffle_columns(frame, ["a", "b"], seed=0)
    assert (out["a"] == out["b"]).mean() < 0.01


def test_unknown_column():
    with pytest.raises(DataValidationError, match="unknown column 'c' in shuffle"):
        shuffle_columns(pd.DataFrame({"a": [1]}), ["c"])
