"""Model commands: ``models``, ``promote``, ``rollback``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameArgument,
    console,
    emit_json,
    err_console,
    local_time,
)
from calmops.cli.output import workspace as open_workspace

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the model commands to the root app."""
    app.command("models")(models)
    app.command("promote")(promote)
    app.command("rollback")(rollback)


def models(
    ctx: typer.Context, name: NameArgument, as_json: JsonOption = False, home: HomeOption = None
) -> None:
    """List a pipeline's model versions with their aliases and holdout metrics."""
    ws = open_workspace(ctx, home)
    chosen = ((ws.get(name).spec or {}).get("decision") or {}).get("metric")
    aliases = ws.store.models.aliases(name)
    by_version: dict[int, list[str]] = {}
    for alias, version in aliases.items():
        by_version.setdefault(version, []).append(alias)
    versions = ws.store.models.versions(name)
    rows = [_row(v, by_version.get(v.version, []), chosen) for v in versions]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        err_console().print(f"No models yet: run `calmops run {name} --once` on labelled data.")
        return
    from rich.table import Table

    metric = next((r["metric"] for r in rows if r["metric"]), None) or "metric"
    table = Table(box=None, header_style="bold")
    for column in ("version", "aliases", f"holdout {metric}", "strategy", "created", "verdict"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        value = row["metrics"].get(metric)
        table.add_row(
            f"v{row['version']}",
            ", ".join(row["aliases"]) or "—",
            "—" if value is None else f"{value:.3f}",
            row["strategy"] or "—",
            local_time(row["created"]),
            row["verdict"].split(":")[0] if row["verdict"] else "",
        )
    console().print(table)


def _row(version: Any, aliases: list[str], chosen: str | None = None) -> dict[str, Any]:
    """A version as listed; ``metric``: the spec's decision.metric, else the task's default."""
    card = version.card or {}
    task = card.get("task")
    default = {"classification": "balanced_accuracy", "regression": "rmse"}.get(task)
    return {
        "metric": chosen or default,
        "version": version.version,
        "aliases": sorted(aliases),
        "metrics": version.metrics,
        "created": version.created_at.isoformat(),
        "strategy": card.get("strategy"),
        "run_id": version.run_id,
        "sha256": version.sha256,
        "verdict": (card.get("promotion") or {}).get("reason"),
    }


def promote(
    ctx: typer.Context,
    name: NameArgument,
    version: Annotated[int, typer.Argument(help="Version number to make champion.")],
    home: HomeOption = None,
) -> None:
    """Make a model version the champion (the old champion becomes `previous`)."""
    from calmops.models.registry import ModelRegistry

    ws = open_workspace(ctx, home)
    ws.get(name)
    registry = ModelRegistry(ws.store, name, ws.paths(name).models)
    registry.load(registry.get(version))  # refuse a version whose file is missing or altered
    moves = registry.promote(version, reason=f"promoted by hand to v{version}")
    _print_moves(name, moves)


def rollback(ctx: typer.Context, name: NameArgument, home: HomeOption = None) -> None:
    """Make the previous champion the champion again (a second rollback undoes it)."""
    from calmops.models.registry import ModelRegistry

    ws = open_workspace(ctx, home)
    ws.get(name)
    registry = ModelRegistry(ws.store, name, ws.paths(name).models)
    previous = registry.alias("previous")
    if previous is not None:
        registry.load(previous)
    moves = registry.rollback(reason="rolled back by hand")
    _print_moves(name, moves)


def _print_moves(name: str, moves: list) -> None:
    shown = ", ".join(f"{m.alias}: {_v(m.old_version)} → {_v(m.new_version)}" for m in moves)
    console().print(f"{name}: {shown}")


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"
