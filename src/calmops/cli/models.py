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


ReasonOption = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Why (required): kept in the alias history and the pipeline's log.",
        show_default=False,
    ),
]


def promote(
    ctx: typer.Context,
    name: NameArgument,
    version: Annotated[int, typer.Argument(help="Version number to make champion.")],
    reason: ReasonOption = None,
    home: HomeOption = None,
) -> None:
    """Make a model version the champion (the old champion becomes `previous`).

    Warns when the version scored worse than the champion on the newest labelled batch
    neither was trained on."""
    from calmops.pipeline.manual import move_champion, require_reason

    require_reason(reason)
    ws = open_workspace(ctx, home)
    move = move_champion(ws, name, version, reason or "", by="the CLI")
    _print_moves(name, move)


def rollback(
    ctx: typer.Context, name: NameArgument, reason: ReasonOption = None, home: HomeOption = None
) -> None:
    """Make the previous champion the champion again (a second rollback undoes it).

    Warns when the previous champion scored worse than the champion on the newest labelled
    batch neither was trained on."""
    from calmops.pipeline.manual import move_champion, require_reason

    require_reason(reason)
    ws = open_workspace(ctx, home)
    move = move_champion(ws, name, None, reason or "", by="the CLI")
    _print_moves(name, move)


def _print_moves(name: str, move: Any) -> None:
    shown = ", ".join(f"{m.alias}: {_v(m.old_version)} → {_v(m.new_version)}" for m in move.changes)
    console().print(f"{name}: {shown}", markup=False)
    if move.check.warning:
        err_console().print(f"warning: {move.check.warning}", markup=False)


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"
