"""The monitor service on real folders: watch and schedule triggers, exactly-once runs,
slow writers, failing files, a folder that goes away, several pipelines in one process."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from calmops.errors import PipelineBusyError
from calmops.monitor.service import MonitorService
from calmops.monitor.state import read_state
from calmops.monitor.status import pipeline_status


def test_existing_files_run_first_in_order_then_new_ones(site, sea, wait_for) -> None:
    site.create()
    frame = sea(600)
    for index in range(3):
        path = site.drop(frame.iloc[index * 200 : (index + 1) * 200], f"old_{index}.csv")
        stamp = 1_700_000_000 + index
        os.utime(path, (stamp, stamp))
    with site.service():
        site.wait_runs(3)
        site.drop(sea(200, seed=2), "new.csv")
        site.wait_runs(4)
    order = [Path(r.source).name for r in reversed(site.runs())]
    assert order == ["old_0.csv", "old_1.csv", "old_2.csv", "new.csv"]
    assert all(r.status == "succeeded" for r in site.runs())
    assert site.ws.store.pipelines.get("demo").state == "stopped"


def test_a_watched_folder_with_chunking_runs_each_chunk_once(site, sea) -> None:
    site.create(data={"chunk": {"by": "rows", "size": 150}})
    site.drop(sea(200), "first.csv")  # 200 rows: 150 + 50
    with site.service():
        site.wait_runs(2)
        site.drop(sea(100, seed=2), "second.csv")  # its own chunk: the first pass is done
        site.wait_runs(3)
        time.sleep(0.5)  # a duplicate would show up here
    sources = [Path(r.source).name for r in reversed(site.runs())]
    assert sources == [
        "first.csv [rows 0–149]",
        "first.csv [rows 150–199]",
        "second.csv [rows 0–99]",
    ]
    assert all(r.status == "succeeded" for r in site.runs())


@pytest.mark.slow
def test_two_hundred_files_at_once_each_run_exactly_once(site, sea, wait_for) -> None:
    site.create()
    frame = sea(200 * 50, seed=3)
    with site.service():
        staging = site.root / "staging"
        staging.mkdir()
        for index in range(200):
            frame.iloc[index * 50 : (index + 1) * 50].to_csv(
                staging / f"b{index:03d}.csv", index=False
            )
        for path in sorted(staging.iterdir()):  # all at once, as fast as renames go
            path.rename(site.incoming / path.name)
        site.wait_runs(200, timeout=110)
        time.sleep(0.5)  # let any late duplicate event show up before counting
    counts = site.by_file()
    assert len(counts) == 200
    assert all(statuses == ["succeeded"] for statuses in counts.values())


@pytest.mark.slow
def test_a_file_written_slowly_runs_once_and_complete(site, sea, wait_for) -> None:
    site.create(trigger={"settle_ms": 1500})  # far above a loaded sleep(0.2) overshoot
    frame = sea(2000)
    text = frame.to_csv(index=False)
    chunks = [text[i : i + len(text) // 10] for i in range(0, len(text), len(text) // 10)]
    with site.service():
        target = site.incoming / "slow.csv"
        with target.open("w") as handle:  # created under its final name, growing for 2 s
            for chunk in chunks:
                handle.write(chunk)
                handle.flush()
                time.sleep(2.0 / len(chunks))
        runs = site.wait_runs(1)
        time.sleep(1.0)  # a second run would show up now
    runs = site.runs()
    assert [r.status for r in runs] == ["succeeded"]
    report = site.ws.store.runs.get("demo", runs[0].id).report
    assert report["rows"] == 2000 and report["file"]["size"] == len(text.encode())


def test_a_failing_file_does_not_block_the_next(site, sea, wait_for) -> None:
    site.create()
    with site.service():
        site.drop(sea(300), "good_1.csv")
        site.wait_runs(1)
        (site.incoming / ".bad.part").write_text("x0,x1\n1,2,3,4\n\x00\x00garbage\n")
        (site.incoming / ".bad.part").rename(site.incoming / "bad.csv")
        site.drop(sea(300, seed=5), "good_2.csv")
        site.wait_runs(3)
    counts = site.by_file()
    assert counts["bad.csv"] == ["failed"]
    assert counts["good_1.csv"] == ["succeeded"] and counts["good_2.csv"] == ["succeeded"]


def test_a_vanished_folder_is_reported_and_watched_again_when_back(site, sea, wait_for) -> None:
    site.create()
    log = site.ws.paths("demo").logs / "pipeline.log"
    with site.service():
        site.drop(sea(300), "before.csv")
        site.wait_runs(1)
        away = site.root / "away"
        site.incoming.rename(away)
        problem = wait_for(lambda: pipeline_status(site.ws, "demo").problem, what="a problem")
        assert "does not exist" in problem and str(site.incoming) in problem
        assert pipeline_status(site.ws, "demo").state == "running"
        wait_for(lambda: "does not exist" in log.read_text(), what="the log line")
        away.rename(site.incoming)
        wait_for(lambda: pipeline_status(site.ws, "demo").problem is None, what="recovery")
        site.drop(sea(300, seed=7), "after.csv")
        site.wait_runs(2)
    assert "available again" in log.read_text()
    assert site.by_file() == {"before.csv": ["succeeded"], "after.csv": ["succeeded"]}


def test_a_folder_replaced_by_a_file_and_recreated_empty(site, sea, wait_for) -> None:
    site.create()
    with site.service():
        shutil.rmtree(site.incoming)
        site.incoming.write_text("not a folder")
        wait_for(lambda: "not a folder" in (pipeline_status(site.ws, "demo").problem or ""))
        site.incoming.unlink()
        site.incoming.mkdir()
        wait_for(lambda: pipeline_status(site.ws, "demo").problem is None, what="recovery")
        site.drop(sea(300), "back.csv")
        site.wait_runs(1)


def test_polling_mode_and_recursive_patterns(site, sea, wait_for) -> None:
    site.create(
        trigger={"polling": True},
        data={"recursive": True, "patterns": ["*.csv"]},
    )
    nested = site.incoming / "2026" / "11"
    nested.mkdir(parents=True)
    with site.service():
        assert "polling every 0.2s" in read_state(site.ws.paths("demo").root).trigger
        site.drop(sea(300), "deep.csv", folder=nested)
        site.drop(sea(300, seed=2), "ignored.txt")
        (site.incoming / "~lock.csv").write_text("x\n")
        site.wait_runs(1)
        time.sleep(1.0)
    assert site.by_file() == {"deep.csv": ["succeeded"]}


@pytest.mark.slow
def test_schedule_runs_pending_files_on_ticks(site, sea, wait_for) -> None:
    site.create(trigger={"type": "schedule", "schedule": "1s", "settle_ms": 0})
    with site.service():
        state = wait_for(lambda: read_state(site.ws.paths("demo").root))
        assert state.trigger == "schedule 1s (UTC)" and state.next_tick is not None
        site.drop(sea(300), "a.csv")
        site.drop(sea(300, seed=2), "b.csv")
        site.wait_runs(2)
        time.sleep(1.5)  # more ticks: nothing runs twice
    assert site.by_file() == {"a.csv": ["succeeded"], "b.csv": ["succeeded"]}


def test_schedule_run_at_start_in_a_time_zone(site, sea, wait_for) -> None:
    site.drop(sea(300), "waiting.csv")
    site.create(
        trigger={
            "type": "schedule",
            "schedule": "0 0 1 1 *",
            "run_at_start": True,
            "timezone": "Europe/Madrid",
            "settle_ms": 0,
        }
    )
    with site.service():
        site.wait_runs(1)  # long before the yearly tick
        state = read_state(site.ws.paths("demo").root)
        assert state.next_tick.endswith("+01:00")  # midnight, Madrid time, January
        assert "Europe/Madrid" in state.trigger


def test_all_pipelines_in_one_process(site, sea, wait_for) -> None:
    other = site.root / "other"
    other.mkdir()
    site.create("one")
    site.create("two", data={"dir": str(other)}, trigger={"type": "schedule", "schedule": "1s"})
    with site.service("one", "two"):
        site.drop(sea(300), "x.csv")
        site.drop(sea(300, seed=2), "y.csv", folder=other)
        site.wait_runs(1, "one")
        site.wait_runs(1, "two")
        states = {n: pipeline_status(site.ws, n).state for n in ("one", "two")}
        assert states == {"one": "running", "two": "running"}
    assert {n: pipeline_status(site.ws, n).state for n in ("one", "two")} == {
        "one": "stopped",
        "two": "stopped",
    }


def test_only_one_monitor_per_pipeline(site, sea, wait_for) -> None:
    site.create()
    with site.service():
        with pytest.raises(PipelineBusyError, match="already running"):
            MonitorService(site.ws, ["demo"]).run()


@pytest.mark.slow
def test_stop_waits_for_the_batch_that_is_running(site, sea, wait_for) -> None:
    site.create(
        model={
            "class": "sklearn.ensemble.RandomForestClassifier",
            "params": {"n_estimators": 200, "random_state": 0},
        }
    )
    service = MonitorService(site.ws, ["demo"])
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    site.drop(sea(20_000), "big.csv")
    wait_for(lambda: site.ws.store.runs.list("demo"), what="the run to start")
    service.stop()  # while the batch runs
    thread.join(120)
    runs = site.ws.store.runs.list("demo")
    assert [r.status for r in runs] == ["succeeded"]
    events = [
        json.loads(line)["kind"]
        for line in (site.ws.paths("demo").logs / "events.jsonl").read_text().splitlines()
    ]
    assert events.index("run") < events.index("monitor_stopped")


def _write_only_file() -> Path | None:
    """A regular file nobody may read, not even root: a write-only sysfs attribute."""
    for path in [Path("/sys/bus/pci/rescan"), *Path("/sys/bus/pci/devices").glob("*/rescan")]:
        try:
            path.open("rb").close()
        except PermissionError:
            return path
        except OSError:
            continue
    return None


def test_an_unreadable_file_is_reported_and_blocks_nothing(site, sea, wait_for) -> None:
    unreadable = _write_only_file()
    if unreadable is None:
        pytest.skip("no unreadable file to point at on this machine")
    site.create()
    (site.incoming / "unreadable.csv").symlink_to(unreadable)
    site.drop(sea(300), "first.csv")
    with site.service() as service:
        site.wait_runs(1)
        site.drop(sea(300, seed=2), "second.csv")
        site.wait_runs(2)
        assert all(worker.alive() for worker in service.workers)
    log = (site.ws.paths("demo").logs / "pipeline.log").read_text()
    assert f"cannot read {site.incoming / 'unreadable.csv'}: Permission denied" in log
    assert site.by_file() == {"first.csv": ["succeeded"], "second.csv": ["succeeded"]}
