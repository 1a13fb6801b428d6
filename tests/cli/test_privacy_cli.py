"""`calmops privacy anonymize` and `calmops privacy report`, as a new user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from calmops.cli.main import app

RUNNER = CliRunner()
KEY = "cli-test-key-0123456789"
CONFIG = """
pseudonymize: {columns: [patient_id]}
generalize:
  age: {bins: [0, 18, 40, 65, 120]}
  city: {groups: {north: [a, b], south: [c, d]}, other: other}
k_anonymity: {quasi_identifiers: [age, sex, city], k: 5}
shuffle: [zip]
noise: {columns: {income: {epsilon: 1.0, bounds: [0, 200000]}}}
"""


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {
            "patient_id": [f"P{i:04d}" for i in range(n)],
            "age": rng.integers(1, 100, n),
            "sex": rng.choice(["f", "m"], n),
            "city": rng.choice(list("abcdef"), n),
            "income": rng.lognormal(10.5, 0.6, n).round(),
            "diagnosis": rng.choice(["flu", "cold", "asthma"], n),
            "zip": rng.integers(10000, 10100, n),
        }
    )
    frame.to_csv(tmp_path / "patients.csv", index=False)
    (tmp_path / "privacy.yaml").write_text(CONFIG)
    return {
        "data": tmp_path / "patients.csv",
        "config": tmp_path / "privacy.yaml",
        "out": tmp_path / "release.csv",
    }


def _anonymize(files, *extra: str, key: str | None = KEY):
    env = {"CALMOPS_PSEUDONYM_KEY": key} if key else {"CALMOPS_PSEUDONYM_KEY": ""}
    args = ["privacy", "anonymize", str(files["data"]), "--config", str(files["config"])]
    return RUNNER.invoke(app, [*args, "--out", str(files["out"]), *extra], env=env)


def test_anonymize_writes_the_release_and_says_what_it_did(files):
    result = _anonymize(files)
    assert result.exit_code == 0, result.output
    assert "400 rows in" in result.output and "k-anonymity k=5" in result.output
    assert "epsilon spent 1" in result.output
    released = pd.read_csv(files["out"])
    assert released.groupby(["age", "sex", "city"]).size().min() >= 5
    assert KEY.encode() not in files["out"].read_bytes()


def test_anonymize_json(files):
    result = _anonymize(files, "--json", "--seed", "3")
    data = json.loads(result.stdout)
    assert data["order"] == ["pseudonymize", "generalize", "k_anonymity", "shuffle", "noise"]
    assert data["rows_out"] == 400 - data["steps"]["k_anonymity"]["rows_suppressed"]
    assert data["steps"]["noise"]["epsilon_spent"] == 1.0 and data["out"] == str(files["out"])


def test_a_key_file(files, tmp_path):
    (tmp_path / "key").write_text(KEY + "\n")
    result = _anonymize(files, "--key-file", str(tmp_path / "key"), key=None)
    assert result.exit_code == 0, result.output


def _one_line_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and message in result.output
    assert "Traceback" not in result.output


def test_a_missing_key_is_one_line_and_writes_nothing(files):
    result = _anonymize(files, key=None)
    _one_line_error(result, "error: no pseudonymization key: set the environment variable")
    assert not files["out"].exists()


def test_an_unknown_column_is_one_line_and_writes_nothing(files):
    files["config"].write_text(CONFIG.replace("shuffle: [zip]", "shuffle: [postcode]"))
    _one_line_error(_anonymize(files), "unknown column 'postcode' in the privacy config")
    assert not files["out"].exists()


def test_k_larger_than_the_table_is_one_line(files):
    files["config"].write_text(CONFIG.replace("k: 5", "k: 1000"))
    _one_line_error(_anonymize(files), "k=1000 is larger than the table (400 rows)")
    assert not files["out"].exists()


def test_an_unsupported_output_is_refused_before_any_work(files):
    files["out"] = files["out"].with_suffix(".xlsx")
    _one_line_error(_anonymize(files, key=None), "the output must end in .csv or .parquet")


def test_options_without_a_config(files):
    files["config"].unlink()
    args = ["privacy", "anonymize", str(files["data"]), "--out", str(files["out"])]
    env = {"CALMOPS_PSEUDONYM_KEY": KEY}
    options = ["--pseudonymize", "patient_id", "--quasi-identifiers", "sex,city", "--k", "20"]
    result = RUNNER.invoke(app, [*args, *options, "--shuffle", "zip", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["order"] == ["pseudonymize", "k_anonymity", "shuffle"]
    assert pd.read_csv(files["out"]).groupby(["sex", "city"]).size().min() >= 20
    nothing = RUNNER.invoke(app, args, env=env)
    _one_line_error(nothing, "nothing to do: give --config privacy.yaml or options")
    half = RUNNER.invoke(app, [*args, "--k", "5"], env=env)
    _one_line_error(half, "k needs quasi-identifiers")


def test_options_replace_the_config_columns(files):
    result = _anonymize(files, "--k", "20", "--json")
    data = json.loads(result.stdout)
    assert data["steps"]["k_anonymity"]["k"] == 20
    assert data["steps"]["k_anonymity"]["quasi_identifiers"] == ["age", "sex", "city"]


def test_a_bad_config_names_the_field(files):
    files["config"].write_text(CONFIG + "suppress: true\n")
    _one_line_error(_anonymize(files), "suppress: unknown field")


def test_report_text_json_and_html(files, tmp_path):
    assert _anonymize(files).exit_code == 0
    base = ["privacy", "report", str(files["data"]), str(files["out"])]
    qis = ["--quasi-identifiers", "age,sex,city", "--sensitive", "diagnosis", "--k", "5"]
    html = tmp_path / "report.html"
    text = RUNNER.invoke(app, [*base, *qis, "--html", str(html)])
    assert text.exit_code == 0, text.output
    assert "k-anonymity" in text.output and "rows at risk (class < 5): 0" in text.output
    assert "HTML report written" in text.output and html.read_text().startswith("<!DOCTYPE")
    data = json.loads(RUNNER.invoke(app, [*base, *qis, "--json"]).stdout)
    assert data["released_classes"]["k_anonymity"] >= 5
    assert data["closeness"]["exact_matches"] == 0
    assert data["closeness"]["skipped"]["age"] == "numeric in the original only (binned?)"


def test_report_errors_are_one_line(files):
    base = ["privacy", "report", str(files["data"]), str(files["data"])]
    _one_line_error(
        RUNNER.invoke(app, [*base, "--quasi-identifiers", "age", "--k", "401"]),
        "k=401 is larger than the released table (400 rows)",
    )
    _one_line_error(
        RUNNER.invoke(app, [*base, "--quasi-identifiers", "age,postcode"]),
        "unknown column 'postcode'",
    )
