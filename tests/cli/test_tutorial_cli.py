"""``calmops tutorial list`` and ``calmops tutorial copy``: a tutorial and its data in a
folder, and the copy runs there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmops.cli.main import app


def test_list_names_every_tutorial_with_its_title() -> None:
    result = CliRunner().invoke(app, ["tutorial", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [t["name"] for t in listed] == [
        "first-pipeline", "real-table", "blocks-and-ipip", "serving", "drift-in-ci",
        "realistic-data",
    ]  # fmt: skip
    assert all(t["title"] and t["summary"] and "``" not in t["summary"] for t in listed)


def test_an_unknown_tutorial_is_a_one_line_error_listing_the_names(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["tutorial", "copy", "first-pipelin", str(tmp_path)])
    assert result.exit_code == 1
    assert "no tutorial 'first-pipelin'; choose from blocks-and-ipip" in result.output


def test_copy_refuses_to_overwrite_a_tutorial(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["tutorial", "copy", "serving", str(tmp_path), "--no-data"]
    assert runner.invoke(app, args).exit_code == 0
    assert (tmp_path / "tutorial.py").read_text().startswith('"""Tutorial: serving')
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "exists already" in again.output


@pytest.mark.slow
def test_a_copied_tutorial_has_its_data_and_runs_in_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ci"
    result = CliRunner().invoke(app, ["tutorial", "copy", "drift-in-ci", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (folder / "data").iterdir()) == [
        "batch_0001.csv", "batch_0002.csv", "drift_record.json",
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "tutorial.py"], cwd=folder, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "tutorial ok:" in done.stdout
    assert (folder / "drift.html").is_file()
