"""`calmops privacy ...`: anonymize a table for release, and report how private a release is.

``anonymize`` applies a privacy YAML (pseudonymize, generalize, k-anonymity, shuffle, noise,
in that order) and writes the result atomically: on any error no output file appears.
``report`` measures a released table against its original. Errors (a missing key, an unknown
column, k larger than the table) are one line with exit code 1. Heavy libraries are imported
inside the commands, so ``calmops --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import JsonOption, console, emit_json, err_console

if TYPE_CHECKING:
    from calmops.privacy import PrivacyReport, Release

__all__ = ["privacy_app", "register"]

privacy_app = typer.Typer(
    help="Anonymize tables for release and measure their privacy.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``privacy`` group to the root app."""
    privacy_app.command("anonymize")(anonymize_command)
    privacy_app.command("report")(report_command)
    app.add_typer(privacy_app, name="privacy")


InputArgument = Annotated[
    Path, typer.Argument(help="Table to anonymize (csv, parquet, json, xlsx...).", metavar="IN")
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Privacy YAML (pseudonymize, generalize, ..., noise)."),
]
ColumnsOption = Annotated[str | None, typer.Option(help="Columns (comma-separated).")]
OutOption = Annotated[Path, typer.Option("--out", help="Output file (.csv or .parquet).")]
KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file", help="Pseudonymization key file (else the config's key_file or key_env)."
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of shuffling, noise and attacks.")]


def anonymize_command(
    source: InputArgument,
    out: OutOption,
    config: ConfigOption = None,
    pseudonymize: Annotated[
        str | None, typer.Option("--pseudonymize", help="Identifier columns (comma-separated).")
    ] = None,
    quasi_identifiers: Annotated[
        str | None,
        typer.Option("--quasi-identifiers", help="k-anonymity over these (comma-separated)."),
    ] = None,
    k: Annotated[int | None, typer.Option("--k", help="Smallest class size kept.")] = None,
    shuffle: Annotated[
        str | None, typer.Option("--shuffle", help="Columns to permute (comma-separated).")
    ] = None,
    key_file: KeyFileOption = None,
    seed: SeedOption = 0,
    json_output: JsonOption = False,
) -> None:
    """Apply a privacy config (a YAML, options, or both: options replace the YAML's
    columns) to a table and write the release atomically."""
    from calmops.errors import SpecError
    from calmops.io import read_table
    from calmops.privacy import (
        PrivacyConfig,
        anonymize,
        load_config,
        load_key,
        release_format,
        write_release,
    )

    release_format(out)
    spec = load_config(config) if config is not None else PrivacyConfig()
    spec = spec.with_options(
        pseudonymize=_names(pseudonymize),
        quasi_identifiers=_names(quasi_identifiers),
        k=k,
        shuffle=_names(shuffle),
    )
    if spec == PrivacyConfig():
        raise SpecError(
            "nothing to do: give --config privacy.yaml or options such as "
            "--pseudonymize id --quasi-identifiers age,zip --k 5"
        )
    frame = read_table(source)
    key = load_key(key_file=key_file) if key_file is not None and spec.pseudonymize else None
    release = anonymize(frame, spec, key=key, seed=seed)
    write_release(release.frame, out)
    if json_output:
        emit_json({**release.to_dict(), "out": str(out)})
    else:
        _print_release(release, out)


def _names(text: str | None) -> list[str] | None:
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    return names or None


def _print_release(release: Release, out: Path) -> None:
    from rich.markup import escape

    lines = [f"{release.rows_in} rows in, {len(release.frame)} released to {out}"]
    steps = release.steps
    if "pseudonymize" in steps:
        lines.append(f"pseudonymized: {', '.join(steps['pseudonymize']['columns'])}")
    if "generalize" in steps:
        lines.append(f"generalized: {', '.join(steps['generalize'])}")
    if "k_anonymity" in steps:
        k = steps["k_anonymity"]
        lines.append(
            f"k-anonymity k={k['k']}: {k['rows_suppressed']} rows suppressed "
            f"({k['share_suppressed']:.1%}, {k['classes_suppressed']} classes)"
        )
    if "shuffle" in steps:
        lines.append(f"shuffled: {', '.join(steps['shuffle']['columns'])}")
    if "noise" in steps:
        noise = steps["noise"]
        lines.append(
            f"noise on {', '.join(noise['columns'])}: epsilon spent {noise['epsilon_spent']:g}"
            + (f", delta {noise['delta_spent']:g}" if noise["delta_spent"] else "")
        )
    for line in lines:
        console().print(escape(line))


OriginalArgument = Annotated[
    Path, typer.Argument(help="The original table.", metavar="ORIGINAL", show_default=False)
]
ReleasedArgument = Annotated[
    Path, typer.Argument(help="The released table.", metavar="RELEASED", show_default=False)
]
QuasiOption = Annotated[
    str | None,
    typer.Option("--quasi-identifiers", help="Columns an attacker may know (comma-separated)."),
]
SensitiveOption = Annotated[
    str | None, typer.Option("--sensitive", help="Column whose l-diversity is measured.")
]
HtmlOption = Annotated[
    Path | None, typer.Option("--html", help="Also write a self-contained HTML report here.")
]
AttacksOption = Annotated[
    bool,
    typer.Option(
        "--anonymeter", help="Also run anonymeter's attacks (needs calmops[privacy-risk])."
    ),
]
ControlOption = Annotated[
    Path | None,
    typer.Option("--control", help="Original rows held out of the release (for anonymeter)."),
]


def report_command(
    original: OriginalArgument,
    released: ReleasedArgument,
    quasi_identifiers: QuasiOption = None,
    sensitive: SensitiveOption = None,
    k: Annotated[int, typer.Option("--k", help="Class size a row needs not to be at risk.")] = 5,
    html: HtmlOption = None,
    anonymeter: AttacksOption = False,
    control: ControlOption = None,
    seed: SeedOption = 0,
    json_output: JsonOption = False,
) -> None:
    """Measure a released table against its original: k-anonymity, l-diversity, rows at risk,
    exact and near copies, distance to the closest record."""
    from calmops.io import read_table
    from calmops.privacy import privacy_report

    report = privacy_report(
        read_table(original),
        read_table(released),
        _names(quasi_identifiers),
        sensitive,
        k=k,
        attacks=anonymeter,
        control=read_table(control) if control is not None else None,
        seed=seed,
    )
    if html is not None:
        report.save_html(html, title=f"Privacy: {released.name} against {original.name}")
    if json_output:
        emit_json(report.to_dict())
        return
    _print_report(report)
    if html is not None:
        err_console().print(f"HTML report written to {html}")


def _print_report(report: PrivacyReport) -> None:
    from rich.markup import escape

    out = console()
    data: dict[str, Any] = report.to_dict()
    out.print(f"{report.n_original} original rows, {report.n_released} released rows")
    classes = data["released_classes"]
    if classes is not None:
        qis = escape(", ".join(classes["quasi_identifiers"]))
        out.print(
            f"k-anonymity {classes['k_anonymity']} over {qis}"
            f" ({classes['n_classes']} classes); rows at risk (class < {report.k}): "
            f"{classes['rows_at_risk']} ({classes['share_at_risk']:.1%})"
        )
        if classes["l_diversity"] is not None:
            out.print(
                f"l-diversity of {escape(classes['sensitive'])}: "
                f"{classes['l_diversity']} distinct, "
                f"{classes['entropy_l_diversity']:.3g} entropy"
            )
    near = data["closeness"]
    dcr = near["dcr"]
    out.print(
        f"exact matches {near['exact_matches']}, near duplicates {near['near_duplicates']}; "
        f"distance to closest record: median {dcr.get('median', float('nan')):.3g}, "
        f"min {dcr.get('min', float('nan')):.3g} (originals to each other: median "
        f"{near['original_nn'].get('median', float('nan')):.3g})"
    )
    attacks = data["attacks"]
    if attacks.get("available"):
        for name in ("singling_out", "linkability", "inference"):
            if name in attacks:
                low, high = attacks[name]["ci"]
                out.print(
                    f"{name.replace('_', ' ')} risk {attacks[name]['risk']:.3f} "
                    f"[{low:.3f}, {high:.3f}]"
                )
    elif attacks.get("available") is False:
        out.print(f"[dim]anonymeter: {escape(attacks['reason'])}[/]")
    findings = report.findings
    style = "bold red" if findings else "bold green"
    for finding in findings or [report.all_clear]:
        out.print(f"[{style}]{escape(finding)}[/]")
