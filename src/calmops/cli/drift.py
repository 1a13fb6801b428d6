"""`calmops drift REF CUR`: a standalone drift report between two data files.

The exit code is 0 whether or not drift is found (drift is a finding, not a failure; read
``drift_detected`` from ``--json`` in scripts) and 1 on errors (unreadable file, unknown
test, bad option). Heavy libraries are imported inside the command, so ``calmops --help``
stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import JsonOption, console, emit_json, err_console, progress

if TYPE_CHECKING:
    from calmops.drift import DriftReport

__all__ = ["drift_command", "register"]

#: show a progress bar from this many columns on
WIDE = 20
_SHORT = {"wasserstein": "W", "jensen_shannon": "JS", "psi": "PSI"}


def register(app: typer.Typer) -> None:
    """Add the `drift` command to the root app."""
    app.command("drift")(drift_command)


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


ReferenceArgument = Annotated[
    Path,
    typer.Argument(
        help="Reference data file (csv, parquet, json, arff, xlsx...) or a saved profile folder.",
        show_default=False,
        metavar="REF_FILE",
    ),
]
CurrentArgument = Annotated[
    Path, typer.Argument(help="Current data file.", show_default=False, metavar="CUR_FILE")
]
HtmlOption = Annotated[
    Path | None, typer.Option("--html", help="Also write a self-contained HTML report here.")
]
CorrectionOption = Annotated[
    str, typer.Option("--correction", help="none, bonferroni, holm or bh.")
]
NumericTestOption = Annotated[
    str | None,
    typer.Option("--numeric-test", help="Force a test for numeric columns (e.g. ks, psi)."),
]
CategoricalTestOption = Annotated[
    str | None,
    typer.Option("--categorical-test", help="Force a test for categorical columns (e.g. chi2)."),
]
ColumnsOption = Annotated[
    str | None, typer.Option("--columns", help="Only these columns (comma-separated).")
]
TargetOption = Annotated[str | None, typer.Option("--target", help="Label column to leave out.")]
MultivariateOption = Annotated[
    str | None,
    typer.Option("--multivariate", help="Also run mmd and/or classifier (comma-separated)."),
]
DatasetRuleOption = Annotated[
    str,
    typer.Option(
        "--dataset-rule",
        help="any: one column that drifts significantly and materially is dataset drift; "
        "share: --drift-share of the columns must.",
    ),
]
DriftShareOption = Annotated[
    float,
    typer.Option("--drift-share", help="With --dataset-rule share: share of columns needed."),
]


def drift_command(
    reference: ReferenceArgument,
    current: CurrentArgument,
    json_output: JsonOption = False,
    html: HtmlOption = None,
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level.")] = 0.05,
    correction: CorrectionOption = "holm",
    numeric_test: NumericTestOption = None,
    categorical_test: CategoricalTestOption = None,
    columns: ColumnsOption = None,
    target: TargetOption = None,
    multivariate: MultivariateOption = None,
    dataset_rule: DatasetRuleOption = "any",
    drift_share: DriftShareOption = 0.5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random choice.")] = 0,
) -> None:
    """Compare two data files for drift: one test per column, corrected p-values, effect
    sizes, data-quality findings and a dataset verdict. Exit code 0 with or without drift."""
    from calmops.io import read_table

    ref = _reference(reference)
    cur = read_table(current)
    options = dict(
        numeric_test=numeric_test,
        categorical_test=categorical_test,
        alpha=alpha,
        correction=correction,
        drift_share=drift_share,
        dataset_rule=dataset_rule,
        columns=_names(columns),
        exclude=[target] if target else [],
        multivariate=_names(multivariate) or (),
        distributions=html is not None,
        seed=seed,
    )
    report = _compare(ref, cur, options, show_progress=not json_output)
    if html is not None:
        from calmops.drift.html import write_html

        write_html(report, html, title=f"Drift: {reference.name} → {current.name}")
    if json_output:
        emit_json(report.to_dict())
        return
    _print(report)
    if html is not None:
        err_console().print(f"HTML report written to {html}")


def _reference(path: Path) -> Any:
    """A saved profile folder as a Profile, any other path as a table."""
    from calmops.drift import Profile
    from calmops.io import read_table

    if path.is_dir() and (path / "profile.json").exists():
        return Profile.load(path)
    return read_table(path)


def _compare(ref: Any, cur: Any, options: dict[str, Any], *, show_progress: bool) -> DriftReport:
    """``compare(ref, cur)``, with a progress bar over the columns of a wide table."""
    from calmops.drift import Profile, compare

    n_columns = len(ref.columns) if isinstance(ref, Profile) else ref.shape[1]
    if n_columns < WIDE or not show_progress:
        return compare(ref, cur, **options)
    with progress() as bar:
        task = bar.add_task("testing columns", total=n_columns)
        return compare(ref, cur, on_column=lambda _: bar.advance(task), **options)


def _print(report: DriftReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    colours = {"drift": "bold red", "warning": "yellow", "no_drift": "green"}
    table = Table(title=f"{report.n_reference} reference rows vs {report.n_current} current rows")
    for header in ("column", "kind", "test", "statistic", "p-value", "effect size", "verdict"):
        justify = "right" if header in ("statistic", "p-value") else "left"
        table.add_column(header, justify=justify, no_wrap=header in ("test", "verdict"))
    for name, f in report.features.items():
        effects = ", ".join(
            f"{_SHORT.get(k, k)} {v:.3f}" for k, v in f.effect_sizes.items() if k != f.test
        )
        table.add_row(
            escape(name),
            f.kind,
            f.test,
            f"{f.statistic:.4g}",
            "—" if f.p_value is None else f"{f.p_value:.3g}",
            effects,
            f"[{colours[f.verdict.value]}]{f.verdict.value}[/]",
        )
    out = console()
    out.print(table)
    for m in report.multivariate.values():
        p = "—" if m.p_value is None else f"{m.p_value:.3g}"
        out.print(
            f"multivariate {m.method}: statistic {m.statistic:.4g}, p-value {p}, "
            f"[{colours[m.verdict.value]}]{m.verdict.value}[/]"
        )
    for finding in report.quality:
        style = {"error": "red", "warning": "yellow"}.get(finding.severity, "dim")
        out.print(f"[{style}]{finding.severity}[/]: {escape(finding.message)}")
    for name, why in report.skipped.items():
        out.print(f"[dim]not tested[/]: {escape(name)} ({escape(why)})")
    style = "bold red" if report.drift_detected else "bold green"
    out.print(f"[{style}]{escape(report.reason)}[/]")
