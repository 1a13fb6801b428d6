"""A release: the steps in their fixed order, the key kept out, and atomic output."""

from __future__ import annotations

import pandas as pd
import pytest

from calmops.errors import DataValidationError, SpecError
from calmops.privacy import PrivacyConfig, anonymize, write_release
from calmops.privacy.pseudonymize import pseudonym

CONFIG = {
    "pseudonymize": {"columns": ["patient_id"]},
    "generalize": {
        "age": {"bins": [0, 18, 40, 65, 120]},
        "visit_date": {"truncate": "month"},
        "income": {"top": 200_000, "bottom": 10_000},
        "city": {"groups": {"north": ["a", "b"], "south": ["c", "d"]}, "other": "other"},
    },
    "k_anonymity": {"quasi_identifiers": ["age", "sex", "city"], "k": 30},
    "shuffle": ["zip"],
    "noise": {"columns": {"income": {"epsilon": 1.0, "bounds": [10_000, 200_000]}}},
}


def test_the_full_release(patients, key_env):
    release = anonymize(patients, PrivacyConfig.from_dict(CONFIG), seed=0)
    out = release.frame
    assert release.to_dict()["order"] == [
        "pseudonymize", "generalize", "k_anonymity", "shuffle", "noise",
    ]  # fmt: skip
    assert out["patient_id"].isin(patients["patient_id"]).sum() == 0
    kept = set(out["patient_id"])
    assert kept <= {pseudonym(p, key_env.encode()) for p in patients["patient_id"]}
    assert out.groupby(["age", "sex", "city"]).size().min() >= 30
    suppressed = release.steps["k_anonymity"]["rows_suppressed"]
    assert suppressed > 0 and len(out) == len(patients) - suppressed
    assert set(out["city"]) <= {"north", "south", "other"}
    assert (out["visit_date"].dt.day == 1).all()
    assert release.steps["noise"]["epsilon_spent"] == 1.0
    assert key_env not in repr(release.to_dict())


def test_order_generalize_before_suppression_loses_fewer_rows(patients):
    config = PrivacyConfig.from_dict(
        {"generalize": CONFIG["generalize"], "k_anonymity": CONFIG["k_anonymity"]}
    )
    assert anonymize(patients, config).steps["k_anonymity"]["share_suppressed"] < 0.2


def test_unknown_columns_are_found_before_any_work(patients, monkeypatch):
    monkeypatch.delenv("CALMOPS_PSEUDONYM_KEY", raising=False)
    config = PrivacyConfig.from_dict({**CONFIG, "shuffle": ["postcode"]})
    with pytest.raises(DataValidationError, match="unknown column 'postcode' in the privacy"):
        anonymize(patients, config)


def test_a_missing_key_is_a_clear_error(patients, monkeypatch):
    monkeypatch.delenv("CALMOPS_PSEUDONYM_KEY", raising=False)
    with pytest.raises(SpecError, match="no pseudonymization key"):
        anonymize(patients, PrivacyConfig.from_dict(CONFIG))


def test_the_key_never_reaches_the_output_file(patients, key_env, tmp_path):
    release = anonymize(patients, PrivacyConfig.from_dict(CONFIG))
    path = write_release(release.frame, tmp_path / "out.csv")
    assert key_env.encode() not in path.read_bytes()
    again = pd.read_csv(path)
    assert list(again.columns) == list(patients.columns) and len(again) == len(release.frame)


def test_parquet_round_trip(patients, key_env, tmp_path):
    release = anonymize(patients, PrivacyConfig.from_dict(CONFIG))
    back = pd.read_parquet(write_release(release.frame, tmp_path / "out.parquet"))
    pd.testing.assert_frame_equal(back, release.frame, check_dtype=False)


def test_a_failing_transform_leaves_no_output(patients, key_env, tmp_path):
    target = tmp_path / "out.csv"
    # noise on a text column fails at the last step, after the others ran
    bad = PrivacyConfig.from_dict(
        {**CONFIG, "noise": {"columns": {"diagnosis": {"epsilon": 1, "sensitivity": 1}}}}
    )
    with pytest.raises(DataValidationError, match="noise needs numbers"):
        write_release(anonymize(patients, bad).frame, target)
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_writing_keeps_the_old_file(patients, tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_release(patients, target)
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_only_csv_or_parquet(patients, tmp_path):
    with pytest.raises(DataValidationError, match=r"must end in \.csv or \.parquet"):
        write_release(patients, tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []
