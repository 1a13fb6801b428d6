"""``calmops serve``: the prediction server for every pipeline of the workspace.

FastAPI and uvicorn are imported when the command runs, so ``calmops --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from calmops.cli.output import HomeOption, err_console, workspace
from calmops.errors import CalmopsError

__all__ = ["register"]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (another than 127.0.0.1 exposes it).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")
    ] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (each loads every model).")
    ] = 1,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar="CALMOPS_API_KEY",
            help="Require this key on every route but the health checks "
            "(prefer the CALMOPS_API_KEY variable: a flag shows in the process list).",
            show_default=False,
            show_envvar=True,
        ),
    ] = None,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", min=1, help="Refuse larger request bodies (413).")
    ] = 8 * 1024 * 1024,
    max_batch_rows: Annotated[
        int, typer.Option("--max-batch-rows", min=1, help="Refuse larger batches (413).")
    ] = 10_000,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log every request (slower).")
    ] = False,
    ui: Annotated[
        bool,
        typer.Option("--ui", help="Also serve the dashboards under /ui (as `calmops ui` does)."),
    ] = False,
    home: HomeOption = None,
) -> None:
    """Serve the champion of every pipeline over HTTP (REST and Open Inference Protocol v2)."""
    import uvicorn

    from calmops.server.app import create_app
    from calmops.server.config import ServerConfig

    ws = workspace(ctx, home)
    if not ws.exists():
        raise CalmopsError(
            f"no workspace at {ws.home} (create a pipeline first: `calmops create NAME ...`)"
        )
    if api_key is not None and not api_key.strip():
        raise CalmopsError("--api-key is empty; give a key or leave it out")
    errors = err_console()
    if host not in LOOPBACK and not api_key:
        errors.print(
            f"[yellow]warning:[/] serving on {host} without an API key: anyone who can reach "
            "this address can ask for predictions (set CALMOPS_API_KEY)."
        )
    names = [p.name for p in ws.list()]
    shown = ", ".join(names) if names else "none yet (they are picked up when created)"
    errors.print(f"Serving pipelines: {shown}")
    errors.print(f"  http://{host}:{port}/predict/<pipeline>   docs: http://{host}:{port}/docs")
    if ui:
        errors.print(f"  dashboards: http://{host}:{port}/ui/")
    options = {"host": host, "port": port, "access_log": access_log, "log_level": "info"}
    if workers == 1:
        config = ServerConfig(
            api_key=api_key, max_body_bytes=max_body_bytes, max_batch_rows=max_batch_rows
        )
        app = create_app(ws.settings, config=config)
        if ui:
            from dataclasses import replace

            from calmops.web.app import mount_ui

            mount_ui(app, replace(ws.settings, api_key=api_key))
        uvicorn.run(app, **options)
        return
    os.environ["CALMOPS_HOME"] = str(ws.home)
    os.environ["CALMOPS_SERVE_MAX_BODY_BYTES"] = str(max_body_bytes)
    os.environ["CALMOPS_SERVE_MAX_BATCH_ROWS"] = str(max_batch_rows)
    if api_key:
        os.environ["CALMOPS_API_KEY"] = api_key
    factory = "calmops.apps:served_with_ui" if ui else "calmops.server.app:app_from_environment"
    uvicorn.run(factory, factory=True, workers=workers, **options)


def run_served(ctx: typer.Context, name: str | None, as_json: bool, home) -> None:
    """``calmops run NAME --served``: monitor the traffic the server logged, once.

    The logged rows not yet monitored become one batch (see ``calmops.server.traffic``) that
    runs through the loop like a file: drift against the reference, and performance when
    feedback labelled every row.
    """
    if name is None:
        raise typer.BadParameter("--served takes one pipeline NAME")
    from calmops.cli.output import emit_json
    from calmops.cli.runs import _run_with_progress, _show_results
    from calmops.pipeline.runner import Runner
    from calmops.server.traffic import collect_served, served_batches

    ws = workspace(ctx, home)
    with Runner(ws, name) as runner:
        batch = collect_served(runner.paths.root, ws.spec(name).data.target)
        done = {e.file.path for e in ws.store.runs.ledger(name) if e.status != "processing"}
        pending = [p for p in served_batches(runner.paths.root) if str(p.absolute()) not in done]
        if not pending:
            if as_json:
                emit_json([])
            else:
                err_console().print(
                    f"No served traffic to monitor for '{name}' "
                    "(is `calmops serve` running, and has it been asked for predictions?)."
                )
            return
        if batch is not None and not as_json:
            labels = (
                "labelled by feedback"
                if batch.labelled == batch.rows
                else f"unlabelled ({batch.labelled:,} of {batch.rows:,} rows have feedback)"
            )
            err_console().print(f"Served traffic: {batch.rows:,} rows, {labels}.")
        results = _run_with_progress(runner, pending)
    _show_results(results, as_json)
    if not as_json:
        _show_realized(ws, name)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise CalmopsError(f"the served batch failed: {failed[0].reason}")


def _show_realized(ws, name: str) -> None:
    """How the served predictions did against the feedback labels received so far."""
    from calmops.server.traffic import realized

    champion = ws.store.models.aliases(name).get("champion")
    if champion is None:
        return
    task = ws.store.models.get(name, champion).card.get("task", "classification")
    found = realized(ws.paths(name).root, task)
    if not found.labelled:
        err_console().print("No feedback labels yet: POST /feedback/<pipeline> to send them.")
        return
    for version, metrics in sorted(found.metrics.items()):
        shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
        err_console().print(f"Realized on served traffic, v{version}: {shown}")
    err_console().print(f"({found.labelled:,} of {found.rows:,} served rows have feedback)")
