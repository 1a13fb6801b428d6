"""The runs of one ``calmops run`` pass: run them with progress shown, then list them."""

from __future__ import annotations

from pathlib import Path

from calmops.cli.output import console, emit_json, err_console

__all__ = ["run_with_progress", "show_results"]


def run_with_progress(runner, files: list[Path], chunked: bool = True) -> list:
    """Run the files (or their chunks) with a progress bar on a terminal, log lines elsewhere."""
    from calmops.cli.progress import RunProgress

    with RunProgress(err_console()) as shown:
        return runner.run_files(files, shown.step, shown.batch, chunked=chunked)


def show_results(results: list, as_json: bool) -> None:
    """The runs of one pass: JSON for scripts, or a table (the reason unless no drift)."""
    if as_json:
        emit_json([vars(r) for r in results])
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("file", "status", "decision", "champion", "why"):
        table.add_column(column, overflow="fold")
    for r in results:
        champion = "—" if r.champion_version is None else f"v{r.champion_version}"
        quiet = r.decision == "no_drift"  # the reason only lists quiet signals
        table.add_row(
            Path(r.source).name if r.source else "—",
            r.status,
            r.decision or "—",
            champion,
            "" if quiet else (r.reason or ""),
        )
    console().print(table)
