"""``calmops generate evaluate REAL SYNTH``: how faithful, useful and private a synthetic table is.

Prints the headline numbers of :func:`calmops.data_generators.evaluate`, each with what it
measures and which direction is good (``--json``: the whole report as a dict; ``--html``:
the self-contained page). Exit code 0 whatever the numbers; 1 on unreadable files or
mismatched columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calmops.cli.output import JsonOption, console, emit_json, err_console, progress

if TYPE_CHECKING:
    from calmops.data_generators import EvaluationReport

__all__ = ["evaluate_command"]

RealArgument = Annotated[
    Path,
    typer.Argument(
        help="The real table the synthesizer learned.", show_default=False, metavar="REAL"
    ),
]
SynthArgument = Annotated[
    Path,
    typer.Argument(help="The synthetic table (same columns).", show_default=False, metavar="SYNTH"),
]
HoldoutOption = Annotated[
    Path | None,
    typer.Option(
        "--holdout", help="Real rows the synthesizer never saw (utility, DCR closer-to-train)."
    ),
]
TargetOption = Annotated[
    str | None,
    typer.Option("--target", help="Column to predict for utility (TRTR vs TSTR; needs --holdout)."),
]
HtmlOption = Annotated[
    Path | None, typer.Option("--html", help="Also write a self-contained HTML report here.")
]


def evaluate_command(
    real: RealArgument,
    synth: SynthArgument,
    holdout: HoldoutOption = None,
    target: TargetOption = None,
    as_json: JsonOption = False,
    html: HtmlOption = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of subsamples and models.")] = 0,
) -> None:
    """Score a synthetic table against the real one: fidelity, detection, utility, privacy."""
    from calmops.data_generators import evaluate
    from calmops.io import read_table

    with progress() as bar:
        task = bar.add_task("evaluating", total=2)
        tables = [read_table(path) for path in (real, synth)]
        held = read_table(holdout) if holdout is not None else None
        bar.update(task, advance=1)
        report = evaluate(tables[0], tables[1], held, target=target, seed=seed)
        bar.update(task, advance=1)
    if html is not None:
        report.save_html(html, title=f"Synthetic data: {synth.name} against {real.name}")
    if as_json:
        emit_json(report.to_dict())
        return
    _print(report, real, synth)
    if html is not None:
        err_console().print(f"HTML report written to {html}")


def _print(report: EvaluationReport, real: Path, synth: Path) -> None:
    from rich.table import Table

    from calmops.data_generators.evaluation import HEADLINES

    numbers = report.headline()
    privacy = report.privacy
    beside = {
        "privacy.exact_copies": privacy.holdout_exact_copies,
        "privacy.dcr_5th_percentile": privacy.holdout_dcr_5th_percentile,
    }
    rows = report.rows
    title = (
        f"{synth.name} ({rows['synthetic']} rows) against {real.name} ({rows['real']} rows"
        + (f", holdout {rows['holdout']}" if rows["holdout"] is not None else "")
        + ")"
    )
    table = Table(title=title, title_justify="left")
    for header, justify in (("measure", "left"), ("value", "right"), ("holdout", "right")):
        table.add_column(header, justify=justify, no_wrap=True)
    table.add_column("what it is", overflow="fold")
    table.add_column("good is", overflow="fold")
    for key, (meaning, direction) in HEADLINES.items():
        table.add_row(key, _num(numbers[key]), _num(beside.get(key)), meaning, direction)
    c = console()
    c.print(table)
    if report.utility is None:
        c.print("utility not measured: give --holdout and --target", style="dim")
    else:
        c.print(
            f"utility: {report.utility.task} of {report.utility.target!r}, "
            f"{report.utility.metric} on the holdout",
            style="dim",
        )
    if rows["holdout"] is None:
        c.print("dcr_closer_to_train needs --holdout", style="dim")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
