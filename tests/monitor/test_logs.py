"""Reading the pipeline log: last N records, level and text filters, following with rotation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from calmops.errors import SpecError
from calmops.monitor.logs import follow, tail
from calmops.pipeline.log import PipelineLog


def _log(folder: Path) -> PipelineLog:
    return PipelineLog(folder, "logs-test")


def test_tail_filters_by_level_and_text_and_keeps_tracebacks(tmp_path: Path) -> None:
    log = _log(tmp_path)
    log.event("info", "run", "run 1 on a.csv: no_drift")
    log.event("warning", "folder_problem", "data folder /in does not exist")
    log.event("error", "traceback", "Traceback (most recent call last):\n  boom")
    log.event("info", "run", "run 2 on b.csv: retrain")
    log.close()
    path = tmp_path / "pipeline.log"
    assert [r.split(" ", 2)[2] for r in tail(path, last=2)] == [
        "Traceback (most recent call last):\n  boom",
        "run 2 on b.csv: retrain",
    ]
    assert len(tail(path, last=None, level="warning")) == 2
    assert [r.split(" ", 2)[2] for r in tail(path, grep="B.CSV")] == ["run 2 on b.csv: retrain"]
    assert tail(tmp_path / "none.log") == []
    with pytest.raises(SpecError, match="no log level 'loud'; choose from debug, info"):
        tail(path, level="loud")


def test_follow_sees_new_records_and_survives_rotation(tmp_path: Path, wait_for) -> None:
    path = tmp_path / "pipeline.log"
    log = _log(tmp_path)
    log.event("info", "old", "before following")
    seen: list[str] = []
    stop = threading.Event()
    records = follow(path, level="info", stop=stop, poll=0.05)  # from this moment on
    reader = threading.Thread(target=lambda: [seen.append(r) for r in records])
    reader.start()
    try:
        log.event("debug", "step", "not shown")
        log.event("info", "run", "first new")
        wait_for(lambda: any("first new" in r for r in seen), what="the first record")
        log.close()
        path.rename(tmp_path / "pipeline.log.1")  # what the rotating handler does
        log = _log(tmp_path)
        log.event("info", "run", "after rotation")
        wait_for(lambda: any("after rotation" in r for r in seen), what="the rotated file")
    finally:
        stop.set()
        reader.join(30)
        log.close()
    assert not any("before following" in r or "not shown" in r for r in seen)
