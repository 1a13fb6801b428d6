"""What every command shares: options and arguments, consoles, JSON output and progress
bars.

Rich is imported on first use so that ``calmops --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from calmops.workspace import Workspace

__all__ = [
    "CliState",
    "HomeOption",
    "JsonOption",
    "NameArgument",
    "NameOrAllArgument",
    "console",
    "emit_json",
    "err_console",
    "local_time",
    "progress",
    "workspace",
]

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Workspace folder (default: $CALMOPS_HOME, else ./calmops-home).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")
]
NameArgument = Annotated[str, typer.Argument(help="Pipeline name.")]
NameOrAllArgument = Annotated[
    str | None, typer.Argument(help="Pipeline name (or --all).", show_default=False)
]


@dataclass
class CliState:
    """Options given before the command (``calmops --home X --debug list``)."""

    home: Path | None = None
    debug: bool = False


_consoles: dict[str, Console] = {}
PIPE_WIDTH = 200


def console() -> Console:
    """The Rich console for normal output (stdout)."""
    if "out" not in _consoles:
        from rich.console import Console

        # a pipe or file gets wide lines rather than tables wrapped at 80 columns
        width = None if sys.stdout.isatty() else PIPE_WIDTH
        _consoles["out"] = Console(highlight=False, soft_wrap=True, width=width)
    return _consoles["out"]


def err_console() -> Console:
    """The Rich console for messages and errors (stderr)."""
    if "err" not in _consoles:
        from rich.console import Console

        _consoles["err"] = Console(stderr=True, highlight=False, soft_wrap=True)
    return _consoles["err"]


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout, with no colour or wrapping."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def state(ctx: typer.Context) -> CliState:
    """The root options of this invocation (defaults when a command runs alone)."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, CliState) else CliState()


def workspace(ctx: typer.Context, home: Path | None = None) -> Workspace:
    """Open the workspace: the command's ``--home`` > the root ``--home`` > settings."""
    from calmops.settings import get_settings
    from calmops.workspace import Workspace

    chosen = home if home is not None else state(ctx).home
    return Workspace(get_settings(home=chosen))


def progress(**kwargs: Any):
    """A Rich progress bar on stderr (hidden when stderr is not a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    errors = err_console()
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
        **kwargs,
    )


def local_time(moment: str | Any) -> str:
    """An ISO timestamp (or datetime) shown in local time, to the minute."""
    from datetime import datetime

    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
