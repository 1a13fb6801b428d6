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


def _columns_files(tmp_path: Path, shifts: dict[str, float], n: int = 600) -> list[str]:
    """Ten normal columns; ``cur`` is ``ref`` shuffled, with ``shifts`` added by column."""
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(rng.normal(size=(n, 10)), columns=[f"c{i}" for i in range(10)])
    cur = ref.sample(frac=1.0, random_state=1).reset_index(drop=True)
    for name, shift in shifts.items():
        cur[name] += shift
    paths = [tmp_path / "ref.csv", tmp_path / "cur.csv"]
    ref.to_csv(paths[0], index=False)
    cur.to_csv(paths[1], index=False)
    return [str(p) for p in paths]


# three columns shift by one std (p ~ 0), two by 0.17 std (raw p between 0.005 and 0.05):
# 3 of 10 drift after holm, 5 of 10 uncorrected
THIRTY_PERCENT = {"c0": 1.0, "c1": 1.0, "c2": 1.0, "c3": 0.17, "c4": 0.17}


def test_drift_share_alone_implies_the_share_rule(tmp_path):
    files = _columns_files(tmp_path, THIRTY_PERCENT)
    low = json.loads(_invoke(*files, "--json", "--drift-share", "0.2").stdout)
    high = json.loads(_invoke(*files, "--json", "--drift-share", "0.5").stdout)
    assert low["settings"]["dataset_rule"] == high["settings"]["dataset_rule"] == "share"
    assert low["n_drifted"] == high["n_drifted"] == 3
    assert low["drift_detected"] is True and "share 30% >= 20% (rule share)" in low["reason"]
    assert high["drift_detected"] is False and "share 30% < 50% (rule share)" in high["reason"]
    both = _invoke(*files, "--dataset-rule", "any", "--drift-share", "0.5")
    assert both.exit_code == 2 and "applies to --dataset-rule share" in both.output
    assert _invoke(*files, "--drift-share", "1.5").exit_code == 2


def test_correction_changes_the_count_and_the_words(tmp_path):
    files = _columns_files(tmp_path, THIRTY_PERCENT)
    holm = json.loads(_invoke(*files, "--json", "--correction", "holm").stdout)
    none = json.loads(_invoke(*files, "--json", "--correction", "none").stdout)
    assert (holm["n_drifted"], none["n_drifted"]) == (3, 5)
    assert "holm-corrected" in holm["reason"] and "uncorrected" in none["reason"]
    assert "corrected" not in none["reason"].replace("uncorrected", "")
    assert none["features"]["c3"]["p_value"] == none["features"]["c3"]["p_value_raw"]


def test_fail_on_drift_exits_3_only_when_drift_is_found(tmp_path):
    drifted = _columns_files(tmp_path, THIRTY_PERCENT)
    result = _invoke(*drifted, "--fail-on-drift")
    assert result.exit_code == 3 and "drift: 3 of 10 columns drifted" in result.output
    assert _invoke(*drifted, "--fail-on-drift", "--json").exit_code == 3
    assert _invoke(*drifted).exit_code == 0
    same = _invoke(drifted[0], drifted[0], "--fail-on-drift")
    assert same.exit_code == 0 and "no drift" in same.output


def test_no_column_in_common_is_an_error_naming_both_sides(tmp_path):
    ref, cur = _columns_files(tmp_path, {})
    upper = tmp_path / "upper.csv"
    frame = pd.read_csv(cur)
    frame.rename(columns=str.upper).to_csv(upper, index=False)
    result = _invoke(ref, str(upper))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no column in common" in result.stderr and "'c0'" in result.stderr
    assert "'C0'" in result.stderr and "match when case is ignored" in result.stderr
    assert "no drift" not in result.output


def test_a_partial_mismatch_is_a_finding_and_reduces_the_columns_tested(tmp_path):
    ref, cur = _columns_files(tmp_path, {})
    frame = pd.read_csv(cur).drop(columns=["c1", "c2", "c3"])
    frame["extra"] = 1.0
    frame.to_csv(cur, index=False)
    result = _invoke(ref, cur)
    assert result.exit_code == 0
    assert "3 columns only in the reference, not compared: c1, c2, c3" in result.output
    assert "1 columns only in the current file, not tested: extra" in result.output
    assert "3 of 10 columns could not be compared: c1, c2, c3" in result.output
    payload = json.loads(_invoke(ref, cur, "--json").stdout)
    assert payload["n_tested"] == 7 and "3 of 10 columns could not be compared" in payload["reason"]


