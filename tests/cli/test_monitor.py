"""Monitor commands as a user types them: start, status, logs, stop, restart/relaunch, update
and delete of a running pipeline, run --all, deploy and undeploy. Monitors are real
background processes; no Docker engine, systemd or PM2 runs (their files are parsed in
tests/monitor/test_deploy.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calmops.monitor.state import lock_holder
from calmops.settings import Settings
from calmops.workspace import Workspace


@pytest.fixture
def watched(cli, home: Path, tmp_path: Path):
    """A watch pipeline 'demo'; every monitor still running at the end is killed."""
    incoming = tmp_path / "incoming"
    created = cli(
        "create", "demo", "--data-dir", str(incoming), "--target", "target", "--trigger", "watch"
    )
    assert created.exit_code == 0, created.output
    yield incoming
    for folder in (home / "pipelines").glob("*"):
        holder = lock_holder(folder)
        if holder and holder != os.getpid():
            os.kill(holder, signal.SIGKILL)


def _status(cli, name: str = "demo") -> dict:
    result = cli("status", name, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_start_status_logs_stop(cli, watched) -> None:
    started = cli("start", "demo")
    assert started.exit_code == 0, started.output
    assert started.stdout.startswith("demo: started (pid ")
    again = cli("start", "demo")
    assert again.exit_code == 1 and "already running" in again.output
    status = _status(cli)
    assert status["state"] == "running" and status["mode"] == "background"
    assert status["trigger"].startswith(f"watch {watched}") and status["pid"] > 0
    assert cli("status", "demo", "--check").exit_code == 0
    shown = cli("status", "demo")
    assert "running (pid" in shown.stdout and "uptime:" in shown.stdout
    assert "demo" in cli("status").stdout
    assert json.loads(cli("list", "--json").stdout)[0]["state"] == "running"
    assert json.loads(cli("show", "demo", "--json").stdout)["state"] == "running"
    logs = cli("logs", "demo", "-n", "5", "--grep", "MONITOR STARTED")
    assert logs.exit_code == 0 and "monitor started" in logs.stdout
    assert cli("logs", "demo", "--level", "error").stdout == ""
    stopped = cli("stop", "demo")
    assert stopped.exit_code == 0 and f"demo: stopped (pid {status['pid']})" in stopped.stdout
    assert _status(cli)["state"] == "stopped"
    assert cli("status", "demo", "--check").exit_code == 1
    assert "was not running" in cli("stop", "demo").stdout


@pytest.mark.slow
def test_restart_and_its_relaunch_alias(cli, watched) -> None:
    cli("start", "demo")
    first = _status(cli)["pid"]
    relaunched = cli("relaunch", "demo")  # the original's name for restart
    assert relaunched.exit_code == 0, relaunched.output
    assert "demo: started (pid" in relaunched.stdout
    assert _status(cli)["pid"] != first
    assert "restart" in cli("restart", "--help").stdout.lower()
    assert cli("stop", "demo").exit_code == 0


@pytest.mark.slow
def test_update_a_running_pipeline(cli, watched) -> None:
    cli("start", "demo")
    before = _status(cli)["pid"]
    told = cli("update", "demo", "--set", "trigger.settle_ms=200")
    assert told.exit_code == 0 and "`calmops restart demo` applies the change" in told.stdout
    assert _status(cli)["pid"] == before
    restarted = cli("update", "demo", "--set", "trigger.settle_ms=250", "--restart")
    assert restarted.exit_code == 0 and "Restarted 'demo'" in restarted.stdout
    status = _status(cli)
    assert status["pid"] != before and "settle 250 ms" in status["trigger"]
    cli("stop", "demo")
    quiet = cli("update", "demo", "--set", "trigger.settle_ms=300")
    assert "restart" not in quiet.stdout


@pytest.mark.slow
def test_delete_stops_a_running_pipeline_first(cli, watched, home) -> None:
    cli("start", "demo")
    pid = _status(cli)["pid"]
    deleted = cli("delete", "demo", "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert f"Stopped 'demo' (pid {pid})" in deleted.stdout and "Deleted" in deleted.stdout
    assert not (home / "pipelines" / "demo").exists()


@pytest.mark.slow
def test_start_and_stop_all(cli, watched, tmp_path) -> None:
    cli("create", "hand", "--data-dir", str(tmp_path / "other"), "--target", "target")
    started = cli("start", "--all", "--json")
    assert [(r["name"], r["status"]) for r in json.loads(started.stdout)] == [("demo", "started")]
    again = json.loads(cli("start", "--all", "--json").stdout)
    assert [r["status"] for r in again] == ["already_running"]
    stopped = json.loads(cli("stop", "--all", "--json").stdout)
    assert {r["name"]: r["status"] for r in stopped} == {"demo": "stopped", "hand": "not_running"}


def test_usage_errors(cli, watched, tmp_path) -> None:
    cli("create", "hand", "--data-dir", str(tmp_path / "other"), "--target", "target")
    manual = cli("run", "hand")
    assert manual.exit_code == 2 and "--once" in manual.output
    assert cli("run").exit_code == 2
    assert cli("run", "--all", "--once").exit_code == 2
    assert cli("start").exit_code == 2
    assert cli("start", "demo", "--all").exit_code == 2
    not_startable = cli("start", "hand")
    assert not_startable.exit_code == 1 and "manual trigger" in not_startable.output
    assert cli("status", "ghost").exit_code == 1
    bad_level = cli("logs", "demo", "--level", "loud")
    assert bad_level.exit_code == 1 and "choose from debug" in bad_level.output


def test_deploy_and_undeploy(cli, watched, home) -> None:
    done = cli("deploy", "demo", "--target", "docker")
    assert done.exit_code == 0, done.output
    assert "Dockerfile" in done.stdout and "docker compose up -d --build" in done.stdout
    listed = json.loads(cli("deploy", "demo", "-t", "pm2", "--json").stdout)
    assert listed["target"] == "pm2" and listed["files"][0].endswith("ecosystem.config.js")
    unknown = cli("deploy", "demo", "--target", "kubernetes")
    assert unknown.exit_code == 1 and "choose from docker, pm2, systemd" in unknown.output
    removed = cli("undeploy", "demo")
    assert removed.exit_code == 0 and removed.stdout.count("Removed") == 2
    assert not (home / "pipelines" / "demo" / "deploy").exists()
    assert "No deployment files" in cli("undeploy", "demo").output


@pytest.mark.slow
def test_logs_follow_prints_new_lines_until_ctrl_c(cli, watched, home) -> None:
    follower = subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(home), "logs", "demo", "-f", "-n", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell runs background jobs with SIGINT ignored, and children inherit that: give
        # the follower the default, as a terminal would, so Ctrl-C reaches it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        ws = Workspace(Settings(home=home))
        from calmops.pipeline.log import PipelineLog

        log = PipelineLog(ws.paths("demo").logs, "demo")
        deadline = time.monotonic() + 90
        line = ""
        while "hello from the test" not in line and time.monotonic() < deadline:
            log.event("info", "note", "hello from the test")  # until the follower is up
            time.sleep(0.3)
            if follower.poll() is not None:
                break
            line = _read_available(follower)
        log.close()
        assert "hello from the test" in line
        follower.send_signal(signal.SIGINT)
        assert follower.wait(60) == 0
    finally:
        follower.kill()


def _read_available(process: subprocess.Popen) -> str:
    import select

    ready, _, _ = select.select([process.stdout], [], [], 0.5)
    return process.stdout.readline() if ready else ""
