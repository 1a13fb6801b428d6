"""``calmops generate stream``: a synthetic drifting stream as batch files, with its
ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.generate_io import FORMATS, RECORD_NAME, json_arg, write_atomic
from calmops.cli.output import JsonOption, console, emit_json, progress
from calmops.errors import SpecError

__all__ = ["stream"]

GeneratorOption = Annotated[str, typer.Option("--generator", "-g", help="Generator name.")]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Folder to write the batches to.")]
ParamsOption = Annotated[
    str | None,
    typer.Option("--params", help="Generator parameters as JSON: '{\"variant\": 1}'."),
]
DriftAtOption = Annotated[
    int | None, typer.Option("--drift-at", help="Row where the drift is centred.")
]
DriftWidthOption = Annotated[
    int, typer.Option("--drift-width", help="Rows over which the drift happens (0: abrupt).")
]
DriftKindOption = Annotated[
    str | None,
    typer.Option(
        "--drift-kind",
        help="abrupt, gradual, incremental or recurrent (default: abrupt, or gradual "
        "with a width).",
    ),
]
DriftDurationOption = Annotated[
    int | None,
    typer.Option("--drift-duration", help="Recurrent drift: rows before the old concept returns."),
]
ToParamsOption = Annotated[
    str | None,
    typer.Option(
        "--to-params",
        help="Parameters of the drifted concept as JSON (default: the generator's natural "
        "next concept).",
    ),
]
BatchesOption = Annotated[int, typer.Option("--batches", help="Number of files to split into.")]
BalanceOption = Annotated[
    bool, typer.Option("--balance", help="Exactly equal classes (classification).")
]
LabelNoiseOption = Annotated[
    float, typer.Option("--label-noise", help="Fraction of labels changed at random.")
]
StartOption = Annotated[
    str | None, typer.Option("--timestamp-start", help="Add a timestamp column from this date.")
]
StepOption = Annotated[
    str, typer.Option("--timestamp-step", help="Time between rows, e.g. 1h, 15min, 1D.")
]
BlocksOption = Annotated[
    int | None, typer.Option("--blocks", help="Add a block column with this many blocks.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite generated files already in --out.")
]


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


def stream(
    generator: GeneratorOption,
    out: OutOption,
    n: Annotated[int, typer.Option("--n", help="Number of rows.")] = 10000,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    params: ParamsOption = None,
    drift_at: DriftAtOption = None,
    drift_width: DriftWidthOption = 0,
    drift_kind: DriftKindOption = None,
    drift_duration: DriftDurationOption = None,
    to_params: ToParamsOption = None,
    batches: BatchesOption = 1,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    target: Annotated[str, typer.Option("--target", help="Name of the label column.")] = "target",
    balance: BalanceOption = False,
    label_noise: LabelNoiseOption = 0.0,
    start: StartOption = None,
    step: StepOption = "1h",
    blocks: BlocksOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Write a synthetic stream as ordered batch files plus drift_record.json."""
    from calmops.data_generators import Blocks, Timestamps

    n, batches = _check_sizes(fmt, n, batches)
    to = json_arg(to_params, "--to-params") if to_params else None
    schedule = _schedule(drift_kind, drift_at, drift_width, drift_duration, to)
    existing = _generated_files(out, force)
    options = dict(
        seed=seed,
        params=json_arg(params, "--params"),
        schedule=schedule,
        target=target,
        balance=True if balance else None,
        label_noise=label_noise,
        timestamps=Timestamps(start, step) if start else None,
        blocks=Blocks(n_blocks=blocks) if blocks else None,
    )
    data, record, files, bounds = _generate_and_write(
        generator, n, options, out, fmt, batches, existing
    )
    summary = _summary(generator, data, record, out, files, bounds)
    if as_json:
        emit_json(summary)
    else:
        _print_summary(summary, fmt, seed_given=seed is not None)


