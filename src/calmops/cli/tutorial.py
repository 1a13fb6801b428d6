"""``calmops tutorial list`` and ``calmops tutorial copy NAME DIR``: the documentation's
tutorials, put in a folder with their data for a user to run (``python DIR/tutorial.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calmops.cli.output import JsonOption, console, emit_json

__all__ = ["register", "tutorial_app"]

tutorial_app = typer.Typer(
    help="The documentation's tutorials: list them, copy one (with its data) to a folder.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``tutorial`` group to the root app."""
    tutorial_app.command("list")(list_command)
    tutorial_app.command("copy")(copy_command)
    app.add_typer(tutorial_app, name="tutorial")


def list_command(as_json: JsonOption = False) -> None:
    """List the tutorials: name, title and what each shows."""
    from calmops.tutorials import list_tutorials

    tutorials = list_tutorials()
    if as_json:
        emit_json([{"name": t.name, "title": t.title, "summary": t.summary} for t in tutorials])
        return
    for tutorial in tutorials:
        console().print(f"[bold]{tutorial.name}[/]  {tutorial.title}", highlight=False)
        console().print(f"  {tutorial.summary}", highlight=False, soft_wrap=True)


def copy_command(
    name: Annotated[str, typer.Argument(help="Tutorial name (see `calmops tutorial list`).")],
    folder: Annotated[Path, typer.Argument(help="Folder to write the tutorial and its data to.")],
    no_data: Annotated[
        bool, typer.Option("--no-data", help="Copy the script only (it writes its data on run).")
    ] = False,
) -> None:
    """Copy a tutorial's script (as tutorial.py) and its data into FOLDER."""
    from calmops.tutorials import copy_tutorial, get_tutorial

    title = get_tutorial(name).title
    written = copy_tutorial(name, folder, with_data=not no_data)
    console().print(f"\n{title}: wrote {', '.join(p.name for p in written)} to {folder}")
    console().print(f"Run it: cd {folder} && python tutorial.py", highlight=False)
