from __future__ import annotations

import numpy as np
import pandas as pd

from calmops.drift.profile import Profile
from calmops.drift.quality import column_findings, dtype_family, schema_findings
from calmops.drift.sides import CategoricalSide, NumericSide


def test_dtype_families_ignore_width_and_nullability():
    assert {dtype_family(t) for t in ("int8", "float64", "Int64", "uint32")} == {"number"}
    assert dtype_family("bool") == "bool" and dtype_family("datetime64[ns]") == "time"
    assert dtype_family("object") == dtype_family("str") == "text"


def test_schema_findings_order_and_severity():
    found = schema_findings(["a", "b", "c"], ["c", "a", "z"])
    assert [(f.kind, f.column, f.severity) for f in found] == [
        ("missing_column", "b", "error"),
        ("new_column", "z", "info"),
    ]


def test_new_categories_lists_the_most_frequent_first():
    profile = Profile.fit(pd.DataFrame({"c": ["a", "b"] * 50}))
    values = pd.Series(["a"] * 50 + ["q"] * 3 + ["r"] * 7)
    found = column_findings(profile.columns["c"], values, CategoricalSide.from_values(values))
    (new,) = found
    assert new.details == {"count": 2, "share": 10 / 60, "categories": ["r", "q"]}
    assert "2 new categories in 'c' (16.7% of values)" in new.message


def test_out_of_range_needs_one_percent():
    profile = Profile.fit(pd.DataFrame({"x": np.linspace(0, 1, 1000)}))
    column = profile.columns["x"]

    def kinds(values):
        side = NumericSide.from_values(values, edges=column.side.edges)
        return [f.kind for f in column_findings(column, pd.Series(values), side)]

    assert kinds(np.r_[np.linspace(0, 1, 995), [1.5] * 5]) == []
    assert kinds(np.r_[np.linspace(0, 1, 980), [1.5] * 20]) == ["out_of_range"]


def test_finding_to_dict():
    (finding,) = schema_findings(["a"], [])
    assert finding.to_dict() == {
        "kind": "missing_column",
        "column": "a",
        "severity": "error",
        "message": "column 'a' is in the reference but not in the current data",
        "details": {},
    }