def _check_sizes(fmt: str, n: int, batches: int) -> tuple[int, int]:
    """The format is known and ``1 <= batches <= n``; returns ``(n, batches)``."""
    from calmops.data_generators._checks import check_choice, check_count

    check_choice("--format", fmt, FORMATS)
    n = check_count("--n", n, minimum=1)
    batches = check_count("--batches", batches, minimum=1)
    if batches > n:
        raise SpecError(f"--batches ({batches}) cannot exceed --n ({n})")
    return n, batches


def _generated_files(out: Path, force: bool) -> list[Path]:
    """Batch files already in ``out`` (to replace), refused without ``--force``."""
    existing = sorted(out.glob("batch_*.csv")) + sorted(out.glob("batch_*.parquet"))
    if (existing or (out / RECORD_NAME).exists()) and not force:
        raise SpecError(f"{out} already holds generated files; use --force to overwrite them")
    return existing


def _generate_and_write(
    generator: str,
    n: int,
    options: dict[str, Any],
    out: Path,
    fmt: str,
    batches: int,
    existing: list[Path],
):
    """Generate the stream and write its batches and record, with a progress bar."""
    from calmops.data_generators import generate_stream

    with progress() as bar:
        making = bar.add_task(f"generating {n} rows", total=None)
        data, record = generate_stream(generator, n, **options)
        bar.update(making, total=1, completed=1)
        task = bar.add_task("writing rows", total=n)
        files, bounds = _write_batches(
            data, out, fmt, batches, existing, lambda rows: bar.update(task, advance=rows)
        )
        record.to_json(out / RECORD_NAME)
    return data, record, files, bounds


def _write_batches(data, out: Path, fmt: str, batches: int, existing: list[Path], advance):
    """Split ``data`` into ``batches`` files named so they sort in order; (files, bounds)."""
    import numpy as np

    from calmops.data_generators._checks import exact_counts

    out.mkdir(parents=True, exist_ok=True)
    for old in existing:
        old.unlink()
    width = max(4, len(str(batches)))
    bounds = np.concatenate(([0], np.cumsum(exact_counts(len(data), np.ones(batches)))))
    files = []
    for i in range(batches):
        path = out / f"batch_{i + 1:0{width}d}.{fmt}"
        write_atomic(data.iloc[bounds[i] : bounds[i + 1]], path, fmt, advance)
        files.append(path)
    return files, bounds


def _summary(generator: str, data, record, out: Path, files: list[Path], bounds) -> dict[str, Any]:
    """What was written, with each drift's rows and batches (the ``--json`` output)."""
    import numpy as np

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
    return {
        "generator": generator,
        "rows": len(data),
        "seed": record.source["seed"],
        "columns": [str(c) for c in data.columns],
        "folder": str(out),
        "files": [p.name for p in files],
        "record": str(out / RECORD_NAME),
        "concepts": list(record.concepts),
        "drifts": drifts,
    }


def _print_summary(summary: dict[str, Any], fmt: str, *, seed_given: bool) -> None:
    c = console()
    files, out = summary["files"], summary["folder"]
    c.print(
        f"wrote {summary['rows']} rows of {summary['generator']} to {out}/ in {len(files)} "
        f"{fmt} file(s)",
        soft_wrap=True,
    )
    c.print(f"  files: {files[0]}" + (f" .. {files[-1]}" if len(files) > 1 else ""))
    for d in summary["drifts"]:
        where = (
            f"at row {d['onset_row']} (batch {d['onset_batch']})"
            if d["onset_row"] == d["end_row"]
            else f"over rows {d['onset_row']}-{d['end_row']} "
            f"(batches {d['onset_batch']}-{d['end_batch']})"
        )
        c.print(f"  {d['kind']} drift to concept {d['to_concept']} {where}", soft_wrap=True)
    if not summary["drifts"]:
        c.print("  no drift")
    if not seed_given:
        c.print(f"  seed: {summary['seed']} (give --seed to replay)", soft_wrap=True)
    c.print(f"  ground truth: {summary['record']}", soft_wrap=True)
