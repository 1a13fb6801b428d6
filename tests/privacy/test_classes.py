"""k-anonymity, l-diversity and rows at risk on hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from calmops.errors import DataValidationError
from calmops.privacy import summarize_classes

# classes over (age, sex): (20s,f) x3, (20s,m) x2, (30s,f) x4, (40s,m) x1
TABLE = pd.DataFrame(
    {
        "age": ["20s"] * 5 + ["30s"] * 4 + ["40s"],
        "sex": ["f", "f", "f", "m", "m", "f", "f", "f", "f", "m"],
        "dx": ["flu", "cold", "flu", "flu", "flu", "a", "b", "c", "d", "flu"],
    }
)


def test_k_anonymity_and_rows_at_risk():
    s = summarize_classes(TABLE, ["age", "sex"], k=3)
    assert (s.n_classes, s.k_anonymity) == (4, 1)
    assert (s.rows_at_risk, s.classes_at_risk) == (3, 2)
    assert s.share_at_risk == pytest.approx(0.3) and not s.satisfies_k


def test_distinct_and_entropy_l_diversity():
    s = summarize_classes(TABLE, ["age", "sex"], k=1, sensitive="dx")
    # (20s,m) and (40s,m) hold one diagnosis each
    assert s.l_diversity == 1 and s.entropy_l_diversity == pytest.approx(1.0)
    without_single = TABLE[TABLE["sex"] == "f"]
    s = summarize_classes(without_single, ["age", "sex"], k=1, sensitive="dx")
    # (20s,f): flu, cold, flu -> 2 distinct, entropy of (2/3, 1/3); (30s,f): 4 distinct
    entropy = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert s.l_diversity == 2
    assert s.entropy_l_diversity == pytest.approx(math.exp(entropy))
    assert s.satisfies_k


def test_unknown_column():
    with pytest.raises(DataValidationError, match="unknown column 'zip'"):
        summarize_classes(TABLE, ["zip"])
