"""``calmops serve`` as a user runs it (a real process on loopback), and
``calmops run NAME --served`` (and that it says when served rows are still buffered)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest
from tests.harness import wait_for

from calmops.data_generators import generate_stream
from calmops.server.traffic import buffered_rows

ROW = {"x0": 1.0, "x1": 7.0, "x2": 3.0}
KEY = "test-key-123"


@pytest.fixture
def trained(cli, tmp_path: Path) -> str:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    generate_stream("sea", 600, seed=3).data.to_csv(incoming / "b0.csv", index=False)
    created = cli("create", "sea", "--data-dir", str(incoming), "--target", "target")
    assert created.exit_code == 0, created.output
    ran = cli("run", "sea", "--once")
    assert ran.exit_code == 0, ran.output
    return "sea"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(home: Path, *args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(home), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stdout.read().decode())
        try:
            if httpx.get(url + "/ready", timeout=5).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise AssertionError("calmops serve did not become ready")


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output.decode()


@pytest.mark.slow
def test_serve_then_monitor_the_served_traffic(cli, home: Path, trained: str) -> None:
    process, url = _start(home, env={"CALMOPS_API_KEY": KEY})
    try:
        assert httpx.get(url + "/health").json() == {"status": "ok"}
        assert httpx.post(url + "/predict/sea", json=ROW).status_code == 401
        headers = {"Authorization": f"Bearer {KEY}"}
        answer = httpx.post(url + "/predict/sea", json=[ROW] * 20, headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["model_version"] == 1 and len(body["predictions"]) == 20
        labels = [
            {"request_id": body["request_id"], "row": i, "label": p}
            for i, p in enumerate(body["predictions"])
        ]
        fed = httpx.post(url + "/feedback/sea", json=labels, headers=headers)
        assert fed.json() == {"pipeline": "sea", "accepted": 20}
        docs = httpx.get(url + "/docs")  # served offline: no script from anywhere
        assert docs.status_code == 200 and "<code>/predict/{pipeline}</code>" in docs.text
        assert "<script" not in docs.text
        assert httpx.get(url + "/docs/swagger").status_code == 200
        assert "/predict/{pipeline}" in httpx.get(url + "/openapi.json").json()["paths"]
    finally:
        output = _stop(process)
    assert process.returncode == 0, output
    assert "Serving pipelines: sea" in output
    assert list((home / "pipelines" / "sea" / "predictions").glob("*.parquet"))  # flushed

    monitored = cli("run", "sea", "--served")
    assert monitored.exit_code == 0, monitored.output
    assert "Served traffic: 20 rows, labelled by feedback." in monitored.output
    assert "(served traffic, 20 of 20 rows with feedback): balanced_accuracy 1.000" in (
        monitored.output
    )
    [result] = json.loads(cli("runs", "sea", "--json").stdout)[:1]
    assert result["status"] == "succeeded" and "served-" in result["file"]
    assert result["metrics"]  # labelled by feedback: the run measured performance
    again = cli("run", "sea", "--served", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout) == []
    assert len(json.loads(cli("runs", "sea", "--json").stdout)) == 2


@pytest.mark.slow
def test_several_workers(home: Path, trained: str) -> None:
    process, url = _start(home, "--workers", "2")
    try:
        answers = [httpx.post(url + "/predict/sea", json=ROW).status_code for _ in range(10)]
        assert answers == [200] * 10
    finally:
        _stop(process)


@pytest.mark.slow
@pytest.mark.parametrize("args", [("--ui",), ("--ui", "--workers", "2")])
def test_on_loopback_only_loopback_names_are_answered(home: Path, trained: str, args) -> None:
    """Against DNS rebinding: a page whose name points at 127.0.0.1 gets 400, not data."""
    process, url = _start(home, *args)
    try:
        for path in ("/predict/sea", "/ui/api/overview", "/pipelines"):
            rebound = httpx.request(
                "POST" if path.startswith("/predict") else "GET",
                url + path,
                json=ROW if path.startswith("/predict") else None,
                headers={"Host": "evil.example"},
            )
            assert rebound.status_code == 400, (path, rebound.status_code)
        assert httpx.post(url + "/predict/sea", json=ROW).status_code == 200
        assert httpx.get(url + "/ui/api/overview").status_code == 200
        local = httpx.get(url.replace("127.0.0.1", "localhost") + "/pipelines")
        assert local.status_code == 200
    finally:
        _stop(process)


def test_no_workspace_is_a_clear_error(cli, home: Path) -> None:
    result = cli("serve")
    assert result.exit_code == 1
    assert "no workspace at" in result.output and "calmops create" in result.output


def test_served_takes_one_pipeline(cli, trained: str) -> None:
    assert cli("run", "--served").exit_code == 2
    nothing = cli("run", "sea", "--served")
    assert nothing.exit_code == 0 and "No served traffic" in nothing.output


def test_importing_the_command_stays_light() -> None:
    probe = (
        "import sys, calmops.cli.serve\n"
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'pandas', 'numpy', 'sqlalchemy') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def _logged(home: Path) -> int:
    folder = home / "pipelines" / "sea" / "predictions"
    return sum(len(pd.read_parquet(p)) for p in folder.glob("*.parquet"))


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_server_writes_every_buffered_row(
    home: Path,
    trained: str,
    stop: signal.Signals,
) -> None:
    process, url = _start(home, env={"CALMOPS_SERVE_LOG_FLUSH_SECONDS": "3600"})
    try:
        for size in range(1, 31):
            assert httpx.post(url + "/predict/sea", json=[ROW] * size).status_code == 200
        assert _logged(home) == 0  # all buffered: the interval is an hour
    finally:
        process.send_signal(stop)
        output, _ = process.communicate(timeout=60)
    assert process.returncode in (0, -stop), output.decode()  # uvicorn re-raises SIGTERM
    assert _logged(home) == sum(range(1, 31))


@pytest.mark.slow
def test_run_served_right_after_traffic_says_rows_are_buffered(
    cli,
    home: Path,
    trained: str,
) -> None:
    process, url = _start(home, env={"CALMOPS_SERVE_LOG_FLUSH_SECONDS": "3600"})
    try:
        assert httpx.post(url + "/predict/sea", json=[ROW] * 7).status_code == 200
        wait_for(lambda: buffered_rows(home / "pipelines" / "sea")[0] == 7)
        early = cli("run", "sea", "--served")
        assert early.exit_code == 0, early.output
        assert "No served traffic written yet for 'sea': 7 served rows are still buffered" in (
            early.stderr
        )
        assert "within 3600 s" in early.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    later = cli("run", "sea", "--served")
    assert later.exit_code == 0, later.output
    assert "Served traffic: 7 rows" in later.stderr and "still buffered" not in later.stderr
