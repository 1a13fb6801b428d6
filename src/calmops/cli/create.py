"""``calmops create``: a pipeline from options or from a spec file (``-f``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.output import HomeOption, JsonOption, console, emit_json, err_console, workspace
from calmops.cli.pipelines import describe_pipeline, parse_assignments

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``create`` to the root app."""
    app.command("create")(create)


NameArgument = Annotated[str | None, typer.Argument(help="Pipeline name.", show_default=False)]
SpecFileOption = Annotated[
    Path | None, typer.Option("--file", "-f", help="Create from a YAML spec file.")
]
DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Folder new data files arrive in.")
]
TargetOption = Annotated[str | None, typer.Option("--target", help="Label column.")]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="Estimator class, e.g. sklearn.svm.SVC.")
]
KindOption = Annotated[str | None, typer.Option("--kind", help="stream, block or ipip.")]
TriggerOption = Annotated[str | None, typer.Option("--trigger", help="manual, watch or schedule.")]
ScheduleOption = Annotated[
    str | None, typer.Option("--schedule", help='Cron ("*/10 * * * *") or interval ("10m").')
]
BlockColumnOption = Annotated[
    str | None, typer.Option("--block-column", help="Column holding the block id.")
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", help="Estimator parameter KEY=VALUE (repeatable)."),
]
IdColumnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--id-column", help="Identifier column: never a feature; joins feedback (repeatable)."
    ),
]
TimeColumnOption = Annotated[
    str | None,
    typer.Option("--time-column", help="Event time column: never a feature; orders rows."),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Column to ignore entirely (repeatable)."),
]


def create(
    ctx: typer.Context,
    name: NameArgument = None,
    spec_file: SpecFileOption = None,
    data_dir: DataDirOption = None,
    target: TargetOption = None,
    model: ModelOption = None,
    kind: KindOption = None,
    trigger: TriggerOption = None,
    schedule: ScheduleOption = None,
    block_column: BlockColumnOption = None,
    params: ParamOption = None,
    id_columns: IdColumnOption = None,
    time_column: TimeColumnOption = None,
    exclude: ExcludeOption = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Create a pipeline from options or from a spec file (-f)."""
    from rich.markup import escape

    from calmops.cli.hints import create_hints

    roles = {"data.id_columns": id_columns, "data.time_column": time_column}
    roles["data.exclude"] = exclude

    if spec_file is None and (name is None or data_dir is None):
        raise typer.BadParameter(
            "give NAME and --data-dir (plus --target and --model), or -f spec.yaml"
        )
    overrides = partial(
        _create_overrides,
        name, data_dir, target, model, kind, trigger, schedule, block_column, params, roles,
    )  # fmt: skip
    spec = _spec_of(spec_file, overrides)
    ws = workspace(ctx, home)
    existed = spec.data.dir.exists()
    ws.create(spec)
    hints = create_hints(spec)
    if as_json:
        emit_json(describe_pipeline(ws, spec.name))
    else:
        _print_created(ws, spec, existed)
    for hint in hints:  # on stderr, so --json output stays clean
        err_console().print(f"[yellow]warning:[/] {escape(hint)}", highlight=False)


def _spec_of(spec_file: Path | None, overrides: Callable[[], dict[str, Any]]):
    """The spec to create: the file's with the options over it (read first, so its errors
    come first), or the options alone."""
    from calmops.spec import PipelineSpec

    if spec_file is None:
        return PipelineSpec.from_dict(overrides())
    spec = PipelineSpec.from_yaml(spec_file)
    given = overrides()
    if given:
        spec = PipelineSpec.from_dict(_merge(spec.to_dict(), given), base_dir=Path.cwd())
    return spec


def _print_created(ws, spec, existed: bool) -> None:
    """What was created and where, for a person."""
    from calmops.models.factory import describe_class

    out = console()
    out.print(
        f"Created pipeline [bold]{spec.name}[/] ({spec.kind}, {spec.trigger.type} trigger, "
        f"model {describe_class(spec.model, spec.kind)})"
    )
    out.print(f"  spec: {ws.paths(spec.name).spec_file}")
    out.print(f"  data: {spec.data.dir}" + ("" if existed else " (created)"))
    out.print(f"Next: put data files in {spec.data.dir}")


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
