"""``calmops generate synth``: a synthetic table learned from a real one."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.generate_io import FORMATS, key_values, write_atomic
from calmops.cli.output import JsonOption, console, emit_json, progress
from calmops.errors import SpecError

__all__ = ["parse_condition", "parse_n_per_block", "synth_command"]

RealArgument = Annotated[
    Path, typer.Argument(help="The real table (csv, parquet, json, arff, xlsx...).")
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="File to write (.csv or .parquet).")]
MethodOption = Annotated[
    str, typer.Option("--method", "-m", help="Synthesizer (see `calmops generate list`).")
]
NOption = Annotated[
    int | None, typer.Option("--n", help="Rows to write (default: as many as the real table).")
]
TargetOption = Annotated[
    str | None, typer.Option("--target", help="Target column (for --balance and the visit order).")
]
ConditionOption = Annotated[
    str | None,
    typer.Option("--condition", help="Exact shares of one column: 'T=yes:0.3,no:0.7'."),
]
BalanceOption = Annotated[
    bool, typer.Option("--balance", help="Every value of --target in equal shares.")
]
BlockColumnOption = Annotated[
    str | None, typer.Option("--block-column", help="Synthesize each block of this column alone.")
]
NPerBlockOption = Annotated[
    str | None,
    typer.Option("--n-per-block", help="Rows per block: N, or 'b1=100,b2=300'."),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", help="Synthesizer parameter KEY=VALUE, VALUE as JSON (repeatable)."),
]
SeedOption = Annotated[int | None, typer.Option("--seed", help="Random seed.")]


def parse_condition(text: str) -> dict[str, dict[str, float]]:
    """``'T=yes:0.3,no:0.7'`` as ``{"T": {"yes": 0.3, "no": 0.7}}``.

    Examples
    --------
    >>> parse_condition("churned=yes:0.3,no:0.7")
    {'churned': {'yes': 0.3, 'no': 0.7}}
    """
    column, sep, rest = text.partition("=")
    shares: dict[str, float] = {}
    for item in rest.split(",") if sep and column.strip() else []:
        value, colon, share = item.strip().rpartition(":")
        if not colon or not value:
            shares = {}
            break
        try:
            shares[value] = float(share)
        except ValueError:
            shares = {}
            break
    if not shares:
        raise SpecError(
            f"--condition must look like 'column=value:share,value:share', got {text!r}"
        )
    return {column.strip(): shares}


def parse_n_per_block(text: str | None) -> int | dict[str, int] | None:
    """``'500'`` as 500, ``'b1=100,b2=300'`` as ``{"b1": 100, "b2": 300}``.

    Examples
    --------
    >>> parse_n_per_block("500"), parse_n_per_block("b1=100, b2=300")
    (500, {'b1': 100, 'b2': 300})
    """
    if text is None:
        return None
    try:
        if "=" not in text:
            return int(text)
        pairs = (item.split("=", 1) for item in text.split(","))
        return {block.strip(): int(rows) for block, rows in pairs}
    except ValueError:
        raise SpecError(f"--n-per-block must be N or 'block=N,block=N', got {text!r}") from None


def synth_command(
    real: RealArgument,
    out: OutOption,
    method: MethodOption = "cart",
    n: NOption = None,
    target: TargetOption = None,
    condition: ConditionOption = None,
    balance: BalanceOption = False,
    block_column: BlockColumnOption = None,
    n_per_block: NPerBlockOption = None,
    params: ParamOption = None,
    seed: SeedOption = None,
    as_json: JsonOption = False,
) -> None:
    """Learn REAL with a synthesizer and write N synthetic rows to OUT (written atomically)."""
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise SpecError(f"--out must end in .csv or .parquet, got {out.name}")
    if balance and not target:
        raise SpecError("--balance needs --target (the column to balance)")
    options: dict[str, Any] = dict(
        method=method,
        n=n,
        target=target,
        conditions=parse_condition(condition) if condition else None,
        balance=balance,
        block_column=block_column,
        n_per_block=parse_n_per_block(n_per_block),
        seed=seed,
        **key_values(params or [], "--param"),
    )
    summary = _synthesize_and_write(real, out, fmt, options)
    if as_json:
        emit_json(summary)
    else:
        _print_summary(summary)


def _synthesize_and_write(real: Path, out: Path, fmt: str, options: dict[str, Any]) -> dict:
    """Read, synthesize (with a progress bar), write; returns the summary."""
    from calmops.data_generators import synthesize
    from calmops.io import read_table

    with progress() as bar:
        task = bar.add_task(f"reading {real.name}", total=None)
        data = read_table(real)

        def on_step(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        bar.update(task, description=f"fitting {options['method']}")
        started = time.perf_counter()
        result = synthesize(data, on_step=on_step, **options)
        seconds = time.perf_counter() - started
        bar.update(task, description=f"writing {out.name}", completed=0, total=len(result))
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(result, out, fmt, advance=lambda rows: bar.advance(task, rows))
    return _summary(real, out, data, result, options, seconds)


def _summary(real: Path, out: Path, data, result, options: dict[str, Any], seconds: float) -> dict:
    """What was fitted and written (the ``--json`` output)."""
    summary: dict[str, Any] = {
        "input": str(real),
        "output": str(out),
        "method": options["method"],
        "real_rows": len(data),
        "rows": len(result),
        "columns": list(map(str, result.columns)),
        "seed": options["seed"],
        "seconds": round(seconds, 3),
    }
    conditioned = next(iter(options["conditions"] or {}), None)
    if options["balance"]:
        conditioned = options["target"]
    if conditioned is not None:
        counts = result[conditioned].value_counts(dropna=False)
        summary["condition"] = {"column": conditioned, "counts": _plain_counts(counts)}
    if options["block_column"] is not None:
        counts = result[options["block_column"]].value_counts(sort=False)
        summary["blocks"] = _plain_counts(counts)
    return summary


def _plain_counts(counts) -> dict[str, int]:
    return {str(value): int(count) for value, count in counts.items()}


def _print_summary(summary: dict[str, Any]) -> None:
    c = console()
    c.print(
        f"fitted {summary['method']} on {summary['input']} ({summary['real_rows']:,} rows) and "
        f"wrote {summary['rows']:,} rows × {len(summary['columns'])} columns to "
        f"{summary['output']} in {summary['seconds']:.1f} s",
        soft_wrap=True,
        markup=False,
    )
    if "condition" in summary:
        shown = ", ".join(f"{v}: {k:,}" for v, k in summary["condition"]["counts"].items())
        c.print(f"  {summary['condition']['column']}: {shown}", markup=False)
    if "blocks" in summary:
        shown = ", ".join(f"{b}: {k:,}" for b, k in summary["blocks"].items())
        c.print(f"  blocks: {shown}", markup=False)
