"""`calmops drift REF CUR` on real files, as a new user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from calmops.cli.main import app

RUNNER = CliRunner()


def _files(tmp_path: Path, n: int = 600, shift: float = 0.8, fmt: str = "csv"):
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(
        {
            "age": rng.normal(40, 8, n).round(1),
            "income": rng.lognormal(10, 0.5, n).round(2),
            "city": rng.choice(["madrid", "murcia", "paris"], n),
            "label": rng.integers(0, 2, n),
        }
    )
    cur = ref.copy()
    cur["age"] = rng.normal(40 + shift * 8, 8, n).round(1)
    cur["city"] = rng.choice(["madrid", "murcia", "paris", "rome"], n, p=[0.3, 0.3, 0.3, 0.1])
    paths = tmp_path / f"ref.{fmt}", tmp_path / f"cur.{fmt}"
    for frame, path in zip((ref, cur), paths, strict=True):
        frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path)
    return [str(p) for p in paths]


def _invoke(*args: str):
    return RUNNER.invoke(app, ["drift", *args])


def test_table_and_dataset_verdict(tmp_path):
    result = _invoke(*_files(tmp_path), "--target", "label")
    assert result.exit_code == 0, result.output
    assert "age" in result.output and "ks" in result.output and "income" in result.output
    assert "new category in 'city'" in result.output
    assert "drift: 2 of 3 columns drifted" in result.output
    assert "label" not in result.output.split("drifted")[0].split("verdict")[1]


def test_json_output_is_the_report_schema(tmp_path):
    result = _invoke(*_files(tmp_path), "--json", "--target", "label")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1 and payload["drift_detected"] is True
    assert set(payload["features"]) == {"age", "income", "city"}
    assert payload["features"]["age"]["test"] == "ks"
    assert payload["settings"] == {
        "alpha": 0.05, "correction": "holm", "drift_share": 0.5, "dataset_rule": "any",
    }  # fmt: skip


def test_dataset_rule_option_reaches_the_verdict(tmp_path):
    files = _files(tmp_path)
    strict = _invoke(*files, "--json", "--dataset-rule", "share", "--drift-share", "1.0")
    payload = json.loads(strict.stdout)
    assert payload["settings"]["dataset_rule"] == "share"
    assert payload["drift_detected"] is False and "(rule share)" in payload["reason"]
    bad = _invoke(*files, "--dataset-rule", "most")
    assert bad.exit_code == 1 and "choose from any, share" in bad.output


def test_no_drift_also_exits_zero(tmp_path):
    ref, _ = _files(tmp_path)
    result = _invoke(ref, ref, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["drift_detected"] is False


def test_options_reach_compare(tmp_path):
    files = _files(tmp_path, fmt="parquet")
    result = _invoke(
        *files, "--json", "--alpha", "0.01", "--correction", "bh", "--numeric-test", "psi",
        "--categorical-test", "jensen_shannon", "--columns", "age,city", "--multivariate", "mmd",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {n: f["test"] for n, f in payload["features"].items()} == {
        "age": "psi",
        "city": "jensen_shannon",
    }
    assert payload["settings"]["correction"] == "bh" and "mmd" in payload["multivariate"]


def test_html_report_is_written(tmp_path):
    out = tmp_path / "report.html"
    result = _invoke(*_files(tmp_path), "--html", str(out))
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script src=" not in page
    assert page.count('<div id="plot-') == 4


def test_a_saved_profile_can_be_the_reference(tmp_path):
    from calmops.drift import Profile

    ref, cur = _files(tmp_path)
    Profile.fit(pd.read_csv(ref)).save(tmp_path / "profile")
    from_profile = _invoke(str(tmp_path / "profile"), cur, "--json")
    from_file = _invoke(ref, cur, "--json")
    assert json.loads(from_profile.stdout) == json.loads(from_file.stdout)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--numeric-test", "kss"], "no drift test 'kss'; choose from anderson"),
        (["--correction", "fdr"], "no correction 'fdr'"),
        (["--numeric-test", "chi2"], "'chi2' does not apply to numeric columns"),
        (["--columns", "nope"], "columns not in the reference: nope"),
        (["--multivariate", "pca"], "no multivariate method 'pca'"),
    ],
)
def test_user_errors_exit_1_with_one_line(tmp_path, args, message):
    result = _invoke(*_files(tmp_path), *args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_unreadable_files_exit_1(tmp_path):
    ref, _ = _files(tmp_path)
    missing = _invoke(ref, str(tmp_path / "ghost.csv"))
    assert missing.exit_code == 1 and "ghost.csv" in missing.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("age,income\n")
    assert _invoke(ref, str(empty)).exit_code == 1


def test_wide_files_show_progress_without_breaking_output(tmp_path):
    rng = np.random.default_rng(1)
    wide = pd.DataFrame(rng.normal(size=(200, 30)), columns=[f"c{i}" for i in range(30)])
    path = tmp_path / "wide.csv"
    wide.to_csv(path, index=False)
    result = _invoke(str(path), str(path))
    assert result.exit_code == 0 and "no drift: 0 of 30 columns drifted" in result.output


def test_help_describes_the_exit_code():
    result = RUNNER.invoke(app, ["drift", "--help"])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 0 and "Exit code 0 with or without drift" in text
