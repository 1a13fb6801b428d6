"""``calmops create`` names columns of the first data file that look like ids or times and
have no role, with the flag to give them one; ``--id-column``, ``--time-column`` and
``--exclude`` write the spec's data roles."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from calmops.cli.hints import first_rows

MODEL = "sklearn.linear_model.LogisticRegression"


def _folder(tmp_path: Path, rows: int = 200) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    pd.DataFrame(
        {
            "customer_id": [f"C-{i}" for i in range(rows)],
            "ts": pd.date_range("2026-01-01", periods=rows, freq="h").astype(str),
            "x": [i % 5 for i in range(rows)],
            "memo": ["a"] * rows,
            "label": [i % 2 for i in range(rows)],
        }
    ).to_csv(folder / "first.csv", index=False)
    return folder


def _create(cli, folder: Path, name: str, *extra: str):
    return cli(
        "create", name, "--data-dir", str(folder), "--target", "label", "--model", MODEL, *extra
    )


def test_create_warns_of_id_and_time_columns_with_their_flags(cli, tmp_path: Path) -> None:
    result = _create(cli, _folder(tmp_path), "demo")
    assert result.exit_code == 0, result.output
    assert "'customer_id' looks like an identifier" in result.stderr
    assert "(--id-column customer_id)" in result.stderr
    assert "'ts' looks like an event time" in result.stderr
    assert "(--time-column ts)" in result.stderr
    assert "memo" not in result.stderr and "'x'" not in result.stderr


def test_create_roles_from_options_and_no_warning_once_given(cli, home, tmp_path) -> None:
    folder = _folder(tmp_path)
    result = _create(
        cli,
        folder,
        "demo",
        "--id-column",
        "customer_id",
        "--time-column",
        "ts",
        "--exclude",
        "memo",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert "looks like" not in result.stderr
    assert json.loads(result.stdout)["name"] == "demo"
    data = yaml.safe_load((home / "pipelines/demo/config/pipeline.yaml").read_text())["data"]
    assert (data["id_columns"], data["time_column"], data["exclude"]) == (
        ["customer_id"],
        "ts",
        ["memo"],
    )
    both = _create(cli, folder, "other", "--id-column", "ts", "--time-column", "ts")
    assert both.exit_code != 0 and "one role" in both.stderr


def test_only_the_first_rows_of_a_large_csv_are_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path, rows=25_000)
    assert len(first_rows(folder / "first.csv", 10_000)) == 10_000
