"""Pipeline commands: ``list``, ``show``, ``update``, ``delete``, ``validate`` (``create`` has its
own module)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameArgument,
    console,
    emit_json,
    err_console,
    local_time,
    workspace,
)
from calmops.errors import OperationCancelled, SpecError

if TYPE_CHECKING:
    from calmops.spec import PipelineSpec
    from calmops.workspace import Workspace

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the pipeline commands to the root app."""
    app.command("list")(list_pipelines)
    app.command("show")(show)
    app.command("update")(update)
    app.command("delete")(delete)
    app.command("validate")(validate)


def list_pipelines(ctx: typer.Context, as_json: JsonOption = False, home: HomeOption = None):
    """List the pipelines of the workspace."""
    ws = workspace(ctx, home)
    rows = [_summary(ws, record.name) for record in ws.list()]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        err_console().print(
            f"No pipelines in {ws.home}. Create one with:\n"
            "  calmops create NAME --data-dir DIR --target COLUMN --model CLASS"
        )
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("name", "kind", "trigger", "state", "last run", "champion"):
        table.add_column(column)
    for row in rows:
        run = row["last_run"]
        last = "—" if run is None else f"{local_time(run['started_at'])} {run['status']}"
        if run and run.get("decision"):
            last += f" ({run['decision']})"
        champion = "—" if row["champion"] is None else f"v{row['champion']}"
        table.add_row(row["name"], row["kind"], row["trigger"], row["state"], last, champion)
    console().print(table)