def _roles_files(tmp_path: Path) -> list[str]:
    rng = np.random.default_rng(3)
    paths = []
    for name, start in (("ref.csv", 0), ("cur.csv", 500)):
        frame = pd.DataFrame(
            {
                "customer_id": [f"c{i}" for i in range(start, start + 500)],
                "ts": pd.date_range("2026-01-01", periods=500, freq="h").astype(str),
                "row": np.arange(start, start + 500),
                "amount": rng.normal(size=500),
            }
        )
        frame.to_csv(tmp_path / name, index=False)
        paths.append(str(tmp_path / name))
    return paths


def test_role_options_leave_columns_untested(tmp_path):
    files = _roles_files(tmp_path)
    payload = json.loads(
        _invoke(*files, "--json", "--id-column", "customer_id", "--time-column", "ts").stdout
    )
    assert set(payload["features"]) == {"row", "amount"}
    excluded = json.loads(
        _invoke(
            *files,
            "--json",
            "--id-column",
            "customer_id",
            "--id-column",
            "row",
            "--time-column",
            "ts",
            "--exclude",
            "amount",
        ).stdout  # fmt: skip
    )
    assert excluded["features"] == {}


def test_role_hints_are_warnings_and_json_findings_and_skip_nothing(tmp_path):
    files = _roles_files(tmp_path)
    text = _invoke(*files)
    assert text.exit_code == 0
    flat = " ".join(text.output.split())
    assert "column 'customer_id' looks like an identifier" in flat
    assert "(--id-column customer_id)" in flat and "(--time-column ts)" in flat
    payload = json.loads(_invoke(*files, "--json").stdout)
    hints = {f["column"]: f for f in payload["quality"] if f["kind"] == "role_hint"}
    assert set(hints) == {"customer_id", "ts", "row"}
    assert hints["ts"]["severity"] == "warning" and hints["ts"]["details"]["role"] == "time_column"
    tested_or_reported = {**payload["features"], **payload["skipped"]}
    assert {"row", "customer_id", "ts"} <= set(tested_or_reported)  # nothing skipped silently
    given = json.loads(_invoke(*files, "--json", "--id-column", "customer_id").stdout)
    assert {f["column"] for f in given["quality"] if f["kind"] == "role_hint"} == {"ts", "row"}


def test_small_sample_forced_distance_is_a_finding(tmp_path):
    files = _columns_files(tmp_path, {}, n=114)
    payload = json.loads(_invoke(*files, "--json", "--numeric-test", "psi").stdout)
    (finding,) = [f for f in payload["quality"] if f["kind"] == "small_sample"]
    assert finding["message"].startswith("114 rows is small for psi")
    assert "consider --numeric-test ks" in finding["message"]
    default = json.loads(_invoke(*files, "--json").stdout)
    assert {f["test"] for f in default["features"].values()} == {"ks"}
    assert not [f for f in default["quality"] if f["kind"] == "small_sample"]


def test_no_progress_output_when_not_a_terminal(tmp_path):
    files = _columns_files(tmp_path, {})
    result = _invoke(*files)
    assert result.stderr == "" and "testing columns" not in result.output
    assert _invoke(*files, "--json").stderr == ""


def test_an_html_path_that_cannot_be_written_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _invoke(*_files(tmp_path), "--html", str(blocker / "report.html"))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {blocker / 'report.html'}: Not a directory"], result.output
    assert "Traceback" not in result.output


def _prior_shift(tmp_path: Path, n: int = 2000):
    """Features drawn alike on both sides; the label's class 1 rises from 12% to 40%."""
    rng = np.random.default_rng(3)
    ref = pd.DataFrame({"x": rng.normal(size=n), "y": rng.choice([0, 1], n, p=[0.88, 0.12])})
    cur = pd.DataFrame({"x": rng.normal(size=n), "y": rng.choice([0, 1], n, p=[0.6, 0.4])})
    paths = tmp_path / "ref.csv", tmp_path / "cur.csv"
    ref.to_csv(paths[0], index=False)
    cur.to_csv(paths[1], index=False)
    return [str(p) for p in paths], ref, cur


