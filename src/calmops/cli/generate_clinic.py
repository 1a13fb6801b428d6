"""``calmops generate clinic``: a longitudinal clinical/omics cohort with its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.output import JsonOption, console, emit_json, progress
from calmops.errors import SpecError

__all__ = ["clinic"]

OutOption = Annotated[Path, typer.Option("--out", "-o", help="Folder to write the cohort to.")]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Cohort spec (YAML); the options below override it."),
]
LayoutOption = Annotated[
    str,
    typer.Option(
        "--layout",
        help="wide (one table), tables (clinical, genes, proteins joined by patient_id and "
        "visit) or visits (one wide file per visit).",
    ),
]


def clinic(
    out: OutOption,
    patients: Annotated[int | None, typer.Option("--patients", help="Patients.")] = None,
    genes: Annotated[int | None, typer.Option("--genes", help="Genes G_0...")] = None,
    proteins: Annotated[int | None, typer.Option("--proteins", help="Proteins P_0...")] = None,
    visits: Annotated[int | None, typer.Option("--visits", help="Visits per patient.")] = None,
    config: ConfigOption = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    layout: LayoutOption = "wide",
    force: Annotated[bool, typer.Option("--force", help="Replace files already there.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a cohort (demographics, genes, proteins, target per visit) and drift_record.json."""
    from calmops.data_generators._checks import check_choice
    from calmops.data_generators.clinic import LAYOUTS, generate_cohort, load_config

    check_choice("--format", fmt, ("csv", "parquet"))
    check_choice("--layout", layout, LAYOUTS)
    spec = _spec(config, patients, genes, proteins, visits)
    cohort_config = load_config(spec)
    with progress() as bar:
        task = bar.add_task(f"generating {cohort_config.patients} patients", total=None)
        cohort = generate_cohort(cohort_config, seed=seed)
        bar.update(task, description="writing", total=1, completed=0)
        paths = cohort.save(out, layout=layout, fmt=fmt, overwrite=force)
        bar.update(task, completed=1)
    summary = _summary(cohort, paths)
    if as_json:
        emit_json(summary)
        return
    _print(summary, seed_given=seed is not None)


def _spec(config: Path | None, patients, genes, proteins, visits) -> dict[str, Any]:
    import yaml

    spec: dict[str, Any] = {}
    if config is not None:
        try:
            spec = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise SpecError(f"--config {config}: no such file") from None
        except yaml.YAMLError:
            raise SpecError(f"--config {config}: invalid YAML") from None
        if not isinstance(spec, dict):
            raise SpecError(f"--config {config}: a cohort spec must be a mapping of fields")
    for key, value in (("patients", patients), ("visits", visits)):
        if value is not None:
            spec[key] = value
    for key, value in (("genes", genes), ("proteins", proteins)):
        if value is not None:
            spec[key] = {**(spec.get(key) or {}), "count": value}
    return spec


def _summary(cohort, paths: list[Path]) -> dict[str, Any]:
    record = cohort.record
    return {
        "patients": cohort.config.patients,
        "visits": cohort.config.visits,
        "genes": cohort.config.genes.count,
        "proteins": cohort.config.proteins.count,
        "rows": record.n_rows,
        "seed": record.source["seed"],
        "groups": record.source["group_sizes"],
        "files": [str(p) for p in paths],
        "changes": [
            {
                "operation": e.operation,
                "visit": e.params.get("visit"),
                "columns": len(e.columns),
                "rows": int((e.weight > 0).sum()),
                **({"from": e.params["from"], "to": e.params["to"]} if "to" in e.params else {}),
            }
            for e in record.events
        ],
    }


def _print(summary: dict[str, Any], *, seed_given: bool) -> None:
    c = console()
    c.print(
        f"wrote a cohort of {summary['patients']} patients x {summary['visits']} visit(s) "
        f"({summary['genes']} genes, {summary['proteins']} proteins):",
        soft_wrap=True,
    )
    for path in summary["files"]:
        c.print(f"  {path}", soft_wrap=True)
    first = next(iter(summary["groups"].values()))
    c.print("  groups at visit 1: " + ", ".join(f"{k} {v}" for k, v in first.items()))
    for change in summary["changes"]:
        what = (
            f"{change['from']} -> {change['to']}"
            if "to" in change
            else f"{change['operation']} on {change['columns']} column(s)"
        )
        c.print(f"  visit {change['visit']}: {what} ({change['rows']} rows)", soft_wrap=True)
    if not seed_given:
        c.print(f"  seed: {summary['seed']} (give --seed to replay)", soft_wrap=True)
