"""Background monitors as real detached processes: start, stop, one per pipeline, SIGKILL in
the middle of a batch, and SIGTERM to a foreground monitor finishing its batch first."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys

import pytest

from calmops.errors import PipelineBusyError, SpecError
from calmops.monitor import daemon
from calmops.monitor.state import lock_holder
from calmops.monitor.status import pipeline_status

SLOW_MODEL = {
    "class": "sklearn.ensemble.RandomForestClassifier",
    "params": {"n_estimators": 150, "random_state": 0},
}


@pytest.fixture
def monitored(site):
    """The site, with every monitor it started killed at the end, whatever happened."""
    yield site
    for record in site.ws.list():
        holder = lock_holder(site.ws.paths(record.name).root)
        if holder and holder != os.getpid():
            os.kill(holder, signal.SIGKILL)


@pytest.mark.slow
def test_start_status_second_start_and_stop(monitored, sea, wait_for) -> None:
    site = monitored
    site.create()
    started = daemon.start(site.ws, "demo")
    assert started.status == "started" and started.pid != os.getpid()
    with pytest.raises(PipelineBusyError, match=f"already running \\(pid {started.pid}\\)"):
        daemon.start(site.ws, "demo")
    site.drop(sea(300), "a.csv")
    site.wait_runs(1)
    status = pipeline_status(site.ws, "demo")
    assert (status.state, status.pid, status.mode) == ("running", started.pid, "background")
    assert status.uptime_seconds >= 0 and status.last_run["status"] == "succeeded"
    assert status.pending == 0 and status.problem is None
    assert (site.ws.paths("demo").root / "monitor.pid").read_text().strip() == str(started.pid)
    assert (site.ws.paths("demo").logs / "monitor.out").exists()  # the detached output
    stopped = daemon.stop(site.ws, "demo")
    assert (stopped.status, stopped.pid) == ("stopped", started.pid)
    assert pipeline_status(site.ws, "demo").state == "stopped"
    assert not (site.ws.paths("demo").root / "monitor.pid").exists()
    assert daemon.stop(site.ws, "demo").status == "not_running"
    log = (site.ws.paths("demo").logs / "pipeline.log").read_text()
    assert "monitor started" in log and "monitor stopped" in log


def test_a_manual_pipeline_cannot_be_started(monitored) -> None:
    monitored.create(trigger={"type": "manual"})
    with pytest.raises(SpecError, match="manual trigger"):
        daemon.start(monitored.ws, "demo")


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_batch_then_start_again(monitored, sea, wait_for) -> None:
    site = monitored
    site.create(model=SLOW_MODEL)
    for index in range(4):
        site.drop(sea(4000, seed=index), f"b{index}.csv")
    first = daemon.start(site.ws, "demo")
    wait_for(
        lambda: any(r.status == "running" for r in site.ws.store.runs.list("demo")),
        what="a batch in progress",
    )
    os.kill(first.pid, signal.SIGKILL)
    wait_for(lambda: lock_holder(site.ws.paths("demo").root) is None, what="the lock released")
    assert pipeline_status(site.ws, "demo").state == "failed"
    second = daemon.start(site.ws, "demo")
    assert second.pid != first.pid
    wait_for(
        lambda: (
            len(site.by_file()) == 4
            and all("succeeded" in runs for runs in site.by_file().values())
        ),
        what="every file to succeed",
    )
    daemon.stop(site.ws, "demo")
    for name, runs in site.by_file().items():
        assert runs.count("succeeded") == 1, (name, runs)


@pytest.mark.slow
def test_sigterm_lets_a_foreground_monitor_finish_its_batch(monitored, sea, wait_for) -> None:
    site = monitored
    site.create(model=SLOW_MODEL)
    site.drop(sea(20_000), "big.csv")
    process = subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(site.home), "run", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: site.ws.store.runs.list("demo"), what="the batch to start")
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "Stopped (SIGTERM)" in errors
    assert [r.status for r in site.ws.store.runs.list("demo")] == ["succeeded"]
    assert site.ws.store.pipelines.get("demo").state == "stopped"


@pytest.mark.slow
def test_run_all_monitors_every_watched_pipeline_in_one_process(monitored, sea, wait_for):
    site = monitored
    site.create("one")
    site.create("never", trigger={"type": "manual"})
    process = subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(site.home), "run", "--all"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        site.drop(sea(300), "x.csv")
        site.wait_runs(1, "one")
        assert lock_holder(site.ws.paths("one").root) == process.pid
        assert lock_holder(site.ws.paths("never").root) is None
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "Monitoring one (pid" in errors


@pytest.mark.slow
def test_stop_without_patience_kills_only_with_force(monitored) -> None:
    site = monitored
    site.create()
    started = daemon.start(site.ws, "demo")
    os.kill(started.pid, signal.SIGSTOP)  # a monitor that cannot finish anything in time
    try:
        waited = daemon.stop(site.ws, "demo", timeout=0.5)
        assert (waited.status, waited.pid) == ("still_running", started.pid)
        assert "--force" in waited.message
        killed = daemon.stop(site.ws, "demo", timeout=0.5, force=True)
        assert (killed.status, killed.pid) == ("killed", started.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(started.pid, signal.SIGCONT)
    assert lock_holder(site.ws.paths("demo").root) is None
    assert pipeline_status(site.ws, "demo").state == "stopped"


@pytest.mark.slow
def test_a_second_ctrl_c_leaves_at_once_and_loses_nothing(monitored, sea, wait_for) -> None:
    site = monitored
    site.create(model=SLOW_MODEL)
    site.drop(sea(20_000), "big.csv")
    command = [sys.executable, "-m", "calmops", "--home", str(site.home), "run", "demo"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: site.ws.store.runs.list("demo"), what="the batch to start")
        process.send_signal(signal.SIGINT)
        wait_for(lambda: "monitor_stopping" in _kinds(site), what="the first Ctrl-C to be seen")
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    finally:
        process.kill()
    if process.returncode == 0:  # the batch finished between the two signals: nothing to test
        pytest.skip("the batch ended before the second Ctrl-C")
    assert process.returncode == 130 and "Interrupted" in errors, errors
    status = pipeline_status(site.ws, "demo")
    assert (status.state, status.last_run["status"], status.pending) == (
        "stopped",
        "interrupted",
        1,
    )
    assert (
        "runs again at the next start" in (site.ws.paths("demo").logs / "pipeline.log").read_text()
    )
    rerun = subprocess.run(
        [*command, "--once"], capture_output=True, text=True, timeout=120, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    # the interrupted run is marked failed when the next run takes its file over
    assert sorted(site.by_file()["big.csv"]) == ["failed", "succeeded"]


def _kinds(site) -> list[str]:
    path = site.ws.paths("demo").logs / "events.jsonl"
    return [json.loads(line)["kind"] for line in path.read_text().splitlines()]
