"""``calmops generate evaluate REAL SYNTH``: the table, the JSON and the errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)

    def table(n):
        x = rng.normal(size=n)
        return pd.DataFrame({"x": x, "c": rng.choice(["a", "b"], n), "y": (x > 0).astype(int)})

    paths = {}
    for name, n in (("real", 700), ("synth", 700), ("holdout", 300)):
        paths[name] = tmp_path / f"{name}.csv"
        table(n).to_csv(paths[name], index=False)
    return paths


def test_the_table_names_each_number_and_its_good_direction(cli, files):
    args = ("generate", "evaluate", str(files["real"]), str(files["synth"]))
    result = cli(*args, "--holdout", str(files["holdout"]), "--target", "y")
    assert result.exit_code == 0, result.output
    for key in ("fidelity.column_shape", "detection.auc", "utility.tstr", "dcr_closer_to_train"):
        assert key in result.output
    assert "0.5 is best (indistinguishable)" in result.output
    assert "classification of 'y', balanced_accuracy on the holdout" in result.output


def test_json_has_the_headline_keys_and_html_is_written(cli, files, tmp_path):
    page = tmp_path / "out" / "report.html"
    args = ("generate", "evaluate", str(files["real"]), str(files["synth"]), "--json")
    result = cli(*args, "--holdout", str(files["holdout"]), "--html", str(page))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["fidelity"]) >= {"column_shape", "column_pairs", "columns", "pairs"}
    assert set(data["privacy"]) >= {"exact_copies", "dcr_closer_to_train", "dcr_5th_percentile"}
    assert data["utility"]["tstr"] is None  # no --target
    assert 0.4 < data["detection"]["auc"] < 0.6
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_mismatched_columns_are_one_line_and_exit_1(cli, files, tmp_path):
    other = tmp_path / "other.csv"
    pd.read_csv(files["synth"]).rename(columns={"c": "colour"}).to_csv(other, index=False)
    result = cli("generate", "evaluate", str(files["real"]), str(other))
    assert result.exit_code == 1
    assert "lacks c" in result.output and "colour" in result.output
    assert "Traceback" not in result.output
