"""``calmops generate``: synthetic drifting streams, drift injection, and what is available.

numpy, pandas and the generators are imported inside the commands, so ``calmops --help``
stays fast.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import JsonOption, console, emit_json, progress
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["generate_app", "register"]

generate_app = typer.Typer(
    help="Generate drifting streams and inject drift, with the ground truth.",
    no_args_is_help=True,
)

FORMATS = ("csv", "parquet")
RECORD_NAME = "drift_record.json"
CSV_CHUNK_ROWS = 50_000


def register(app: typer.Typer) -> None:
    """Add the ``generate`` group to the root app."""
    app.add_typer(generate_app, name="generate")


def _json_arg(text: str | None, option: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(f"{option} is not valid JSON ({error.msg}): {text}") from None
    if not isinstance(value, dict):
        raise SpecError(f"{option} must be a JSON object like '{{\"variant\": 1}}', got {text}")
    return value


def _write_atomic(
    frame: pd.DataFrame, path: Path, fmt: str, advance: Callable[[int], Any] = lambda rows: None
) -> None:
    """Write to a hidden temporary file, then rename: a watcher never sees half a file.

    CSV is written in chunks of rows, calling ``advance(rows)`` after each (for progress).
    """
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
        advance(len(frame))
    else:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            for start in range(0, len(frame), CSV_CHUNK_ROWS):
                part = frame.iloc[start : start + CSV_CHUNK_ROWS]
                part.to_csv(handle, index=False, header=start == 0)
                advance(len(part))
    os.replace(tmp, path)


def _schedule(kind: str | None, at: int | None, width: int, duration: int | None, to: Any):
    from calmops.data_generators import ConceptSchedule, abrupt, gradual, incremental, recurrent

    if at is None:
        if kind or duration or width or to is not None:
            raise SpecError(
                "--drift-kind, --drift-width, --drift-duration and --to-params need --drift-at"
            )
        return ConceptSchedule()
    kind = kind or ("gradual" if width else "abrupt")
    if kind == "recurrent":
        if duration is None:
            raise SpecError("a recurrent drift needs --drift-duration (rows before it returns)")
        return recurrent(at, duration, to, width=width, kind="gradual" if width else "abrupt")
    if duration is not None:
        raise SpecError("--drift-duration only applies to --drift-kind recurrent")
    if kind == "abrupt":
        if width:
            raise SpecError("an abrupt drift has no width; use --drift-kind gradual")
        return abrupt(at, to)
    if kind == "gradual":
        return gradual(at, width, to)
    if kind == "incremental":
        return incremental(at, width, to)
    raise SpecError(
        f"unknown drift kind '{kind}'; choose from abrupt, gradual, incremental, recurrent"
    )


@generate_app.command("stream")
def stream(
    generator: Annotated[str, typer.Option("--generator", "-g", help="Generator name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the batches to.")],
    n: Annotated[int, typer.Option("--n", help="Number of rows.")] = 10000,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    params: Annotated[
        str | None,
        typer.Option("--params", help="Generator parameters as JSON: '{\"variant\": 1}'."),
    ] = None,
    drift_at: Annotated[
        int | None, typer.Option("--drift-at", help="Row where the drift is centred.")
    ] = None,
    drift_width: Annotated[
        int, typer.Option("--drift-width", help="Rows over which the drift happens (0: abrupt).")
    ] = 0,
    drift_kind: Annotated[
        str | None,
        typer.Option(
            "--drift-kind",
            help="abrupt, gradual, incremental or recurrent (default: abrupt, or gradual "
            "with a width).",
        ),
    ] = None,
    drift_duration: Annotated[
        int | None,
        typer.Option(
            "--drift-duration", help="Recurrent drift: rows before the old concept returns."
        ),
    ] = None,
    to_params: Annotated[
        str | None,
        typer.Option(
            "--to-params",
            help="Parameters of the drifted concept as JSON (default: the generator's natural "
            "next concept).",
        ),
    ] = None,
    batches: Annotated[int, typer.Option("--batches", help="Number of files to split into.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    target: Annotated[str, typer.Option("--target", help="Name of the label column.")] = "target",
    balance: Annotated[
        bool, typer.Option("--balance", help="Exactly equal classes (classification).")
    ] = False,
    label_noise: Annotated[
        float, typer.Option("--label-noise", help="Fraction of labels changed at random.")
    ] = 0.0,
    start: Annotated[
        str | None,
        typer.Option("--timestamp-start", help="Add a timestamp column from this date."),
    ] = None,
    step: Annotated[
        str, typer.Option("--timestamp-step", help="Time between rows, e.g. 1h, 15min, 1D.")
    ] = "1h",
    blocks: Annotated[
        int | None, typer.Option("--blocks", help="Add a block column with this many blocks.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite generated files already in --out.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a synthetic stream as ordered batch files plus drift_record.json."""
    import numpy as np

    from calmops.data_generators import Blocks, Timestamps, generate_stream
    from calmops.data_generators._checks import check_choice, check_count, exact_counts

    check_choice("--format", fmt, FORMATS)
    n = check_count("--n", n, minimum=1)
    batches = check_count("--batches", batches, minimum=1)
    if batches > n:
        raise SpecError(f"--batches ({batches}) cannot exceed --n ({n})")
    to = _json_arg(to_params, "--to-params") if to_params else None
    schedule = _schedule(drift_kind, drift_at, drift_width, drift_duration, to)
    existing = sorted(out.glob("batch_*.csv")) + sorted(out.glob("batch_*.parquet"))
    if (existing or (out / RECORD_NAME).exists()) and not force:
        raise SpecError(f"{out} already holds generated files; use --force to overwrite them")

    with progress() as bar:
        making = bar.add_task(f"generating {n} rows", total=None)
        data, record = generate_stream(
            generator,
            n,
            seed=seed,
            params=_json_arg(params, "--params"),
            schedule=schedule,
            target=target,
            balance=True if balance else None,
            label_noise=label_noise,
            timestamps=Timestamps(start, step) if start else None,
            blocks=Blocks(n_blocks=blocks) if blocks else None,
        )
        bar.update(making, total=1, completed=1)
        task = bar.add_task("writing rows", total=n)
        out.mkdir(parents=True, exist_ok=True)
        for old in existing:
            old.unlink()
        width = max(4, len(str(batches)))
        bounds = np.concatenate(([0], np.cumsum(exact_counts(n, np.ones(batches)))))
        files = []
        for i in range(batches):
            path = out / f"batch_{i + 1:0{width}d}.{fmt}"
            _write_atomic(
                data.iloc[bounds[i] : bounds[i + 1]],
                path,
                fmt,
                lambda rows: bar.update(task, advance=rows),
            )
            files.append(path)
        record.to_json(out / RECORD_NAME)

    def batch_of(row: int) -> int:
        return int(np.searchsorted(bounds, row, side="right"))

    drifts = [
        {
            "kind": e.operation,
            "onset_row": e.onset_row,
            "end_row": e.end_row,
            "onset_batch": batch_of(e.onset_row),
            "end_batch": batch_of(e.end_row),
            "to_concept": e.params["to_concept"],
        }
        for e in record.events
    ]
    summary = {
        "generator": generator,
        "rows": n,
        "seed": record.source["seed"],
        "columns": [str(c) for c in data.columns],
        "folder": str(out),
        "files": [p.name for p in files],
        "record": str(out / RECORD_NAME),
        "concepts": list(record.concepts),
        "drifts": drifts,
    }
    if as_json:
        emit_json(summary)
        return
    c = console()
    c.print(f"wrote {n} rows of {generator} to {out}/ in {batches} {fmt} file(s)", soft_wrap=True)
    c.print(f"  files: {files[0].name}" + (f" .. {files[-1].name}" if batches > 1 else ""))
    for d in drifts:
        where = (
            f"at row {d['onset_row']} (batch {d['onset_batch']})"
            if d["onset_row"] == d["end_row"]
            else f"over rows {d['onset_row']}-{d['end_row']} "
            f"(batches {d['onset_batch']}-{d['end_batch']})"
        )
        c.print(f"  {d['kind']} drift to concept {d['to_concept']} {where}", soft_wrap=True)
    if not drifts:
        c.print("  no drift")
    if seed is None:
        c.print(f"  seed: {record.source['seed']} (give --seed to replay)", soft_wrap=True)
    c.print(f"  ground truth: {out / RECORD_NAME}", soft_wrap=True)


