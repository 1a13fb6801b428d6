from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import evaluate
from calmops.data_generators.evaluation.tables import MISSING, align
from calmops.errors import DataValidationError


def test_kinds_follow_the_real_table(tables):
    aligned = align(tables["train"], tables["independent"])
    kinds = {c.name: (c.kind, c.source) for c in aligned.columns}
    assert kinds == {
        "x": ("numeric", "numeric"),
        "income": ("numeric", "numeric"),
        "visits": ("numeric", "integer"),
        "segment": ("categorical", "categorical"),
        "member": ("categorical", "boolean"),
        "joined": ("numeric", "datetime"),
    }
    income = aligned.values[0]["income"]
    assert np.isnan(income).sum() == tables["train"]["income"].isna().sum()


def test_missing_labels_become_their_own_label():
    real = pd.DataFrame({"c": ["a", None, "b"]})
    aligned = align(real, real)
    assert aligned.values[0]["c"].tolist() == ["a", MISSING, "b"]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (["x", "income"], "lacks visits, segment, member, joined"),
        (["x", "income", "visits", "segment", "member", "joined", "extra"], "does not: extra"),
    ],
)
def test_mismatched_columns_are_named(tables, columns, message):
    synthetic = tables["independent"].assign(extra=1)[columns]
    with pytest.raises(DataValidationError, match=message):
        evaluate(tables["train"], synthetic)


def test_holdout_columns_are_checked_too(tables):
    with pytest.raises(DataValidationError, match="holdout table's columns"):
        evaluate(tables["train"], tables["independent"], tables["holdout"].drop(columns="x"))


def test_empty_tables_and_wrong_types_are_errors(tables):
    with pytest.raises(DataValidationError, match="synthetic table is empty"):
        evaluate(tables["train"], tables["train"].iloc[:0])
    with pytest.raises(DataValidationError, match="must be a pandas DataFrame"):
        evaluate(tables["train"], tables["train"].to_numpy())


def test_target_needs_a_holdout(tables):
    with pytest.raises(DataValidationError, match="pass holdout"):
        evaluate(tables["train"], tables["independent"], target="segment")


@pytest.mark.slow
def test_column_order_and_a_csv_round_trip_do_not_change_the_numbers(tables, tmp_path):
    train, synthetic = tables["train"], tables["independent"]
    path = tmp_path / "synthetic.csv"
    synthetic[synthetic.columns[::-1]].to_csv(path, index=False)
    from_csv = pd.read_csv(path)  # dates as text, booleans as bool, column order reversed
    first = evaluate(train, synthetic, seed=3).to_dict()
    second = evaluate(train, from_csv, seed=3).to_dict()
    assert second == first


def test_nullable_and_time_zone_dtypes_are_read_as_their_kinds():
    n = 200
    real = pd.DataFrame(
        {
            "count": pd.array([1, None, 3, 4] * (n // 4), dtype="Int64"),
            "flag": pd.array([True, False, None, True] * (n // 4), dtype="boolean"),
            "colour": pd.Categorical(["red", "blue", None, "red"] * (n // 4)),
            "at": pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Madrid"),
        }
    )
    aligned = align(real, real.astype(object))
    assert [c.kind for c in aligned.columns] == ["numeric", "categorical", "categorical", "numeric"]
    assert np.isnan(aligned.values[0]["count"]).sum() == n // 4
    assert (aligned.values[0]["flag"] == MISSING).sum() == n // 4
    report = evaluate(real, real)
    assert report.to_dict()["fidelity"]["column_shape"] == 1.0
    assert report.privacy.exact_copies == 1.0
