"""What every tutorial script uses: run a ``calmops`` command as a user types it, show it and
its output, and check what it printed.

The tutorials call the real command line (``python -m calmops``) in a subprocess, so what a
tutorial shows is what a user sees.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Shell", "check"]


def check(condition: object, message: str) -> None:
    """Stop the tutorial with ``message`` when ``condition`` is false (a tutorial that runs
    but no longer shows what its page says fails, so its test fails).

    >>> check(1 + 1 == 2, "arithmetic")
    >>> check(False, "this shows")
    Traceback (most recent call last):
    ...
    SystemExit: tutorial check failed: this shows
    """
    if not condition:
        raise SystemExit(f"tutorial check failed: {message}")
    return None


@dataclass
class Shell:
    """Runs ``calmops`` commands in the workspace ``folder/home``, from ``folder``.

    >>> shell = Shell(Path("."))
    >>> shell.home.name
    'home'
    """

    folder: Path

    @property
    def home(self) -> Path:
        return self.folder / "home"

    def calmops(self, *args: str, ok: tuple[int, ...] = (0,), show: bool = True) -> str:
        """Run ``calmops --home HOME ARGS``, print the command and its output, return stdout.

        An exit code outside ``ok`` stops the tutorial with the command's error.
        """
        words = [str(a) for a in args]
        if show:
            print(f"\n$ calmops {shlex.join(words)}", flush=True)
        env = {**os.environ, "COLUMNS": "110", "NO_COLOR": "1", "TERM": "dumb"}
        done = subprocess.run(
            [sys.executable, "-m", "calmops", "--home", str(self.home), *words],
            cwd=self.folder,
            capture_output=True,
            text=True,
            env=env,
        )
        if show:
            print((done.stdout + done.stderr).rstrip(), flush=True)
        self.last_code = done.returncode
        if done.returncode not in ok:
            raise SystemExit(
                f"`calmops {shlex.join(words)}` exited {done.returncode}:\n{done.stderr}"
            )
        return done.stdout

    def json(self, *args: str) -> Any:
        """Run a command with ``--json`` (quietly) and return what it printed, parsed."""
        return json.loads(self.calmops(*args, "--json", show=False))
