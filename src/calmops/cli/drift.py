"""`calmops drift REF CUR`: a standalone drift report between two data files.

The exit code is 0 whether or not drift is found (drift is a finding, not a failure; read
``drift_detected`` from ``--json`` in scripts), 3 when drift is found under
``--fail-on-drift`` (for CI jobs), 1 on errors (unreadable file, unknown test, bad option,
no column in common) and 2 on usage errors. Columns given a role (``--id-column``,
``--time-column``, ``--exclude``, ``--target``) are not tested; columns that look like ids
or times without one are named in warnings (and in ``--json`` as ``role_hint`` findings),
never skipped silently. Heavy libraries are imported inside the command, so
``calmops --help`` stays fast.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import JsonOption, console, emit_json, err_console, progress

if TYPE_CHECKING:
    import pandas as pd

    from calmops.cli.drift_labels import LabelDrift
    from calmops.drift import DriftReport

__all__ = ["DRIFT_EXIT_CODE", "drift_command", "register"]

#: exit code of ``--fail-on-drift`` when drift is found
DRIFT_EXIT_CODE = 3
#: role hints look at this many rows of the reference (ids and times show early)
HINT_ROWS = 100_000
_FLAGS = {"id_columns": "--id-column", "time_column": "--time-column"}
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
    Path,
    typer.Argument(
        help="Current data file, or a folder of Parquet files (read slice by slice: it may be "
        "larger than memory).",
        show_default=False,
        metavar="CUR_FILE",
    ),
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
TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target", help="Label column: not a tested feature; its own label drift is reported."
    ),
]
MultivariateOption = Annotated[
    str | None,
    typer.Option("--multivariate", help="Also run mmd and/or classifier (comma-separated)."),
]
DatasetRuleOption = Annotated[
    str | None,
    typer.Option(
        "--dataset-rule",
        help="any: one column that drifts significantly and materially is dataset drift; "
        "share: --drift-share of the columns must [default: any].",
        show_default=False,
    ),
]
DriftShareOption = Annotated[
    float | None,
    typer.Option(
        "--drift-share",
        help="Share of the tested columns that must drift for dataset drift "
        "(implies --dataset-rule share) [default: 0.5 under share].",
        show_default=False,
    ),
]
FailOnDriftOption = Annotated[
    bool,
    typer.Option("--fail-on-drift", help=f"Exit with code {DRIFT_EXIT_CODE} when drift is found."),
]
IdColumnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--id-column", help="Identifier column, not tested (repeatable).", metavar="COLUMN"
    ),
]
TimeColumnOption = Annotated[
    str | None,
    typer.Option("--time-column", help="Event-time column, not tested.", metavar="COLUMN"),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Column not to test (repeatable).", metavar="COLUMN"),
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
    id_columns: IdColumnOption = None,
    time_column: TimeColumnOption = None,
    exclude: ExcludeOption = None,
    multivariate: MultivariateOption = None,
    dataset_rule: DatasetRuleOption = None,
    drift_share: DriftShareOption = None,
    fail_on_drift: FailOnDriftOption = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random choice.")] = 0,
) -> None:
    """Compare two data files for drift: one test per column, corrected p-values, effect
    sizes, data-quality findings and a dataset verdict. Exit code 0 with or without drift
    (3 with --fail-on-drift when drift is found)."""
    rule, share = _dataset_rule(dataset_rule, drift_share)
    roles = [*(id_columns or []), *([time_column] if time_column else []), *(exclude or [])]
    options = dict(
        numeric_test=numeric_test,
        categorical_test=categorical_test,
        alpha=alpha,
        correction=correction,
        drift_share=share,
        dataset_rule=rule,
        columns=_names(columns),
        exclude=[*roles, *([target] if target else [])],
        multivariate=_names(multivariate) or (),
        distributions=html is not None,
        seed=seed,
    )
    report, label = _run(reference, current, options, target, show_progress=not json_output)
    if html is not None:
        from calmops.drift.html import write_html

        write_html(
            report,
            html,
            title=f"Drift: {reference.name} → {current.name}",
            label=None if label is None else label.to_dict(),
        )
    if json_output:
        payload = report.to_dict()
        if target:
            payload["label_drift"] = None if label is None else label.to_dict()
        emit_json(payload)
    else:
        _print(report, label)
        if html is not None:
            err_console().print(f"HTML report written to {html}")
    if fail_on_drift and (report.drift_detected or (label is not None and label.drift)):
        raise typer.Exit(DRIFT_EXIT_CODE)


def _dataset_rule(rule: str | None, share: float | None) -> tuple[str, float]:
    """The rule and share to use: ``--drift-share`` alone means the share rule."""
    if share is None:
        return rule or "any", 0.5
    if not 0 < share <= 1:
        raise typer.BadParameter(
            f"must be above 0 and at most 1, got {share:g}", param_hint="--drift-share"
        )
    if rule == "any":
        raise typer.BadParameter(
            "--drift-share applies to --dataset-rule share, not any; drop one of them",
            param_hint="--drift-share",
        )
    return "share", share


def _run(
    reference: Path,
    current: Path,
    options: dict[str, Any],
    target: str | None,
    *,
    show_progress: bool,
) -> tuple[DriftReport, LabelDrift | None]:
    """Read, profile and test (with a progress bar on a terminal), then add the role hints;
    with ``target``, the label drift too (None, with a finding, when a side has no labels)."""
    from dataclasses import replace

    from calmops.cli.drift_current import current_labels, read_current
    from calmops.drift import Profile
    from calmops.drift.compare import compare, reference_profile

    with progress() if show_progress else nullcontext() as bar:
        step = _Steps(bar)
        step(f"reading {reference.name}")
        ref = _reference(reference)
        hints = None if isinstance(ref, Profile) else _role_hints(ref, options)
        labels = _labels_of(ref, target)
        if not isinstance(ref, Profile):
            # profiled before the current file is read, so both tables are never in memory
            step("profiling the reference")
            ref = reference_profile(
                ref, options["columns"], options["exclude"], seed=options["seed"]
            )
        step(f"reading {current.name}")
        cur, head = read_current(current, ref, options, HINT_ROWS)
        if hints is None:
            hints = _role_hints(head, options)
        total = len(ref.columns)
        report = compare(ref, cur, on_column=step.column(total), **options)
        label, missing = None, []
        if target:
            step("comparing the labels")
            label, missing = _label_drift(
                labels, current_labels(current, cur, target), target, options
            )
    return replace(report, quality=(*hints, *missing, *report.quality)), label


def _labels_of(ref: Any, target: str | None) -> Any:
    """The reference's label column (None without one, or from a saved profile)."""
    from calmops.drift import Profile

    if not target or isinstance(ref, Profile) or target not in ref.columns:
        return None
    return ref[target].copy()


