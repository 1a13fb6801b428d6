"""Watching monitors: ``calmops status`` (state, pid, uptime, trigger, last run, pending
files, next tick) and ``calmops logs`` (last lines, level and text filters, ``-f``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameArgument,
    console,
    emit_json,
    err_console,
    local_time,
    workspace,
)

__all__ = ["logs", "status"]


# ---- status ----------------------------------------------------------------------------


def status(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="Pipeline name (default: all).", show_default=False)
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 (saying why) unless the monitor runs with a usable data folder, "
            "retraining is not paused, the last run did not fail and nothing needs attention.",
        ),
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Show whether monitors run: state, pid, uptime, trigger, last run, pending, next tick."""
    from calmops.monitor.status import pipeline_status

    ws = workspace(ctx, home)
    names = [name] if name else [r.name for r in ws.list()]
    rows = [pipeline_status(ws, each, count_pending=not check) for each in names]
    unhealthy = [(r.name, why) for r in rows for why in _unhealthy(r)]
    if as_json:
        emit_json(rows[0].to_dict() if name else [r.to_dict() for r in rows])
    elif name:
        _status_detail(rows[0])
    elif not rows:
        err_console().print(f"No pipelines in {ws.home}.")
    else:
        _status_table(rows)
    if check and (not rows or unhealthy):
        for pipeline, why in unhealthy:
            err_console().print(f"check failed: {pipeline}: {why}", markup=False)
        raise typer.Exit(code=1)


def _unhealthy(s: Any) -> list[str]:
    """Why ``status --check`` fails for one pipeline (empty: healthy)."""
    found = []
    if s.state not in ("running", "paused"):  # paused: said below, with the breaker
        found.append(f"the monitor is {s.state}")
    if s.breaker == "open":
        found.append("the circuit breaker is open: retraining is paused")
    if s.last_run and s.last_run.get("status") == "failed":
        found.append(f"the last run failed: {s.last_run.get('error') or 'see calmops runs'}")
    if s.problem:
        found.append(s.problem)
    found.extend(s.attention)
    return found


def _status_detail(s: Any) -> None:
    out = console()
    colour = {"running": "green", "paused": "yellow", "failed": "red"}.get(s.state, "dim")
    pid = f" (pid {s.pid}, {s.mode})" if s.pid else ""
    out.print(f"[bold]{s.name}[/]  [{colour}]{s.state}[/]{pid}")
    lines = [
        ("where", _where(s)),
        ("uptime", _duration(s.uptime_seconds)),
        ("trigger", s.trigger),
        ("next tick", _moment(s.next_tick)),
        ("problem", s.problem),
        ("running", s.current),
        ("queued", str(s.queued) if s.queued else None),
        ("pending", None if s.pending is None else f"{s.pending} files"),
        ("last run", _last(s.last_run)),
        ("breaker", None if s.breaker == "closed" else f"{s.breaker} (`calmops resume`)"),
        *(("attention", text) for text in s.attention),
    ]
    for label, value in lines:
        if value:
            out.print(f"  {label + ':':<11}{value}", markup=False)
    if s.state == "failed":
        out.print(f"  the monitor died: see `calmops logs {s.name}` and logs/monitor.out")


def _status_table(rows: list) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    columns = ("name", "state", "where", "pid", "uptime", "trigger", "last run", "pending", "next")
    for column in columns:
        table.add_column(column, overflow="fold")
    for s in rows:
        table.add_row(
            s.name,
            s.state,
            _where(s) or "—",
            str(s.pid or "—"),
            _duration(s.uptime_seconds) or "—",
            s.trigger,
            _last(s.last_run) or "—",
            "—" if s.pending is None else str(s.pending),
            s.problem
            or ("needs attention: " + "; ".join(s.attention) if s.attention else None)
            or _moment(s.next_tick)
            or "—",
        )
    console().print(table)


def _where(s: Any) -> str | None:
    """``local vm`` or ``ray vm node 3f2a…``: the executor and host from the lease."""
    if s.executor is None:
        return None
    node = f" node {s.node[:8]}" if s.node else ""
    return f"{s.executor} {s.host}{node}"


def _moment(iso: str | None) -> str | None:
    """A next tick in local time, to the second (ticks may be seconds apart)."""
    from datetime import datetime

    return None if iso is None else f"{datetime.fromisoformat(iso).astimezone():%Y-%m-%d %H:%M:%S}"


def _last(run: dict | None) -> str | None:
    if run is None:
        return None
    what = run["decision"] or run["error"] or ""
    return f"{local_time(run['started_at'])} {run['status']} {what}".strip()


def _duration(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    shown = [f"{value}{unit}" for value, unit in parts if value][:2]
    return " ".join(shown) or "0s"


# ---- logs ------------------------------------------------------------------------------


def logs(
    ctx: typer.Context,
    name: NameArgument,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines.")
    ] = False,
    level: Annotated[
        str | None, typer.Option("--level", help="Only this level and above (info, warning...).")
    ] = None,
    grep: Annotated[
        str | None, typer.Option("--grep", help="Only lines containing TEXT (any case).")
    ] = None,
    lines: Annotated[int, typer.Option("-n", "--lines", min=0, help="Last N lines.")] = 20,
    home: HomeOption = None,
) -> None:
    """Show a pipeline's log (logs/pipeline.log); -f follows it until Ctrl-C."""
    import sys

    from calmops.monitor.logs import follow as follow_log
    from calmops.monitor.logs import tail

    ws = workspace(ctx, home)
    ws.get(name)
    path = ws.paths(name).logs / "pipeline.log"
    shown = tail(path, last=lines, level=level, grep=grep) if lines else []
    for record in shown:
        sys.stdout.write(record + "\n")
    if not follow:
        if not shown and lines and not path.exists():
            err_console().print(f"No log yet: {path} is written once the pipeline runs.")
        elif not shown and lines:
            err_console().print("No matching log lines.")
        return
    try:
        sys.stdout.flush()
        for record in follow_log(path, level=level, grep=grep):
            sys.stdout.write(record + "\n")
            sys.stdout.flush()
    except KeyboardInterrupt:  # Ctrl-C is how one stops following
        return
