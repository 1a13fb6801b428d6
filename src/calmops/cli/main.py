"""The root of the ``calmops`` command line.

Each command group lives in its own module and adds itself with ``register(app)``; this module
only wires them, handles the root options and turns CalmOps errors into exit code 1.
Exit codes: 0 success, 1 user error (one-line message on stderr), 2 usage error.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from calmops import __version__
from calmops.cli.output import CliState, HomeOption, err_console, state
from calmops.errors import CalmopsError

# command-group modules under calmops.cli, each with a ``register(app)`` function
COMMAND_MODULES = (
    "create",
    "pipelines",
    "runs",
    "labels",
    "models",
    "inspect_file",
    "drift",
    "generate",
    "privacy",
    "monitor",
    "serve",
    "ui",
    "notify",
    "tutorial",
    "migrate",
)


class CalmopsGroup(TyperGroup):
    """Runs a command and turns a :class:`CalmopsError`, or an ``OSError`` on a path (no such
    folder, disk full, permission denied), into a one-line message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CalmopsError as error:
            _fail(ctx, str(error))
        except OSError as error:  # a path the user gave: no such folder, no space, no right
            where = f"{error.filename}: " if error.filename else ""
            _fail(ctx, f"{where}{error.strerror or error}")


def _fail(ctx: click.Context, message: str) -> None:
    """Print ``message`` as one error line and exit 1 (re-raise under ``--debug``)."""
    root = ctx.find_root()
    if isinstance(root.obj, CliState) and root.obj.debug:
        raise
    shown = message.replace("[", r"\[")
    err_console().print(f"[bold red]error:[/] {shown}", soft_wrap=True)
    raise typer.Exit(code=1) from None


app = typer.Typer(
    name="calmops",
    cls=CalmopsGroup,
    help="Keep machine-learning models healthy after they ship.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"calmops {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: HomeOption = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Keep machine-learning models healthy after they ship."""
    ctx.obj = CliState(home=Path(home) if home else None, debug=debug)


for _name in COMMAND_MODULES:
    importlib.import_module(f"calmops.cli.{_name}").register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="calmops")


__all__ = ["app", "main", "state"]
