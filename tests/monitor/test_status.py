"""The live state of a pipeline: from the lock, the monitor's state file and the store."""

from __future__ import annotations

import os

from calmops.monitor.state import MonitorState, lock_holder, read_state, write_state
from calmops.monitor.status import live_state, pipeline_status
from calmops.pipeline.lock import PipelineLock
from calmops.store import BreakerState


def test_running_then_paused_by_the_breaker(site, sea) -> None:
    site.create()
    with site.service():
        status = pipeline_status(site.ws, "demo")
        assert (status.state, status.pid, status.mode) == ("running", os.getpid(), "foreground")
        site.ws.store.state.set_breaker("demo", BreakerState(state="open", failures=3))
        assert live_state(site.ws, "demo") == "paused"
        assert pipeline_status(site.ws, "demo").breaker == "open"
        site.ws.store.state.set_breaker("demo", BreakerState())
        assert live_state(site.ws, "demo") == "running"
    assert live_state(site.ws, "demo") == "stopped"


def test_a_one_off_run_holds_the_lock_but_is_no_monitor(site) -> None:
    site.create()
    root = site.ws.paths("demo").root
    with PipelineLock(root, "demo"):
        status = pipeline_status(site.ws, "demo")
        assert (status.state, status.mode, status.uptime_seconds) == (
            "running",
            "one-off run",
            None,
        )
    assert lock_holder(root) is None


def test_a_dead_monitor_is_failed_and_its_stale_files_are_ignored(site) -> None:
    site.create()
    root = site.ws.paths("demo").root
    write_state(
        root,
        MonitorState(
            pid=999_999, started_at="2026-01-01T00:00:00+00:00", mode="background", trigger="watch"
        ),
    )
    site.ws.store.pipelines.update("demo", state="running")  # what a SIGKILL leaves behind
    status = pipeline_status(site.ws, "demo")
    assert (status.state, status.pid, status.uptime_seconds) == ("failed", None, None)
    assert status.trigger.startswith("watch ")  # from the spec, not the stale file


def test_pending_files_and_a_missing_folder_without_a_monitor(site, sea) -> None:
    site.create()
    site.drop(sea(100), "a.csv")
    site.drop(sea(100, seed=2), "b.csv")
    assert pipeline_status(site.ws, "demo").pending == 2
    site.incoming.rename(site.root / "elsewhere")
    status = pipeline_status(site.ws, "demo")
    assert status.pending == 0 and "does not exist" in status.problem


def test_an_unreadable_state_file_is_no_state(tmp_path) -> None:
    (tmp_path / "monitor.json").write_text("{not json")
    assert read_state(tmp_path) is None
