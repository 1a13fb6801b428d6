"""``calmops runs``: a group whose default is the listing (``calmops runs NAME``), with
``calmops runs prune NAME`` to remove old runs now (retention also prunes after each run).

A pipeline called ``prune`` or ``list`` is listed with ``calmops runs list NAME``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameArgument,
    console,
    emit_json,
    local_time,
    workspace,
)
from calmops.errors import CalmopsError

__all__ = ["parse_age", "prune", "runs_app"]

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|d|w)\s*$")
_DAYS = {"h": 1 / 24, "d": 1.0, "w": 7.0}
SHOWN = 20


class _RunsGroup(TyperGroup):
    """Anything but a subcommand name is the listing's: ``runs NAME`` = ``runs list NAME``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["list", *args]
        return super().parse_args(ctx, args)


runs_app = typer.Typer(
    cls=_RunsGroup,
    help="List a pipeline's runs (`calmops runs NAME`) or prune old ones "
    "(`calmops runs prune NAME`).",
    no_args_is_help=True,
)


def parse_age(text: str) -> float:
    """Days in an age such as ``30d``, ``12h`` or ``2w``.

    Examples
    --------
    >>> parse_age("30d"), parse_age("12h"), parse_age("2w")
    (30.0, 0.5, 14.0)
    """
    found = _AGE.match(text)
    if found is None or float(found.group(1)) <= 0:
        raise typer.BadParameter(f"{text!r}: give a positive age such as 30d, 12h or 2w")
    return float(found.group(1)) * _DAYS[found.group(2)]


def prune(
    ctx: typer.Context,
    name: NameArgument,
    keep: Annotated[
        int | None,
        typer.Option(
            "--keep", min=1, help="Keep the newest N runs (default: retention.keep_runs)."
        ),
    ] = None,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="Prune runs started longer ago than this: 30d, 12h, 2w "
            "(default: retention.keep_days).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be removed; remove nothing.")
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Remove old runs now: their store rows, report files and prediction logs.

    Never the ledger (their files stay processed), the runs that trained a model version,
    failed or paused runs `calmops retry` can still take up, or a running one."""
    from calmops.pipeline.retention import cutoff, prune_runs, sweep_reports

    days = None if older_than is None else parse_age(older_than)
    ws = workspace(ctx, home)
    retention = ws.spec(name).retention
    if keep is None and days is None:
        keep, days = retention.keep_runs, retention.keep_days
        if keep is None and days is None:
            raise CalmopsError(
                f"pipeline '{name}' keeps every run (retention.keep_runs and keep_days are "
                "null): give --keep N or --older-than 30d"
            )
    paths = ws.paths(name)
    done = prune_runs(ws.store, name, paths, keep=keep, before=cutoff(days), dry_run=dry_run)
    stale = sweep_reports(ws.store, name, paths, dry_run=dry_run)
    left = len(ws.store.runs.list(name, limit=10_000_000))
    _show(name, done, stale, left, as_json)


def _show(name: str, done: Any, stale: list, left: int, as_json: bool) -> None:
    runs = [
        {
            "run_id": run.id,
            "started_at": run.started_at.isoformat(),
            "status": run.status,
            "decision": run.decision,
        }
        for run in done.runs
    ]
    files = [str(path) for path in (*done.files, *stale)]
    if as_json:
        emit_json({"dry_run": done.dry_run, "runs": runs, "files": files, "runs_left": left})
        return
    out = console()
    verb = "Would remove" if done.dry_run else "Removed"
    if not runs and not files:
        out.print(f"Nothing to prune in '{name}': {left} run(s) kept.")
        return
    for row in runs[:SHOWN]:
        shown = local_time(row["started_at"])
        out.print(f"  {row['run_id']}  {shown}  {row['status']}  {row['decision'] or '—'}")
    if len(runs) > SHOWN:
        out.print(f"  … and {len(runs) - SHOWN} more")
    kept = left + len(runs) if done.dry_run else left
    out.print(
        f"{verb} {len(runs)} run(s) of '{name}' and {len(files)} file(s) "
        f"({len(stale)} report(s) of runs no longer in the store); {kept} run(s) kept."
    )
