"""``calmops runs prune`` as a user runs it, and ``calmops runs NAME`` still listing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from calmops.data_generators import generate_stream


@pytest.fixture
def pipeline(cli, tmp_path: Path) -> str:
    """Pipeline ``sea`` with four runs, the first of which trained the champion."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    data = generate_stream("sea", 1600, seed=4).data
    for i in range(4):
        path = folder / f"batch_{i}.csv"
        data.iloc[i * 400 : (i + 1) * 400].to_csv(path, index=False)
        os.utime(path, (1000 + i, 1000 + i))
    made = cli("create", "sea", "--data-dir", str(folder), "--target", "target",
               "--model", "sklearn.tree.DecisionTreeClassifier")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert cli("run", "sea", "--once").exit_code == 0
    return "sea"


def _listed(cli, name: str) -> list[dict]:
    result = cli("runs", name, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_dry_run_then_prune_keeps_the_newest_and_the_champions(cli, pipeline, home) -> None:
    before = _listed(cli, pipeline)
    assert len(before) == 4
    trained = before[-1]["run_id"]
    dry = cli("runs", "prune", pipeline, "--keep", "1", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would remove 2 run(s)" in dry.stdout and len(_listed(cli, pipeline)) == 4
    done = cli("runs", "prune", pipeline, "--keep", "1", "--json")
    assert done.exit_code == 0, done.output
    removed = json.loads(done.stdout)
    assert [r["run_id"] for r in removed["runs"]] == [before[2]["run_id"], before[1]["run_id"]]
    assert removed["runs_left"] == 2
    assert [r["run_id"] for r in _listed(cli, pipeline)] == [before[0]["run_id"], trained]
    reports = {p.stem for p in (home / "pipelines" / pipeline / "metrics" / "runs").glob("*")}
    assert reports == {before[0]["run_id"], trained}
    again = cli("run", pipeline, "--once")  # the pruned runs' files stay processed
    assert again.exit_code == 0 and "No pending files" in again.output


def test_the_specs_retention_by_default(cli, pipeline) -> None:
    result = cli("runs", "prune", pipeline)
    assert result.exit_code == 0, result.output
    assert "Nothing to prune in 'sea': 4 run(s) kept." in result.stdout
    cli("update", pipeline, "--set", "retention.keep_runs=null")
    refused = cli("runs", "prune", pipeline)
    assert refused.exit_code == 1 and "--keep N or --older-than 30d" in refused.output


def test_older_than(cli, pipeline) -> None:
    assert cli("runs", "prune", pipeline, "--older-than", "0d").exit_code == 2
    result = cli("runs", "prune", pipeline, "--older-than", "30d")
    assert result.exit_code == 0 and "Nothing to prune" in result.stdout


def test_listing_still_works_with_options_first(cli, pipeline) -> None:
    result = cli("runs", "-n", "2", pipeline)
    assert result.exit_code == 0, result.output
    assert "batch_3.csv" in result.stdout and "batch_1.csv" not in result.stdout
