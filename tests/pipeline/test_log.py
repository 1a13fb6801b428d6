"""The pipeline's logs rotate: a pipeline running for months keeps a bounded amount of them."""

from __future__ import annotations

import json
from pathlib import Path

import calmops.pipeline.log as log_module
from calmops.pipeline.log import PipelineLog


def test_both_logs_rotate_and_stay_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(log_module, "MAX_BYTES", 4_000)
    monkeypatch.setattr(log_module, "BACKUPS", 2)
    log = PipelineLog(tmp_path, "rotation-test")
    for i in range(2_000):  # about 300 KB of each log without rotation
        log.event("info", "run", f"run {i} on batch_{i:05d}.csv: no_drift", run_id=str(i))
    log.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "events.jsonl",
        "events.jsonl.1",
        "events.jsonl.2",
        "pipeline.log",
        "pipeline.log.1",
        "pipeline.log.2",
    ]
    assert all(p.stat().st_size <= 4_000 for p in tmp_path.iterdir())
    # the newest events are kept whole, one JSON object a line, in order
    last = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert last[-1]["run_id"] == "1999"
    assert [int(e["run_id"]) for e in last] == list(range(2_000 - len(last), 2_000))
    assert (
        (tmp_path / "pipeline.log")
        .read_text()
        .splitlines()[-1]
        .endswith("run 1999 on batch_01999.csv: no_drift")
    )


def test_debug_events_reach_the_event_log_only(tmp_path: Path) -> None:
    log = PipelineLog(tmp_path, "debug-test")
    log.event("debug", "step", "r1 load: 10 rows")
    log.event("info", "run", "r1: no_drift")
    log.close()
    kinds = [
        json.loads(line)["kind"]
        for line in (tmp_path / "events.jsonl").read_text().split("\n")
        if line
    ]
    assert kinds == ["step", "run"]
    assert "load: 10 rows" not in (tmp_path / "pipeline.log").read_text()