def _label_drift(
    labels: Any, cur: pd.Series | None, target: str, options: dict[str, Any]
) -> tuple[LabelDrift | None, list[Any]]:
    """The label drift, or a warning finding saying which side has no labels."""
    from calmops.cli.drift_labels import label_drift
    from calmops.drift.quality import Finding

    side = "the reference" if labels is None else None
    side = side or (None if cur is not None else "the current file")
    if side is not None:
        why = f"{side} has no column {target!r}" + (
            " (a saved profile keeps no labels)" if labels is None else ""
        )
        message = f"label drift not tested: {why}"
        return None, [Finding("label_missing", target, "warning", message, {})]
    found = label_drift(
        labels,
        cur,
        alpha=options["alpha"],
        correction=options["correction"],
        seed=options["seed"],
    )
    return found, []


class _Steps:
    """The phases of one ``drift`` command on a progress bar (a no-op without one)."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.task = None if bar is None else bar.add_task("starting", total=None)

    def __call__(self, description: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=description)

    def column(self, total: int) -> Any:
        if self.bar is None:
            return None
        self.bar.update(self.task, description="testing columns", total=total, completed=0)
        return lambda _name: self.bar.advance(self.task)


def _role_hints(frame: pd.DataFrame, options: dict[str, Any]) -> list[Any]:
    """Warnings for the columns to test that look like ids or times and have no role."""
    from calmops.drift.quality import Finding
    from calmops.io.roles import role_hints

    frame = frame.head(HINT_ROWS).rename(columns=str)
    wanted = options["columns"]
    if wanted is not None:
        frame = frame[[c for c in frame.columns if c in wanted]]
    return [
        Finding(
            "role_hint",
            hint.column,
            "warning",
            hint.message(_FLAGS[hint.role]),
            {"role": hint.role, "why": hint.why},
        )  # fmt: skip
        for hint in role_hints(frame, options["exclude"])
    ]


def _reference(path: Path) -> Any:
    """A saved profile folder as a Profile, any other path as a table."""
    from calmops.drift import Profile
    from calmops.io import read_table

    if path.is_dir() and (path / "profile.json").exists():
        return Profile.load(path)
    return read_table(path)


def _print(report: DriftReport, label: LabelDrift | None = None) -> None:
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
    for severity, message in _findings(report):
        style = {"error": "red", "warning": "yellow"}.get(severity, "dim")
        out.print(f"[{style}]{severity}[/]: {escape(message)}")
    for name, why in report.skipped.items():
        if why != MISSING:
            out.print(f"[dim]not tested[/]: {escape(name)} ({escape(why)})")
    style = "bold red" if report.drift_detected else "bold green"
    out.print(f"[{style}]{escape(report.reason)}[/]")
    if label is not None:
        from calmops.cli.drift_labels import label_lines

        style = "bold red" if label.drift else "bold green"
        first, *rest = label_lines(label)
        out.print(f"[{style}]{escape(first)}[/]")
        for line in rest:
            out.print(escape(line))


#: the reason ``compare`` gives for a reference column absent from the current data
MISSING = "missing from the current data"
_GROUPED = {
    "missing_column": ("error", "columns only in the reference, not compared"),
    "new_column": ("info", "columns only in the current file, not tested"),
}


def _findings(report: DriftReport) -> list[tuple[str, str]]:
    """(severity, message) of each finding, the columns missing on either side as one line
    per side."""
    out = []
    for kind, (severity, what) in _GROUPED.items():
        names = [f.column for f in report.quality if f.kind == kind]
        if names:
            shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
            out.append((severity, f"{len(names)} {what}: {shown}"))
    out += [(f.severity, f.message) for f in report.quality if f.kind not in _GROUPED]
    return out
