"""The privacy report's numbers on a hand-made pair of tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from calmops.errors import DataValidationError
from calmops.privacy import closeness, privacy_report

ORIGINAL = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "c": list("abab"), "s": list("ynyy")})
RELEASED = pd.DataFrame({"x": [0.0, 1.05, 9.0], "c": list("aba"), "s": list("yny")})
SD = math.sqrt(1.25)  # the original's x: mean 1.5, population standard deviation


def test_closeness_by_hand():
    near = closeness(ORIGINAL, RELEASED)
    assert near.columns == ("x", "c", "s") and near.skipped == {}
    assert near.exact_matches == 1
    # row 1 is 0.05 from (1, b, n); row 2 is nearest to (3, b, y): 6 apart plus a category
    expected = [0.0, 0.05 / SD, math.sqrt((6 / SD) ** 2 + 2)]
    assert near.dcr["min"] == pytest.approx(0.0, abs=1e-6)
    assert near.dcr["median"] == pytest.approx(expected[1], rel=1e-5)
    assert near.dcr["mean"] == pytest.approx(np.mean(expected), rel=1e-5)
    # originals' nearest others: 2/SD, sqrt(0.8 + 2 + 2), then sqrt(0.8 + 2) twice
    nn = [2 / SD, math.sqrt(4.8), math.sqrt(2.8), math.sqrt(2.8)]
    assert near.original_nn["median"] == pytest.approx(np.median(nn), rel=1e-5)
    assert near.near_threshold == pytest.approx(np.quantile(nn, 0.05), rel=1e-5)
    assert near.near_duplicates == 1 and near.near_alert  # 1 of 3 rows, above 10%


def test_an_explicit_threshold():
    near = closeness(ORIGINAL, RELEASED, near_threshold=0.01)
    assert near.near_duplicates == 0 and not near.near_alert
    assert closeness(ORIGINAL, RELEASED, near_threshold=6).near_duplicates == 2


def test_class_measures_of_both_tables():
    report = privacy_report(ORIGINAL, RELEASED, ["c"], "s", k=2)
    released, original = report.released_classes, report.original_classes
    assert (released.k_anonymity, released.rows_at_risk, released.l_diversity) == (1, 1, 1)
    assert (original.k_anonymity, original.rows_at_risk, original.l_diversity) == (2, 0, 1)
    assert original.entropy_l_diversity == pytest.approx(1.0)
    data = report.to_dict()
    assert data["n_original"] == 4 and data["n_released"] == 3
    assert data["released_classes"]["share_at_risk"] == pytest.approx(1 / 3)
    assert data["attacks"] == {"available": None, "reason": "not requested (--anonymeter)"}
    assert len(report.findings) == 4


def test_generalized_and_identifier_columns_are_left_out_with_the_reason():
    rng = np.random.default_rng(0)
    original = pd.DataFrame(
        {"id": [f"P{i}" for i in range(200)], "age": rng.integers(0, 90, 200),
         "city": rng.choice(list("abcd"), 200), "y": rng.normal(size=200)}
    )  # fmt: skip
    released = original.assign(
        id=[f"h{i}" for i in range(200)],
        age=np.where(original["age"] < 45, "young", "old"),
        city=np.where(original["city"] < "c", "north", "south"),
    )
    near = closeness(original, released.drop(columns="y"))
    assert near.columns == ()
    assert near.skipped == {
        "id": "identifier-like (200 distinct values)",
        "age": "numeric in the original only (binned?)",
        "city": "released values mostly not among the original's (generalized?)",
        "y": "not in the released table",
    }


def test_large_tables_are_sampled_for_distances_only():
    frame = pd.DataFrame({"x": np.arange(300.0)})
    near = closeness(frame, frame, max_rows=100)
    assert near.exact_matches == 300 and near.sampled_rows == 100
    # the originals are sampled too, so a copied row may lose its twin: distances stay small
    assert near.dcr["min"] == 0 and near.dcr["median"] < 0.05


def test_bad_arguments_are_clear_errors():
    with pytest.raises(DataValidationError, match=r"k=4 is larger than the released table"):
        privacy_report(ORIGINAL, RELEASED, ["c"], k=4)
    with pytest.raises(DataValidationError, match="needs --quasi-identifiers"):
        privacy_report(ORIGINAL, RELEASED, sensitive="s")
    with pytest.raises(DataValidationError, match="unknown column 'zip'"):
        privacy_report(ORIGINAL, RELEASED, ["zip"], k=2)


def test_a_perfect_copy_is_flagged_and_a_private_release_is_not(patients):
    copy = privacy_report(patients, patients, ["age", "sex", "zip"], "diagnosis")
    assert copy.closeness.exact_matches == len(patients)
    assert any("equal an original row" in f for f in copy.findings)
    rng = np.random.default_rng(1)
    fresh = patients.assign(
        income=rng.lognormal(10.5, 0.6, len(patients)).round(),
        zip=rng.integers(10000, 10100, len(patients)),
    )
    independent = privacy_report(patients, fresh)
    assert independent.closeness.exact_matches < 5
    assert not independent.closeness.near_alert
    if independent.closeness.near_duplicates:
        assert f"{independent.closeness.near_duplicates} near duplicates" in independent.all_clear
        assert "no more than chance" in independent.all_clear
    assert independent.to_dict()["all_clear"] == independent.all_clear
    assert copy.to_dict()["all_clear"] is None


def test_the_all_clear_sentence_does_not_deny_near_duplicates_that_chance_gives():
    from calmops.privacy import all_clear_sentence

    none = {"near_duplicates": 0, "share_near": 0.0}
    some = {"near_duplicates": 12, "share_near": 0.006}
    assert "no exact or near copy" in all_clear_sentence(none)
    assert "no exact or near copy" not in all_clear_sentence(some)
    assert "12 near duplicates (0.6%)" in all_clear_sentence(some)
