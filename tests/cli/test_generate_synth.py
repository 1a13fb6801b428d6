"""``calmops generate synth``, as a user runs it: files in and out, options, errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import synthesize


@pytest.fixture
def real_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 800
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "month": rng.choice(["m1", "m2", "m10"], n),
            "x": x,
            "age": rng.integers(18, 90, n),
            "y": np.where(x + rng.normal(0, 0.5, n) > 0.8, "yes", "no"),
        }
    )
    path = tmp_path / "real.csv"
    frame.to_csv(path, index=False)
    return path


def test_writes_the_rows_and_says_what_it_did(cli, real_csv, tmp_path):
    out = tmp_path / "out" / "synth.csv"
    args = ("generate", "synth", str(real_csv), "--n", "1000", "--out", str(out))
    result = cli(*args, "--target", "y", "--condition", "y=yes:0.3,no:0.7", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert f"fitted cart on {real_csv} (800 rows) and wrote 1,000 rows × 4 columns" in result.output
    assert "y: no: 700, yes: 300" in result.output
    written = pd.read_csv(out)
    assert written.y.value_counts().to_dict() == {"no": 700, "yes": 300}
    expected = synthesize(
        pd.read_csv(real_csv), n=1000, target="y", conditions={"y": {"yes": 0.3, "no": 0.7}}, seed=4
    )
    pd.testing.assert_frame_equal(written, expected)
    assert not list(out.parent.glob(".*.tmp"))  # written atomically, nothing left behind


def test_blocks_parameters_and_json(cli, real_csv, tmp_path):
    out = tmp_path / "synth.parquet"
    result = cli(
        "generate", "synth", str(real_csv), "--out", str(out), "--method", "bootstrap",
        "--param", "noise=0.1", "--block-column", "month", "--n-per-block", "m10=5,m1=7",
        "--target", "y", "--balance", "--seed", "1", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["method"] == "bootstrap" and summary["columns"] == ["month", "x", "age", "y"]
    assert list(summary["blocks"]) == ["m1", "m2", "m10"]
    assert summary["blocks"]["m1"] == 7 and summary["blocks"]["m10"] == 5
    written = pd.read_parquet(out)
    assert len(written) == summary["rows"] and list(pd.unique(written.month)) == ["m1", "m2", "m10"]


def test_the_output_feeds_drift_injection(cli, real_csv, tmp_path):
    synth = tmp_path / "synth.csv"
    made = cli("generate", "synth", str(real_csv), "--out", str(synth), "--block-column", "month")
    assert made.exit_code == 0, made.output
    args = ("generate", "inject", str(synth), "--out", str(tmp_path / "drifted.csv"))
    result = cli(
        *args,
        "--op",
        "shift",
        "-c",
        "x",
        "--magnitude",
        "2",
        "--blocks",
        "m10",
        "--block-column",
        "month",
    )
    assert result.exit_code == 0, result.output
    drifted = pd.read_csv(tmp_path / "drifted.csv")
    base = pd.read_csv(synth)
    moved = drifted.x - base.x
    assert (moved[base.month != "m10"] == 0).all() and (moved[base.month == "m10"] != 0).all()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--method", "cartt"), "no synthesizer 'cartt'; choose from"),
        (("--param", "leaf=3"), "synthesizer 'cart' does not take leaf"),
        (("--condition", "y=maybe:1"), "names 'maybe', which the real table does not hold"),
        (("--condition", "y=yes"), "--condition must look like"),
        (("--balance",), "--balance needs --target"),
        (("--n-per-block", "x"), "--n-per-block must be N"),
        (("--block-column", "nope"), "block column 'nope' is not a column"),
        (("--target", "y", "--n", "0"), "whole number ≥ 1"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_1(cli, real_csv, tmp_path, extra, message):
    out = tmp_path / "s.csv"
    result = cli("generate", "synth", str(real_csv), "--out", str(out), *extra)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_an_out_file_of_another_format_and_an_empty_input(cli, real_csv, tmp_path):
    result = cli("generate", "synth", str(real_csv), "--out", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 1 and "--out must end in .csv or .parquet" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_text("a,b\n")
    result = cli("generate", "synth", str(empty), "--out", str(tmp_path / "s.csv"))
    assert result.exit_code == 1 and "Traceback" not in result.output
