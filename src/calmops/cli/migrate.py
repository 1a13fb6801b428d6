"""``calmops migrate``: move a workspace to PostgreSQL and an object store."""

from __future__ import annotations

from typing import Annotated

import typer

from calmops.cli.output import HomeOption, JsonOption, console, emit_json, workspace

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``migrate`` to the root app."""
    app.command("migrate")(migrate)


def migrate(
    ctx: typer.Context,
    to: Annotated[
        str, typer.Option("--to", help="The new store, e.g. postgresql://user@host/calmops.")
    ],
    artifacts: Annotated[
        str,
        typer.Option("--artifacts", help="The new artifact store, e.g. s3://bucket/calmops."),
    ],
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy the workspace's store rows and artifacts to new places, verify, and switch.

    Rows are copied table by table and counted; every artifact is read back and its SHA-256
    compared; every model file is checked against its recorded checksum. Then
    ``<home>/settings.yaml`` points the workspace at the new places. The old ones are left
    as they were (delete them yourself once satisfied).
    """
    from calmops.migration import migrate as run_migration

    ws = workspace(ctx, home)
    done = run_migration(ws, to, artifacts)
    if as_json:
        emit_json(
            {
                "store": done.store,
                "artifacts": done.artifacts,
                "rows": done.rows,
                "objects": done.objects,
                "bytes": done.bytes,
                "models_verified": done.models_verified,
            }
        )
        return
    out = console()
    out.print(f"store: {sum(done.rows.values()):,} rows copied to {done.store}")
    for table, count in done.rows.items():
        out.print(f"  {table}: {count:,}")
    objects = sum(done.objects.values())
    out.print(f"artifacts: {objects:,} objects ({done.bytes:,} bytes) copied to {done.artifacts}")
    for name, count in done.objects.items():
        out.print(f"  {name}: {count:,}")
    out.print(f"verified: row counts equal, every object's SHA-256, {done.models_verified} models")
    out.print(f"this workspace now uses them (see {ws.home / 'settings.yaml'})")
