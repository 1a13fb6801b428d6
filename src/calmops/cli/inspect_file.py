"""``calmops inspect FILE``: how CalmOps reads a data file (format, columns, kinds, gaps)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calmops.cli.output import JsonOption, console, emit_json

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``inspect`` command to the root app."""
    app.command("inspect")(inspect_file)


def inspect_file(
    path: Annotated[Path, typer.Argument(help="Data file (csv, tsv, parquet, json, arff, xlsx).")],
    rows: Annotated[int, typer.Option("--rows", "-n", min=0, help="Rows to preview.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Read a data file as a pipeline would and describe its columns."""
    from calmops.io import detect_format, infer_schema, read_table

    fmt = detect_format(path)
    frame = read_table(path)
    schema = infer_schema(frame)
    if as_json:
        emit_json({"file": str(path), "format": fmt, **schema.to_dict()})
        return
    from rich.table import Table

    out = console()
    out.print(f"{path}: {fmt}, {schema.rows:,} rows × {len(schema.columns)} columns", markup=False)
    table = Table(box=None, header_style="bold")
    for column in ("column", "kind", "dtype", "missing", "distinct"):
        table.add_column(column, justify="right" if column in ("missing", "distinct") else "left")
    for column in schema.columns:
        missing = f"{column.missing:,}" + (
            f" ({column.missing / schema.rows:.0%})" if column.missing else ""
        )
        table.add_row(column.name, column.kind, column.dtype, missing, f"{column.unique:,}")
    out.print(table)
    if rows:
        out.print(frame.head(rows).to_string(max_cols=12), markup=False)
