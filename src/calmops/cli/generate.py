"""``calmops generate``: drifting streams, drift injection, synthesis, and what is available.

numpy, pandas and the generators are imported inside the commands, so ``calmops --help``
stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from calmops.cli.output import JsonOption, console, emit_json

if TYPE_CHECKING:
    pass
from calmops.cli.generate_clinic import clinic
from calmops.cli.generate_evaluate import evaluate_command
from calmops.cli.generate_inject import inject_command
from calmops.cli.generate_stream import stream
from calmops.cli.generate_synth import synth_command

__all__ = ["generate_app", "register"]

generate_app = typer.Typer(
    help="Generate drifting streams, inject drift (with the ground truth), synthesize tables.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``generate`` group to the root app."""
    generate_app.command("stream")(stream)
    generate_app.command("inject")(inject_command)
    generate_app.command("synth")(synth_command)
    generate_app.command("evaluate")(evaluate_command)
    generate_app.command("list")(list_command)
    generate_app.command("clinic")(clinic)
    app.add_typer(generate_app, name="generate")


def list_command(as_json: JsonOption = False) -> None:
    """Show the generators, operations, profiles and synthesizers, with their parameters."""
    from calmops.data_generators import catalog

    listing = catalog()
    if as_json:
        emit_json(listing)
        return
    from rich.table import Table

    def params_text(items: list[dict[str, Any]]) -> str:
        return ", ".join(f"{p['name']}={p['default']!r}" for p in items) or "-"

    def table(title: str, *headers: str) -> Table:
        t = Table(title=title)
        for header in headers:
            t.add_column(header, overflow="fold")
        return t

    generators = table("Generators", "generator", "task", "parameters", "description")
    for g in listing["generators"]:
        generators.add_row(g["name"], g["task"], params_text(g["parameters"]), g["description"])
    operations = table("Operations", "operation", "kind", "parameters", "description")
    for o in listing["operations"]:
        operations.add_row(o["name"], o["kind"], params_text(o["parameters"]), o["description"])
    profiles = table("Profiles", "profile", "parameters", "description")
    for p in listing["profiles"]:
        profiles.add_row(p["name"], params_text(p["parameters"]), p["description"])
    synthesizers = table("Synthesizers", "synthesizer", "parameters", "description")
    for s in listing["synthesizers"]:
        name = f"{s['name']} (default)" if s["default"] else s["name"]
        synthesizers.add_row(name, params_text(s["parameters"]), s["description"])
    c = console()
    for table in (generators, operations, profiles, synthesizers):
        c.print(table)
