"""``calmops generate``: stream, inject and list, as a user runs them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import (
    GENERATORS,
    OPERATIONS,
    PROFILES,
    SYNTHESIZERS,
    DriftRecord,
    abrupt,
    generate_stream,
)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_stream_writes_ordered_batches_and_the_record(cli, tmp_path):
    out = tmp_path / "sea"
    args = ("generate", "stream", "--generator", "sea", "--n", "20000", "--drift-at", "10000")
    result = cli(*args, "--seed", "1", "--out", str(out), "--batches", "10")
    assert result.exit_code == 0, result.output
    assert "abrupt drift to concept 1 at row 10000 (batch 6)" in result.output
    files = sorted(out.glob("batch_*.csv"))
    assert [f.name for f in files] == [f"batch_{i:04d}.csv" for i in range(1, 11)]
    data = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    expected, expected_record = generate_stream("sea", 20000, seed=1, schedule=abrupt(10000))
    assert np.allclose(data.to_numpy(), expected.to_numpy())
    record = DriftRecord.load(out / "drift_record.json")
    assert record == expected_record
    assert record.events[0].onset_row == 10000


def test_same_seed_same_bytes(cli, tmp_path):
    args = ("generate", "stream", "-g", "agrawal", "--n", "3000", "--drift-at", "1500")
    extra = ("--drift-width", "500", "--seed", "7", "--batches", "3")
    assert cli(*args, *extra, "--out", str(tmp_path / "a")).exit_code == 0
    assert cli(*args, *extra, "--out", str(tmp_path / "b")).exit_code == 0
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_parquet_with_options_and_json_summary(cli, tmp_path):
    out = tmp_path / "p"
    result = cli(
        "generate", "stream", "-g", "hyperplane", "--n", "1000", "--drift-at", "600",
        "--drift-kind", "recurrent", "--drift-duration", "200", "--to-params",
        '{"mag_change": 0.01}', "--format", "parquet", "--batches", "4", "--seed", "3",
        "--timestamp-start", "2024-05-01", "--timestamp-step", "1h", "--blocks", "4",
        "--balance", "--out", str(out), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["files"] == [f"batch_{i:04d}.parquet" for i in range(1, 5)]
    assert [d["onset_row"] for d in summary["drifts"]] == [600, 800]
    assert [d["onset_batch"] for d in summary["drifts"]] == [3, 4]
    first = pd.read_parquet(out / "batch_0001.parquet")
    assert list(first.columns[:2]) == ["timestamp", "block"]
    record = DriftRecord.load(out / "drift_record.json")
    assert record.events[0].onset_time == "2024-05-26T00:00:00"


def test_refuses_to_overwrite_without_force(cli, tmp_path):
    args = ("generate", "stream", "-g", "sine", "--n", "100", "--out", str(tmp_path / "s"))
    assert cli(*args).exit_code == 0
    again = cli(*args)
    assert again.exit_code == 1 and "--force" in again.output
    assert cli(*args, "--force", "--batches", "2").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "s").glob("batch_*")) == [
        "batch_0001.csv",
        "batch_0002.csv",
    ]


def test_inject_writes_the_table_and_its_record(cli, tmp_path):
    source = tmp_path / "in.csv"
    data, _ = generate_stream("sea", 4000, seed=0)
    data.to_csv(source, index=False)
    out = tmp_path / "out" / "shifted.csv"
    result = cli(
        "generate", "inject", str(source), "--out", str(out), "--op", "shift", "--columns",
        "x0,x1", "--magnitude", "1.5", "--rows", "2000:", "--seed", "4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shifted = pd.read_csv(out)
    delta = shifted["x0"][2000:].mean() - data["x0"][2000:].mean()
    assert delta == pytest.approx(1.5 * data["x0"].std())
    record = DriftRecord.load(tmp_path / "out" / "shifted.drift_record.json")
    event = record.events[0]
    assert (event.operation, event.columns, event.onset_row) == ("shift", ("x0", "x1"), 2000)


def test_inject_extends_a_stream_record(cli, tmp_path):
    out = tmp_path / "s"
    cli(
        "generate",
        "stream",
        "-g",
        "agrawal",
        "--n",
        "2000",
        "--drift-at",
        "1000",
        "--out",
        str(out),
    )
    result = cli(
        "generate", "inject", str(out / "batch_0001.csv"), "--out", str(tmp_path / "m.parquet"),
        "--op", "missing", "--columns", "salary", "--rate", "0.1", "--param", "mechanism=mnar",
        "--where", "age>=40", "--record", str(out / "drift_record.json"), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["kind"] == "quality"
    record = DriftRecord.load(tmp_path / "m.drift_record.json")
    assert [e.operation for e in record.events] == ["abrupt", "missing"]
    table = pd.read_parquet(tmp_path / "m.parquet")
    assert table["salary"][table["age"] < 40].notna().all()


def test_list_shows_every_registered_name(cli):
    result = cli("generate", "list", "--json")
    assert result.exit_code == 0
    listing = json.loads(result.output)
    assert [g["name"] for g in listing["generators"]] == list(GENERATORS.names())
    assert [o["name"] for o in listing["operations"]] == list(OPERATIONS.names())
    assert [p["name"] for p in listing["profiles"]] == list(PROFILES.names())
    sea = next(g for g in listing["generators"] if g["name"] == "sea")
    assert sea["parameters"] == [
        {"name": "variant", "default": 0},
        {"name": "noise", "default": 0.0},
    ]
    assert [s["name"] for s in listing["synthesizers"]] == list(SYNTHESIZERS.names())
    cart = next(s for s in listing["synthesizers"] if s["name"] == "cart")
    assert cart["default"] and {"name": "min_samples_leaf", "default": None} in cart["parameters"]
    table = cli("generate", "list")
    assert table.exit_code == 0 and "label_flip" in table.output
    assert "cart (default)" in table.output and "min_samples_leaf=None" in table.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stream", "-g", "seaa"), "no generator 'seaa'; choose from agrawal"),
        (("stream", "-g", "sea", "--n", "-3"), "--n must be >= 1"),
        (("stream", "-g", "sea", "--n", "100", "--drift-at", "500"), "inside the stream of 100"),
        (("stream", "-g", "sea", "--drift-at", "5", "--to-params", "{x"), "not valid JSON"),
        (("stream", "-g", "sea", "--format", "xlsx"), "--format must be one of csv, parquet"),
        (("stream", "-g", "sea", "--drift-at", "50", "--drift-kind", "recurrent"), "duration"),
        (("stream", "-g", "sea", "--to-params", '{"variant": 1}'), "need --drift-at"),
        (("stream", "-g", "sea", "--drift-at", "50", "--drift-kind", "gradual"), "width > 0"),
    ],
)
def test_stream_errors_are_one_line(cli, tmp_path, args, message):
    result = cli("generate", *args, "--out", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_inject_errors_are_one_line(cli, tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame({"a": [1.0, 2.0], "target": [0, 1]}).to_csv(source, index=False)
    cases = [
        (("--op", "shift", "--columns", "b"), "unknown column 'b'; the table has a, target"),
        (("--op", "warp", "--columns", "a"), "no operation 'warp'"),
        (("--op", "shift", "--columns", "a", "--rows", "5:9"), "not a valid range"),
        (("--op", "shift", "--columns", "a", "--where", "a=>1"), "--where must look like"),
    ]
    for args, message in cases:
        result = cli("generate", "inject", str(source), "--out", str(tmp_path / "o.csv"), *args)
        assert result.exit_code == 1, args
        assert message in result.output, result.output
    missing = cli("generate", "inject", str(tmp_path / "nope.csv"), "--out", "o.csv", "--op", "x")
    assert missing.exit_code == 1


@pytest.mark.parametrize("command", ["stream", "inject", "list"])
def test_every_command_has_help(cli, command):
    result = cli("generate", command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_inject_into_blocks(cli, tmp_path):
    out = tmp_path / "s"
    cli("generate", "stream", "-g", "sea", "--n", "800", "--blocks", "4", "--out", str(out))
    result = cli(
        "generate", "inject", str(out / "batch_0001.csv"), "--out", str(tmp_path / "x.csv"),
        "--op", "scale", "--columns", "x0", "--param", "factor=3", "--block-column", "block",
        "--blocks", "1,3",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    before, after = pd.read_csv(out / "batch_0001.csv"), pd.read_csv(tmp_path / "x.csv")
    changed = before["x0"] != after["x0"]
    assert set(before["block"][changed]) == {1, 3}
    no_column = cli(
        "generate", "inject", str(out / "batch_0001.csv"), "--out", str(tmp_path / "y.csv"),
        "--op", "scale", "--columns", "x0", "--blocks", "1",
    )  # fmt: skip
    assert no_column.exit_code == 1 and "--block-column" in no_column.output
