"""``calmops create``: a pipeline from options or from a spec file (``-f``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.output import HomeOption, JsonOption, console, emit_json, err_console, workspace
from calmops.cli.pipelines import describe_pipeline, parse_assignments

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``create`` to the root app."""
    app.command("create")(create)


def create(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Pipeline name.", show_default=False)] = None,
    spec_file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Create from a YAML spec file.")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Folder new data files arrive in.")
    ] = None,
    target: Annotated[str | None, typer.Option("--target", help="Label column.")] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Estimator class, e.g. sklearn.svm.SVC.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="stream, block or ipip.")] = None,
    trigger: Annotated[
        str | None, typer.Option("--trigger", help="manual, watch or schedule.")
    ] = None,
    schedule: Annotated[
        str | None, typer.Option("--schedule", help='Cron ("*/10 * * * *") or interval ("10m").')
    ] = None,
    block_column: Annotated[
        str | None, typer.Option("--block-column", help="Column holding the block id.")
    ] = None,
    params: Annotated[
        list[str] | None,
        typer.Option("--param", help="Estimator parameter KEY=VALUE (repeatable)."),
    ] = None,
    id_columns: Annotated[
        list[str] | None,
        typer.Option(
            "--id-column", help="Identifier column: never a feature; joins feedback (repeatable)."
        ),
    ] = None,
    time_column: Annotated[
        str | None,
        typer.Option("--time-column", help="Event time column: never a feature; orders rows."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Column to ignore entirely (repeatable)."),
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Create a pipeline from options or from a spec file (-f)."""
    from rich.markup import escape

    from calmops.cli.hints import create_hints
    from calmops.models.factory import describe_class
    from calmops.spec import PipelineSpec

    roles = {"data.id_columns": id_columns, "data.time_column": time_column}
    roles["data.exclude"] = exclude

    if spec_file is None and (name is None or data_dir is None):
        raise typer.BadParameter(
            "give NAME and --data-dir (plus --target and --model), or -f spec.yaml"
        )
    if spec_file is not None:
        spec = PipelineSpec.from_yaml(spec_file)
        overrides = _create_overrides(
            name, data_dir, target, model, kind, trigger, schedule, block_column, params, roles
        )
        if overrides:
            spec = PipelineSpec.from_dict(_merge(spec.to_dict(), overrides), base_dir=Path.cwd())
    else:
        spec = PipelineSpec.from_dict(
            _create_overrides(
                name, data_dir, target, model, kind, trigger, schedule, block_column, params, roles
            )
        )
    ws = workspace(ctx, home)
    existed = spec.data.dir.exists()
    ws.create(spec)
    hints = create_hints(spec)
    if as_json:
        emit_json(describe_pipeline(ws, spec.name))
    else:
        out = console()
        out.print(
            f"Created pipeline [bold]{spec.name}[/] ({spec.kind}, {spec.trigger.type} trigger, "
            f"model {describe_class(spec.model, spec.kind)})"
        )
        out.print(f"  spec: {ws.paths(spec.name).spec_file}")
        out.print(f"  data: {spec.data.dir}" + ("" if existed else " (created)"))
        out.print(f"Next: put data files in {spec.data.dir}")
    for hint in hints:  # on stderr, so --json output stays clean
        err_console().print(f"[yellow]warning:[/] {escape(hint)}", highlight=False)


def _create_overrides(
    name: str | None,
    data_dir: Path | None,
    target: str | None,
    model: str | None,
    kind: str | None,
    trigger: str | None,
    schedule: str | None,
    block_column: str | None,
    params: list[str] | None,
    roles: dict[str, Any] | None = None,
) -> dict[str, Any]:
    given: dict[str, Any] = {
        **{key: value or None for key, value in (roles or {}).items()},
        "name": name,
        "kind": kind,
        "data.dir": str(data_dir.expanduser().absolute()) if data_dir else None,
        "data.target": target,
        "data.block_column": block_column,
        "trigger.type": trigger,
        "trigger.schedule": schedule,
        "model.class": model,
    }
    if schedule and not trigger:
        given["trigger.type"] = "schedule"
    for key, value in parse_assignments(params or [], option="--param").items():
        given[f"model.params.{key}"] = value
    nested: dict[str, Any] = {}
    for dotted, value in given.items():
        if value is None:
            continue
        node = nested
        *parents, last = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return nested


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged
