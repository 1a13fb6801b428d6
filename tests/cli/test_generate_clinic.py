"""``calmops generate clinic`` as a user runs it."""

from __future__ import annotations

import json

import pandas as pd

from calmops.data_generators import DriftRecord, generate_cohort


def test_clinic_writes_the_cohort_and_its_record(cli, tmp_path):
    out = tmp_path / "cohort"
    args = ("generate", "clinic", "--patients", "60", "--genes", "8", "--proteins", "3")
    result = cli(*args, "--visits", "2", "--out", str(out), "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "wrote a cohort of 60 patients x 2 visit(s) (8 genes, 3 proteins)" in result.output
    table = pd.read_csv(out / "cohort.csv")
    expected = generate_cohort(
        {"patients": 60, "genes": {"count": 8}, "proteins": {"count": 3}, "visits": 2}, seed=3
    )
    assert table.shape == expected.wide().shape
    assert table["G_3"].tolist() == expected.wide()["G_3"].tolist()
    assert DriftRecord.load(out / "drift_record.json") == expected.record
    again = cli(*args, "--visits", "2", "--out", str(out), "--seed", "3")
    assert again.exit_code == 1 and "already holds cohort.csv" in again.output


def test_clinic_reads_a_yaml_spec_and_reports_json(cli, tmp_path):
    spec = tmp_path / "clinic.yaml"
    spec.write_text(
        "patients: 100\nvisits: 3\ngenes: {count: 5}\nproteins: {count: 2}\n"
        "transitions: [{visit: 3, from: control, to: disease, share: 0.2}]\n"
    )
    out = tmp_path / "out"
    result = cli(
        "generate",
        "clinic",
        "--config",
        str(spec),
        "--out",
        str(out),
        "--layout",
        "visits",
        "--format",
        "parquet",
        "--json",
        "--seed",
        "1",
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert [p.rsplit("/", 1)[1] for p in summary["files"]] == [
        "visit_1.parquet",
        "visit_2.parquet",
        "visit_3.parquet",
        "drift_record.json",
    ]
    assert summary["changes"][0]["visit"] == 3 and summary["changes"][0]["rows"] == 10


def test_clinic_bad_input_is_one_line_naming_the_field(cli, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("effects: {up: {kind: fold_change, columns: [G_999]}}\n")
    result = cli("generate", "clinic", "--config", str(spec), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "effects.up.columns: unknown column 'G_999'" in result.output
    assert not (tmp_path / "o").exists()
