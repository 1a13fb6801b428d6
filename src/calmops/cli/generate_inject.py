"""``calmops generate inject``: drift injected into any table, with its ground truth."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.generate_io import FORMATS, json_value, key_values, write_atomic
from calmops.cli.output import JsonOption, console, emit_json, progress
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

    from calmops.data_generators import DriftRecord

__all__ = ["inject_command"]


_WHERE = re.compile(r"^\s*([^<>=!\s]+)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$")


def _range(text: str, option: str, cast: Any) -> tuple[Any, Any]:
    if ":" not in text:
        raise SpecError(f"{option} must look like START:END (either may be empty), got {text}")
    start, end = text.split(":", 1)
    try:
        return (cast(start) if start else None, cast(end) if end else None)
    except ValueError:
        raise SpecError(f"{option}: {text} is not a range of {cast.__name__}s") from None


def _selector(
    rows: str | None,
    times: str | None,
    time_column: str | None,
    where: list[str],
    blocks: str | None,
    block_column: str | None,
):
    from calmops.data_generators import BlockSet, RowRange, TimeRange, Where

    parts = []
    if blocks:
        if not block_column:
            raise SpecError("--blocks needs --block-column")
        parts.append(
            BlockSet(block_column, tuple(json_value(b.strip()) for b in blocks.split(",")))
        )
    if rows:
        parts.append(RowRange(*_range(rows, "--rows", int)))
    if times:
        if not time_column:
            raise SpecError("--time-range needs --time-column")
        parts.append(TimeRange(time_column, *_range(times, "--time-range", str)))
    for condition in where:
        match = _WHERE.match(condition)
        if not match:
            raise SpecError(f"--where must look like 'column>=value', got {condition!r}")
        column, op, value = match.groups()
        parts.append(Where(column, op, json_value(value)))
    if not parts:
        return None
    selector = parts[0]
    for part in parts[1:]:
        selector = selector & part
    return selector


SourceArgument = Annotated[
    Path, typer.Argument(help="Table to inject drift into.", show_default=False)
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="File to write (.csv or .parquet).")]
OpOption = Annotated[str, typer.Option("--op", help="Operation (see `calmops generate list`).")]
ColumnsOption = Annotated[
    str | None, typer.Option("--columns", "-c", help="Columns to change: c1,c2.")
]
MagnitudeOption = Annotated[
    float | None, typer.Option("--magnitude", help="The operation's magnitude parameter.")
]
RateOption = Annotated[float | None, typer.Option("--rate", help="The operation's rate parameter.")]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", help="Other parameter KEY=VALUE, VALUE as JSON (repeatable)."),
]
RowsOption = Annotated[
    str | None, typer.Option("--rows", help="Rows START:END (END excluded; either may be empty).")
]
TimeRangeOption = Annotated[
    str | None, typer.Option("--time-range", help="Times START:END (needs --time-column).")
]
TimeColumnOption = Annotated[
    str | None,
    typer.Option("--time-column", help="Time column (places the profile; the dynamics axis)."),
]
WhereOption = Annotated[
    list[str] | None, typer.Option("--where", help="Condition 'col>=value' (repeatable).")
]
BlocksOption = Annotated[
    str | None, typer.Option("--blocks", help="Blocks to change: b1,b2 (needs --block-column).")
]
BlockColumnOption = Annotated[
    str | None,
    typer.Option("--block-column", help="Column holding the block id (also a dynamics axis)."),
]
ProfileOption = Annotated[
    str, typer.Option("--profile", help="step, linear, sigmoid, cosine or recurrent.")
]
RecordOption = Annotated[
    Path | None, typer.Option("--record", help="Drift record of the input, to extend.")
]


def inject_command(
    source: SourceArgument,
    out: OutOption,
    op: OpOption,
    columns: ColumnsOption = None,
    magnitude: MagnitudeOption = None,
    rate: RateOption = None,
    params: ParamOption = None,
    rows: RowsOption = None,
    time_range: TimeRangeOption = None,
    time_column: TimeColumnOption = None,
    where: WhereOption = None,
    blocks: BlocksOption = None,
    block_column: BlockColumnOption = None,
    profile: ProfileOption = "step",
    direction: Annotated[str, typer.Option("--direction", help="up or down.")] = "up",
    target: Annotated[str, typer.Option("--target", help="Label column.")] = "target",
    record_path: RecordOption = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Inject drift into a table; writes OUT and OUT's drift record (<stem>.drift_record.json)."""
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise SpecError(f"--out must end in .csv or .parquet, got {out.name}")
    options = dict(
        columns=columns,
        selector=_selector(rows, time_range, time_column, where or [], blocks, block_column),
        profile=profile,
        direction=direction,
        seed=seed,
        time_column=time_column,
        block_column=block_column,
        target=target,
        **_operation_params(params or [], magnitude=magnitude, rate=rate),
    )
    result, record, record_file = _inject_and_write(source, out, fmt, op, options, record_path)
    summary = _summary(source, out, record_file, result, record, op)
    if as_json:
        emit_json(summary)
    else:
        _print_summary(summary)


def _inject_and_write(
    source: Path,
    out: Path,
    fmt: str,
    op: str,
    options: dict[str, Any],
    record_path: Path | None,
) -> tuple[pd.DataFrame, DriftRecord, Path]:
    """Read ``source``, inject, write ``out`` and its record; returns (table, record, file)."""
    from calmops.data_generators import DriftRecord, inject
    from calmops.io import read_table

    with progress() as bar:
        task = bar.add_task("injecting", total=3)
        data = read_table(source)
        record = DriftRecord.load(record_path) if record_path else None
        bar.update(task, advance=1)
        result, new_record = inject(data, op, record=record, **options)
        bar.update(task, advance=1)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(result, out, fmt)
        record_file = out.with_name(f"{out.stem}.drift_record.json")
        new_record.to_json(record_file)
        bar.update(task, advance=1)
    return result, new_record, record_file


def _summary(source: Path, out: Path, record_file: Path, result, record, op: str) -> dict[str, Any]:
    """What was written and where the injected drift is (the ``--json`` output)."""
    event = record.events[-1]
    return {
        "input": str(source),
        "output": str(out),
        "record": str(record_file),
        "rows": len(result),
        "seed": event.params.get("seed"),
        "operation": op,
        "kind": event.kind,
        "columns": list(event.columns),
        "onset_row": event.onset_row,
        "end_row": event.end_row,
        "last_row": event.last_row,
        "affected_rows": int((event.weight > 0).sum()),
        "defined_rows": event.params["rows"] if event.params.get("new_column") else 0,
    }


def _operation_params(items: list[str], **named: Any) -> dict[str, Any]:
    """``--param KEY=VALUE`` items plus the named options that were given."""
    extra = key_values(items, "--param")
    return extra | {name: value for name, value in named.items() if value is not None}


def _print_summary(summary: dict[str, Any]) -> None:
    c = console()
    c.print(
        f"wrote {summary['rows']} rows to {summary['output']}: {summary['operation']} "
        f"({summary['kind']}) on {', '.join(summary['columns']) or 'whole rows'}",
        soft_wrap=True,
    )
    if summary["defined_rows"]:  # a new column: a definition, no earlier value changed
        c.print(f"  new column defined on {summary['defined_rows']} rows (not drift)")
    else:
        c.print(
            f"  {summary['affected_rows']} rows affected, onset row {summary['onset_row']}, "
            f"full strength from row {summary['end_row']}, last row {summary['last_row']}"
        )
    c.print(f"  ground truth: {summary['record']}", soft_wrap=True)
