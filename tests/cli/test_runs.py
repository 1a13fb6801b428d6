"""run, retry, runs, report, resume, models, promote, rollback — as a user runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from calmops.data_generators import generate_stream
from calmops.data_generators.streams.schedule import abrupt

TREE = "sklearn.tree.DecisionTreeClassifier"


@pytest.fixture
def incoming(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    data = generate_stream("sea", 4000, seed=4, schedule=abrupt(2000, to={"variant": 3})).data
    for i in range(4):
        path = folder / f"batch_{i}.csv"
        data.iloc[i * 1000 : (i + 1) * 1000].to_csv(path, index=False)
        os.utime(path, (1000 + i, 1000 + i))
    return folder


@pytest.fixture
def pipeline(cli, incoming: Path) -> str:
    result = cli(
        "create",
        "sea",
        "--data-dir",
        str(incoming),
        "--target",
        "target",
        "--model",
        TREE,
        "--param",
        "max_depth=6",
        "--param",
        "random_state=0",
    )
    assert result.exit_code == 0, result.output
    assert (
        cli(
            "update", "sea", "--set", "retrain.strategy=window", "--set", "retrain.window_batches=1"
        ).exit_code
        == 0
    )
    return "sea"


def test_run_once_then_nothing_pending(cli, pipeline) -> None:
    result = cli("run", pipeline, "--once")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].split()[:5] == ["file", "status", "decision", "champion", "why"]
    assert lines[1].split()[:3] == ["batch_0.csv", "succeeded", "train"]
    again = cli("run", pipeline, "--once")
    assert again.exit_code == 0 and "No pending files" in again.stderr


def test_run_by_row_chunks_shows_progress_lines_and_the_chunks(cli, pipeline) -> None:
    updated = cli("update", pipeline, "--set", "data.chunk={by: rows, size: 1500}")
    assert updated.exit_code == 0, updated.output
    result = cli("run", pipeline, "--once")
    assert result.exit_code == 0, result.output
    # not a terminal: a line for the first and the last run (others at most every 5 s)
    assert (
        result.stderr.splitlines()[0]
        == "run 1/3: batch_0.csv rows 0–999 + batch_1.csv rows 0–499 (1,500 rows)"
    )
    assert "run 3/3: batch_3.csv rows 0–999 (1,000 rows)" in result.stderr
    listed = json.loads(cli("runs", pipeline, "--json").stdout)
    assert [r["file"].rsplit("/", 1)[-1] for r in listed] == [
        "batch_3.csv [rows 0–999]",
        "batch_1.csv +1 [rows 500–999]",
        "batch_0.csv +1 [rows 0–999]",
    ]
    assert [r["chunk"]["partial"] for r in listed] == [True, False, False]
    report = cli("report", pipeline)
    assert (
        "period: batch_3.csv rows 0–999 (chunk by rows; partial); from batch_3.csv" in report.stdout
    )


def test_run_json_and_one_file(cli, pipeline, incoming) -> None:
    first = json.loads(
        cli("run", pipeline, "--file", str(incoming / "batch_0.csv"), "--json").stdout
    )
    assert [(r["status"], r["decision"]) for r in first] == [("succeeded", "train")]
    repeat = json.loads(
        cli("run", pipeline, "--file", str(incoming / "batch_0.csv"), "--json").stdout
    )
    assert repeat[0]["status"] == "skipped"


def test_run_without_once_or_file_is_a_usage_error(cli, pipeline) -> None:
    result = cli("run", pipeline)
    assert result.exit_code == 2 and "--once" in result.output


def test_runs_lists_the_contract_fields(cli, pipeline) -> None:
    cli("run", pipeline, "--once")
    rows = json.loads(cli("runs", pipeline, "--json").stdout)
    assert len(rows) == 4
    assert {
        "run_id",
        "file",
        "status",
        "decision",
        "drift_detected",
        "champion_version",
        "metrics",
        "reason",
    } <= set(rows[0])
    assert rows[-1]["decision"] == "train" and rows[-1]["champion_version"] == 1
    table = cli("runs", pipeline).stdout
    assert "balanced_accuracy" in table.splitlines()[0]


def test_report_latest_and_by_id(cli, pipeline) -> None:
    cli("run", pipeline, "--once")
    rows = json.loads(cli("runs", pipeline, "--json").stdout)
    latest = json.loads(cli("report", pipeline, "--json").stdout)
    assert latest["run_id"] == rows[0]["run_id"]
    oldest = json.loads(cli("report", pipeline, rows[-1]["run_id"], "--json").stdout)
    assert oldest["decision"]["kind"] == "train"
    text = cli("report", pipeline, rows[-1]["run_id"]).stdout
    assert "decision: train" in text and "challenger v1" in text
    missing = cli("report", pipeline, "nope")
    assert missing.exit_code == 1 and "no run 'nope'" in missing.stderr


def test_models_promote_and_rollback(cli, pipeline) -> None:
    cli("run", pipeline, "--once")
    models = json.loads(cli("models", pipeline, "--json").stdout)
    assert {"version", "aliases", "metrics", "created"} <= set(models[0])
    champion = next(m["version"] for m in models if "champion" in m["aliases"])
    assert champion > 1
    bare = cli("rollback", pipeline)
    assert bare.exit_code == 1 and "a reason is required" in bare.stderr
    rolled = cli("rollback", pipeline, "--reason", "v2 misses the new site")
    assert rolled.exit_code == 0, rolled.output
    assert f"champion: v{champion} → v1" in rolled.stdout
    promoted = cli("promote", pipeline, str(champion), "--reason", "fixed")
    assert promoted.exit_code == 0 and f"champion: v1 → v{champion}" in promoted.stdout
    again = cli("promote", pipeline, str(champion), "--reason", "again")
    assert again.exit_code == 1 and "already the champion" in again.stderr
    unknown = cli("promote", pipeline, "99", "--reason", "x")
    assert unknown.exit_code == 1 and "no model version 99" in unknown.stderr


def test_promote_refuses_a_tampered_model_file(cli, pipeline, home) -> None:
    cli("run", pipeline, "--once")
    model_file = home / "pipelines" / "sea" / "models" / "v1" / "model.joblib"
    model_file.write_bytes(model_file.read_bytes() + b"tampered")
    result = cli("promote", pipeline, "1", "--reason", "x")
    assert result.exit_code == 1 and "does not match its recorded checksum" in result.stderr


def test_rollback_without_a_previous_model(cli, pipeline, incoming) -> None:
    cli("run", pipeline, "--file", str(incoming / "batch_0.csv"))
    result = cli("rollback", pipeline, "--reason", "undo")
    assert result.exit_code == 1 and "no previous model to roll back to" in result.stderr


def test_a_failed_file_exits_1_and_retry_runs_it_again(cli, pipeline, incoming) -> None:
    (incoming / "zz_broken.csv").write_text("x0,x1\n1,2\n3,4\n")
    os.utime(incoming / "zz_broken.csv", (2000, 2000))
    result = cli("run", pipeline, "--once")
    assert result.exit_code == 1
    assert "1 of 5 files failed" in result.stderr and "zz_broken.csv" in result.stderr
    assert "x2" in result.stderr
    nothing = cli("run", pipeline, "--once")
    assert nothing.exit_code == 0 and "No pending files" in nothing.stderr
    (incoming / "zz_broken.csv").write_text("x0,x1,x2,target\n" + "1,2,3,0\n" * 20)
    # a fixed file has new content: it is simply pending again
    fixed = json.loads(cli("run", pipeline, "--once", "--json").stdout)
    assert fixed[0]["status"] == "succeeded"


def test_retry_reruns_failed_files(cli, pipeline, incoming) -> None:
    (incoming / "zz_broken.csv").write_text("x0,x1\n1,2\n3,4\n")
    os.utime(incoming / "zz_broken.csv", (2000, 2000))
    cli("run", pipeline, "--once")
    retried = cli("retry", pipeline, str(incoming / "zz_broken.csv"), "--json")
    assert [r["status"] for r in json.loads(retried.stdout)] == ["failed"]
    assert retried.exit_code == 1  # failed again: scripts must see it, as with run --once
    assert "1 of 1 files failed again" in retried.stderr
    (incoming / "zz_broken.csv").write_text("x0,x1,x2,target\n" + "1,2,3,0\n" * 20)
    nothing = cli("retry", pipeline, str(incoming / "batch_0.csv"))
    assert nothing.exit_code == 1 and "no failed run" in nothing.stderr


def test_resume(cli, pipeline, home) -> None:
    from calmops.settings import Settings
    from calmops.store import BreakerState, utcnow
    from calmops.workspace import Workspace

    assert "nothing to resume" in cli("resume", pipeline).stdout
    store = Workspace(Settings(home=home)).store
    store.state.set_breaker("sea", BreakerState("open", 3, utcnow(), utcnow()))
    result = cli("resume", pipeline)
    assert "Resumed 'sea': the breaker was open after 3 failures" in result.stdout
    assert store.state.breaker("sea") == BreakerState()


def test_a_paused_batch_can_be_run_again_after_resume(cli, pipeline, home, incoming) -> None:
    from calmops.settings import Settings
    from calmops.store import BreakerState, utcnow
    from calmops.workspace import Workspace

    drifted = incoming / "batch_2.csv"
    os.utime(drifted, (5000, 5000))  # batches 0, 1, 3 first; the drifted one last
    cli("run", pipeline, "--file", str(incoming / "batch_0.csv"))
    store = Workspace(Settings(home=home)).store
    later = utcnow().replace(year=utcnow().year + 1)
    store.state.set_breaker("sea", BreakerState("open", 3, utcnow(), later))
    ran = json.loads(cli("run", pipeline, "--file", str(drifted), "--json").stdout)
    assert ran[0]["decision"] == "paused"
    check = cli("status", pipeline, "--check")
    assert check.exit_code == 1 and "circuit breaker is open" in check.stderr
    too_early = cli("retry", pipeline, "--paused")
    assert too_early.exit_code == 1 and f"calmops resume {pipeline}` first" in too_early.stderr
    resumed = cli("resume", pipeline)
    assert "1 batch of 'sea' was paused: `calmops retry sea --paused`" in resumed.stdout
    again = json.loads(cli("retry", pipeline, "--paused", "--json").stdout)
    assert [(r["source"].endswith("batch_2.csv"), r["decision"]) for r in again] == [
        (True, "retrain")
    ]
    nothing = cli("retry", pipeline, "--paused")
    assert nothing.exit_code == 1 and "no paused batch" in nothing.stderr


def test_a_second_runner_is_refused(cli, pipeline, home) -> None:
    from calmops.pipeline.lock import PipelineLock

    with PipelineLock(home / "pipelines" / "sea", "sea"):
        result = cli("run", pipeline, "--once")
    assert result.exit_code == 1 and "is already running" in result.stderr