def show(
    ctx: typer.Context,
    name: NameArgument,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Show a pipeline's spec, state, folders, aliases and last run."""
    ws = workspace(ctx, home)
    described = describe_pipeline(ws, name)
    if as_json:
        emit_json(described)
        return
    import yaml

    out = console()
    out.print(
        f"[bold]{name}[/]  {described['kind']} · {described['trigger']} · {described['state']}"
    )
    out.print(f"folder: {described['folder']}")
    aliases = described["aliases"]
    out.print("aliases: " + (", ".join(f"{a}=v{v}" for a, v in aliases.items()) or "none yet"))
    run = described["last_run"]
    out.print(
        "last run: "
        + ("none yet" if run is None else f"{local_time(run['started_at'])} {run['status']}")
    )
    out.print("\n[bold]spec[/] (config/pipeline.yaml)")
    out.print(yaml.safe_dump(described["spec"], sort_keys=False).rstrip(), markup=False)


def update(
    ctx: typer.Context,
    name: NameArgument,
    assignments: Annotated[
        list[str] | None,
        typer.Option("--set", help="FIELD.PATH=VALUE, e.g. retrain.strategy=window (repeatable)."),
    ] = None,
    spec_file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Replace the spec with this YAML file (same name)."),
    ] = None,
    restart: Annotated[
        bool, typer.Option("--restart", help="Restart the running monitor to apply the change.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Change fields of a pipeline's spec (--set), or replace it with a spec file (-f, then
    any --set on top); the result is validated like create."""
    if not assignments and spec_file is None:
        raise typer.BadParameter("give --set FIELD=VALUE (repeatable) or -f spec.yaml")
    ws = workspace(ctx, home)
    changes = parse_assignments(assignments or [], option="--set")
    before = ws.spec(name).to_dict()
    if spec_file is None:
        after = ws.update(name, changes).to_dict()
        changed = _differences(before, after)
    else:
        replacement = _spec_from_file(spec_file, name, changes)
        changed = _differences(before, replacement.to_dict())
        if changed:
            ws.replace(name, replacement, changed=sorted(changed))
    out = console()
    if not changed:
        out.print(f"Nothing changed in '{name}': the values were already set.")
        return
    out.print(f"Updated pipeline [bold]{name}[/]:")
    for path, (old, new) in changed.items():
        out.print(f"  {path}: {old!r} -> {new!r}", markup=False)
    from calmops.cli.monitor import restart_if_running

    running = restart_if_running(ws, name, restart)
    if running:
        out.print(running, markup=False)


def _spec_from_file(path: Path, name: str, changes: dict[str, Any]) -> PipelineSpec:
    """The spec in ``path`` (validated as ``create -f`` does), for pipeline ``name``."""
    from calmops.spec import PipelineSpec

    spec = PipelineSpec.from_yaml(path)
    if spec.name != name:
        raise SpecError(
            f"{path}: name: the file is for pipeline '{spec.name}', not '{name}' "
            "(a pipeline keeps its name; create a new one for a new name)"
        )
    return spec.with_changes(changes) if changes else spec


def delete(
    ctx: typer.Context,
    name: NameArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    home: HomeOption = None,
) -> None:
    """Delete a pipeline: its folder (models, logs, metrics) and its records."""
    ws = workspace(ctx, home)
    ws.get(name)
    if not yes:
        if not sys.stdin.isatty():
            raise OperationCancelled(
                f"not deleting '{name}' without confirmation: "
                f"run `calmops delete {name} --yes` to delete it non-interactively"
            )
        if not typer.confirm(
            f"Delete pipeline '{name}' with its models, logs and metrics?", default=False
        ):
            raise OperationCancelled(f"kept pipeline '{name}'")
    from calmops.cli.monitor import stop_if_running

    stopped = stop_if_running(ws, name)
    if stopped:
        console().print(stopped, markup=False)
    ws.delete(name)
    console().print(f"Deleted pipeline [bold]{name}[/].")


def validate(
    spec_file: Annotated[Path, typer.Argument(help="YAML spec file to check.")],
    as_json: JsonOption = False,
) -> None:
    """Check a spec file (fields, values and model class) without creating anything."""
    from calmops.models.factory import build_model, describe_class
    from calmops.spec import PipelineSpec

    spec = PipelineSpec.from_yaml(spec_file)
    build_model(spec.model)
    if as_json:
        emit_json({"valid": True, "spec": spec.to_dict()})
        return
    console().print(
        f"{spec_file} is valid: pipeline '{spec.name}' ({spec.kind}, {spec.trigger.type} "
        f"trigger, model {describe_class(spec.model, spec.kind)})",
        markup=False,
    )


# ---- shared helpers -------------------------------------------------------------------


def parse_assignments(items: list[str], *, option: str) -> dict[str, Any]:
    """``["a.b=1", "c=x"]`` -> ``{"a.b": 1, "c": "x"}``, values read as YAML scalars."""
    import yaml

    parsed: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise SpecError(f"{option} expects FIELD=VALUE (got {item!r})")
        try:
            parsed[key.strip()] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            parsed[key.strip()] = raw
    return parsed


def _summary(ws: Workspace, name: str) -> dict[str, Any]:
    record = ws.store.pipelines.get(name)
    run = ws.store.runs.latest(name)
    return {
        "name": record.name,
        "kind": record.kind,
        "trigger": record.trigger,
        "state": _live_state(ws, name),
        "description": record.spec.get("description", ""),
        "last_run": None if run is None else _run_dict(run),
        "champion": ws.store.models.aliases(name).get("champion"),
    }


def describe_pipeline(ws: Workspace, name: str) -> dict[str, Any]:
    spec: PipelineSpec = ws.spec(name)
    record = ws.get(name)
    run = ws.store.runs.latest(name)
    return {
        "name": name,
        "kind": spec.kind,
        "trigger": spec.trigger.type,
        "state": _live_state(ws, name),
        "folder": str(ws.paths(name).root),
        "spec": spec.to_dict(),
        "aliases": ws.store.models.aliases(name),
        "last_run": None if run is None else _run_dict(run),
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
    }


def _live_state(ws: Workspace, name: str) -> str:
    """running, paused, failed or stopped: whether a monitor really runs it now."""
    from calmops.monitor.status import live_state

    return live_state(ws, name)


def _run_dict(run: Any) -> dict[str, Any]:
    return {
        "id": run.id,
        "status": run.status,
        "decision": run.decision,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "source": run.source,
        "error": run.error,
    }


def _differences(before: Any, after: Any, prefix: str = "") -> dict[str, tuple[Any, Any]]:
    if isinstance(before, dict) and isinstance(after, dict):
        found: dict[str, tuple[Any, Any]] = {}
        for key in dict.fromkeys([*before, *after]):
            found |= _differences(before.get(key), after.get(key), f"{prefix}{key}.")
        return found
    return {} if before == after else {prefix.rstrip("."): (before, after)}
