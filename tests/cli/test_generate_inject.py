"""``calmops generate inject`` with the dynamics operations, as a user runs them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from calmops.data_generators import DriftRecord


def _table(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "ts": pd.date_range("2024-03-01", periods=48, freq="h").strftime("%Y-%m-%dT%H:%M:%S"),
            "block": [f"b{i // 6 + 1}" for i in range(48)],  # b1..b8
            "x0": np.zeros(48),
            "x1": np.linspace(-1, 1, 48),
        }
    ).to_csv(source, index=False)
    return source


def test_a_trend_per_day_from_the_command_line(cli, tmp_path):
    source, out = _table(tmp_path), tmp_path / "trend.csv"
    result = cli(
        "generate", "inject", str(source), "--out", str(out), "--op", "trend", "--columns",
        "x0", "--param", "slope=2.4", "--param", "per=1D", "--time-column", "ts",
        "--time-range", "2024-03-02:", "--seed", "1", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["operation"], summary["kind"], summary["onset_row"]) == (
        "trend",
        "covariate",
        24,
    )
    x0 = pd.read_csv(out)["x0"].to_numpy()
    assert np.array_equal(x0[:24], np.zeros(24))
    assert np.allclose(x0[24:], 0.1 * np.arange(24))  # 2.4 a day is 0.1 an hour
    event = DriftRecord.load(tmp_path / "trend.drift_record.json").events[0]
    assert event.params["per"] == "1D" and event.params["origin"] == "2024-03-02T00:00:00"


def test_steps_by_block_and_a_target_formula(cli, tmp_path):
    source, stepped, labelled = _table(tmp_path), tmp_path / "s.csv", tmp_path / "l.parquet"
    result = cli(
        "generate", "inject", str(source), "--out", str(stepped), "--op", "level_steps",
        "--columns", "x0", "--param", 'at=["b3","b7"]', "--param", "sizes=[1,2]",
        "--block-column", "block",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    x0 = pd.read_csv(stepped)["x0"].to_numpy()
    assert x0.tolist() == [0.0] * 12 + [1.0] * 24 + [3.0] * 12
    result = cli(
        "generate", "inject", str(stepped), "--out", str(labelled), "--op", "target_formula",
        "--param", "formula=x0 + x1 > 1", "--param", 'classes=["no","yes"]',
        "--record", str(tmp_path / "s.drift_record.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "new column defined on 48 rows (not drift)" in result.output
    table = pd.read_parquet(labelled)
    expected = np.where(table["x0"] + table["x1"] > 1, "yes", "no")
    assert table["target"].tolist() == expected.tolist()
    record = DriftRecord.load(tmp_path / "l.drift_record.json")
    assert [e.operation for e in record.events] == ["level_steps", "target_formula"]
    assert record.events[1].params["inputs"] == ["x0", "x1"]


def test_an_unsafe_formula_is_one_line(cli, tmp_path):
    source = _table(tmp_path)
    result = cli(
        "generate", "inject", str(source), "--out", str(tmp_path / "o.csv"), "--op",
        "target_formula", "--param", "formula=__import__('os').getcwd()",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "is not allowed" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.csv").exists()


def test_the_dynamics_are_listed(cli):
    listing = json.loads(cli("generate", "list", "--json").output)
    operations = {o["name"]: o for o in listing["operations"]}
    for name in ("trend", "seasonality", "random_walk", "level_steps", "target_formula"):
        assert name in operations
    assert [p["name"] for p in operations["trend"]["parameters"]] == [
        "slope", "per", "origin", "axis"
    ]  # fmt: skip
    assert operations["target_formula"]["kind"] == "concept"