_WHERE = re.compile(r"^\s*([^<>=!\s]+)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$")


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


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
        parts.append(BlockSet(block_column, tuple(_value(b.strip()) for b in blocks.split(","))))
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
        parts.append(Where(column, op, _value(value)))
    if not parts:
        return None
    selector = parts[0]
    for part in parts[1:]:
        selector = selector & part
    return selector


@generate_app.command("inject")
def inject_command(
    source: Annotated[Path, typer.Argument(help="Table to inject drift into.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (.csv or .parquet).")],
    op: Annotated[str, typer.Option("--op", help="Operation (see `calmops generate list`).")],
    columns: Annotated[
        str | None, typer.Option("--columns", "-c", help="Columns to change: c1,c2.")
    ] = None,
    magnitude: Annotated[
        float | None, typer.Option("--magnitude", help="The operation's magnitude parameter.")
    ] = None,
    rate: Annotated[
        float | None, typer.Option("--rate", help="The operation's rate parameter.")
    ] = None,
    params: Annotated[
        list[str] | None,
        typer.Option("--param", help="Other parameter KEY=VALUE, VALUE as JSON (repeatable)."),
    ] = None,
    rows: Annotated[
        str | None,
        typer.Option("--rows", help="Rows START:END (END excluded; either may be empty)."),
    ] = None,
    time_range: Annotated[
        str | None, typer.Option("--time-range", help="Times START:END (needs --time-column).")
    ] = None,
    time_column: Annotated[
        str | None, typer.Option("--time-column", help="Time column (places the profile).")
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option("--where", help="Condition 'col>=value' (repeatable).")
    ] = None,
    blocks: Annotated[
        str | None, typer.Option("--blocks", help="Blocks to change: b1,b2 (needs --block-column).")
    ] = None,
    block_column: Annotated[
        str | None, typer.Option("--block-column", help="Column holding the block id.")
    ] = None,
    profile: Annotated[
        str, typer.Option("--profile", help="step, linear, sigmoid, cosine or recurrent.")
    ] = "step",
    direction: Annotated[str, typer.Option("--direction", help="up or down.")] = "up",
    target: Annotated[str, typer.Option("--target", help="Label column.")] = "target",
    record_path: Annotated[
        Path | None, typer.Option("--record", help="Drift record of the input, to extend.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Inject drift into a table; writes OUT and OUT's drift record (<stem>.drift_record.json)."""
    from calmops.data_generators import DriftRecord, inject
    from calmops.io import read_table

    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise SpecError(f"--out must end in .csv or .parquet, got {out.name}")
    extra: dict[str, Any] = {}
    for item in params or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SpecError(f"--param must look like KEY=VALUE, got {item!r}")
        extra[key.strip()] = _value(value)
    if magnitude is not None:
        extra["magnitude"] = magnitude
    if rate is not None:
        extra["rate"] = rate
    with progress() as bar:
        task = bar.add_task("injecting", total=3)
        data = read_table(source)
        record = DriftRecord.load(record_path) if record_path else None
        bar.update(task, advance=1)
        result, new_record = inject(
            data,
            op,
            columns=columns,
            selector=_selector(rows, time_range, time_column, where or [], blocks, block_column),
            profile=profile,
            direction=direction,
            seed=seed,
            time_column=time_column,
            target=target,
            record=record,
            **extra,
        )
        bar.update(task, advance=1)
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(result, out, fmt)
        record_file = out.with_name(f"{out.stem}.drift_record.json")
        new_record.to_json(record_file)
        bar.update(task, advance=1)
    event = new_record.events[-1]
    summary = {
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
    }
    if as_json:
        emit_json(summary)
        return
    c = console()
    c.print(
        f"wrote {len(result)} rows to {out}: {op} ({event.kind}) on "
        f"{', '.join(event.columns) or 'whole rows'}",
        soft_wrap=True,
    )
    c.print(
        f"  {summary['affected_rows']} rows affected, onset row {event.onset_row}, "
        f"full strength from row {event.end_row}, last row {event.last_row}"
    )
    c.print(f"  ground truth: {record_file}", soft_wrap=True)


@generate_app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """Show the generators, operations and profiles, with their parameters."""
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
    c = console()
    for table in (generators, operations, profiles):
        c.print(table)
