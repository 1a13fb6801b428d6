"""``calmops ui``: a light import, loopback by default, and a real server answering."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CALMOPS = [sys.executable, "-m", "calmops"]
HEAVY = ("fastapi", "uvicorn", "jinja2", "starlette", "pandas", "numpy", "sqlalchemy", "plotly")


def test_importing_the_command_stays_light() -> None:
    probe = (
        "import sys\nimport calmops.cli.ui\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_shows_loopback_and_the_default_port(cli) -> None:
    result = cli("ui", "--help")
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "8501" in result.output


def test_a_taken_port_is_a_clear_error(cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("ui", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_serves_the_workspace_on_loopback(cli, home: Path, tmp_path: Path) -> None:
    created = cli("create", "demo", "--data-dir", str(tmp_path / "in"), "--target", "y")
    assert created.exit_code == 0, created.output
    port = _free_port()
    process = subprocess.Popen(
        [*CALMOPS, "--home", str(home), "ui", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        overview = json.loads(_get(f"http://127.0.0.1:{port}/api/overview", deadline))
        assert [p["name"] for p in overview["pipelines"]] == ["demo"]
        page = _get(f"http://127.0.0.1:{port}/pipelines/demo", deadline).decode()
        assert "No runs yet: drop a file into" in page
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in stderr and "no API key set" in stderr


@pytest.mark.slow
def test_serve_ui_mounts_the_dashboards_beside_the_api(cli, home: Path, tmp_path: Path) -> None:
    created = cli("create", "demo", "--data-dir", str(tmp_path / "in"), "--target", "y")
    assert created.exit_code == 0, created.output
    port = _free_port()
    process = subprocess.Popen(
        [*CALMOPS, "--home", str(home), "serve", "--ui", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        overview = json.loads(_get(f"http://127.0.0.1:{port}/ui/api/overview", deadline))
        assert [p["name"] for p in overview["pipelines"]] == ["demo"]
        assert b'href="/ui/pipelines/demo"' in _get(f"http://127.0.0.1:{port}/ui/", deadline)
        assert json.loads(_get(f"http://127.0.0.1:{port}/health", deadline))["status"] == "ok"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert f"dashboards: http://127.0.0.1:{port}/ui/" in stderr