def test_target_gets_its_own_label_drift_in_table_json_and_html(tmp_path):
    from scipy.stats import chi2_contingency

    files, ref, cur = _prior_shift(tmp_path)
    page = tmp_path / "drift.html"
    result = _invoke(*files, "--target", "y", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "label 'y' (classification): drift" in result.output
    assert "share of class 1 in the labels rose from 0.1" in result.output
    assert "class shares, reference → current: 0 0.8" in result.output
    payload = json.loads(_invoke(*files, "--target", "y", "--json").stdout)
    label = payload["label_drift"]
    assert set(payload["features"]) == {"x"} and label["drift"] is True
    assert label["task"] == "classification" and label["tests"][0]["test"] == "z"
    counts = [np.bincount(side["y"], minlength=2) for side in (ref, cur)]
    expected = chi2_contingency(np.array(counts), correction=False).pvalue
    assert label["tests"][0]["p_value"] == pytest.approx(expected, rel=1e-6, abs=1e-300)
    assert label["shares"]["1"]["before"] == pytest.approx(ref["y"].mean())
    assert label["shares"]["1"]["after"] == pytest.approx(cur["y"].mean())
    text = page.read_text()
    assert "<h2>Label 'y' (classification)</h2>" in text and "share in current" in text
    # the features alone are stable: only the label makes --fail-on-drift fail
    assert payload["drift_detected"] is False
    assert _invoke(*files, "--target", "y", "--fail-on-drift").exit_code == 3


def test_numeric_target_uses_ks_and_a_missing_label_is_a_warning(tmp_path):
    from scipy.stats import ks_2samp

    rng = np.random.default_rng(4)
    ref = pd.DataFrame({"x": rng.normal(size=800), "price": rng.normal(100, 10, 800)})
    cur = pd.DataFrame({"x": rng.normal(size=800), "price": rng.normal(108, 10, 800)})
    ref.to_parquet(tmp_path / "ref.parquet")
    cur.to_parquet(tmp_path / "cur.parquet")
    files = [str(tmp_path / "ref.parquet"), str(tmp_path / "cur.parquet")]
    label = json.loads(_invoke(*files, "--target", "price", "--json").stdout)["label_drift"]
    assert label["task"] == "regression" and label["tests"][0]["test"] == "ks"
    assert label["tests"][0]["statistic"] == pytest.approx(
        ks_2samp(ref["price"], cur["price"]).statistic
    )
    assert label["shares"] == {} and label["drift"] is True
    cur.drop(columns="price").to_parquet(tmp_path / "cur.parquet")
    payload = json.loads(_invoke(*files, "--target", "price", "--json").stdout)
    assert payload["label_drift"] is None
    assert any("label drift not tested: the current file" in q["message"]
               for q in payload["quality"])  # fmt: skip


def test_a_folder_of_parquet_files_is_compared_slice_by_slice(tmp_path):
    ref, cur = _files(tmp_path, n=3_000)
    folder = tmp_path / "current"
    folder.mkdir()
    table = pd.read_csv(cur)
    for part in range(3):
        table.iloc[part * 1_000 : (part + 1) * 1_000].to_parquet(folder / f"{part}.parquet")
    from_folder = _invoke(ref, str(folder), "--json", "--target", "label")
    from_file = _invoke(ref, cur, "--json", "--target", "label")
    assert from_folder.exit_code == 0, from_folder.output
    got, expected = json.loads(from_folder.stdout), json.loads(from_file.stdout)
    drifted = [n for n, f in got["features"].items() if f["drift"]]
    assert got["drift_detected"] and drifted == ["age", "city"]
    assert got["label_drift"] == expected["label_drift"]
    for name, feature in expected["features"].items():
        assert got["features"][name]["verdict"] == feature["verdict"], name
        assert got["features"][name]["statistic"] == pytest.approx(feature["statistic"]), name
