"""The real ``calmops`` executable: exit codes, stderr, ``python -m``, prompts in a terminal,
help for every command, and a start-up that imports no heavy library."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
import typer

CALMOPS = [sys.executable, "-m", "calmops"]


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CALMOPS, "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_python_dash_m_and_exit_codes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok = _run("create", "demo", "--data-dir", str(tmp_path / "in"), "--target", "y", home=home)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(_run("list", "--json", home=home).stdout)[0]["name"] == "demo"

    user_error = _run("show", "ghost", home=home)
    assert user_error.returncode == 1
    assert user_error.stderr.strip() == "error: no pipeline named 'ghost' (see `calmops list`)"
    assert user_error.stdout == ""

    usage_error = _run("show", home=home)
    assert usage_error.returncode == 2
    assert "Missing argument" in usage_error.stderr

    refused = _run("delete", "demo", home=home)  # stdin is not a terminal
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert (home / "pipelines" / "demo").exists()


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "calmops"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("calmops ")


def _interact(args: list[str], answer: str, timeout: float = 60) -> tuple[int, str]:
    """Run ``args`` in a pseudo-terminal, answer its prompt, return (exit code, screen)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(args, stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    screen, answered, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        if not answered and b"[y/N]" in screen:
            os.write(controller, answer.encode() + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
    os.close(controller)
    return process.wait(timeout=10), screen.decode(errors="replace")


@pytest.mark.slow
@pytest.mark.parametrize(("answer", "code", "kept"), [("y", 0, False), ("n", 1, True)])
def test_delete_asks_in_a_terminal(tmp_path: Path, answer: str, code: int, kept: bool) -> None:
    home = tmp_path / "home"
    _run("create", "demo", "--data-dir", str(tmp_path / "in"), home=home)
    status, screen = _interact([*CALMOPS, "--home", str(home), "delete", "demo"], answer)
    assert "Delete pipeline 'demo'" in screen
    assert status == code, screen
    assert (home / "pipelines" / "demo").exists() is kept


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + name + " ")
    return found


def test_every_command_has_help() -> None:
    from calmops.cli.main import app

    root = typer.main.get_command(app)
    commands = _commands(root)
    assert {"create", "list", "show", "update", "delete", "validate", "inspect"} <= {
        name for name, _ in commands
    }
    for name, command in commands:
        assert (command.help or command.short_help or "").strip(), f"`calmops {name}` has no help"
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                assert parameter.help, f"`calmops {name} {parameter.opts[0]}` has no help"


HEAVY = ("pandas", "numpy", "sqlalchemy", "sklearn", "scipy", "pydantic", "yaml", "river")


def test_help_imports_no_heavy_library() -> None:
    probe = (
        "import sys\n"
        "from calmops.cli.main import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
