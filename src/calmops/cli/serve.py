"""``calmops serve``: the prediction server for every pipeline of the workspace.

FastAPI and uvicorn are imported when the command runs, so ``calmops --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from calmops.cli.output import HomeOption, err_console, workspace
from calmops.errors import CalmopsError
from calmops.hosts import allowed_hosts_for

if TYPE_CHECKING:
    from calmops.server.config import ServerConfig
    from calmops.workspace import Workspace

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)


HostOption = Annotated[
    str, typer.Option("--host", help="Address to bind (another than 127.0.0.1 exposes it).")
]
PortOption = Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, help="Worker processes (each loads every model).")
]
ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar="CALMOPS_API_KEY",
        help="Require this key on every route but the health checks "
        "(prefer the CALMOPS_API_KEY variable: a flag shows in the process list).",
        show_default=False,
        show_envvar=True,
    ),
]
MaxBodyOption = Annotated[
    int, typer.Option("--max-body-bytes", min=1, help="Refuse larger request bodies (413).")
]
MaxRowsOption = Annotated[
    int, typer.Option("--max-batch-rows", min=1, help="Refuse larger batches (413).")
]
PendingOption = Annotated[
    int,
    typer.Option(
        "--max-pending-requests",
        min=1,
        help="Requests of one pipeline held at once (per worker); past it, 503 with "
        "Retry-After instead of a queue that grows with the overload.",
    ),
]
FlushOption = Annotated[
    float,
    typer.Option(
        "--log-flush-seconds",
        min=0.01,
        envvar="CALMOPS_SERVE_LOG_FLUSH_SECONDS",
        help="Write the served-predictions log at least this often (and on shutdown).",
    ),
]
AccessLogOption = Annotated[bool, typer.Option("--access-log", help="Log every request (slower).")]
UiOption = Annotated[
    bool, typer.Option("--ui", help="Also serve the dashboards under /ui (as `calmops ui` does).")
]


def serve(
    ctx: typer.Context,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = 1,
    api_key: ApiKeyOption = None,
    max_body_bytes: MaxBodyOption = 8 * 1024 * 1024,
    max_batch_rows: MaxRowsOption = 10_000,
    max_pending_requests: PendingOption = 128,
    log_flush_seconds: FlushOption = 5.0,
    access_log: AccessLogOption = False,
    ui: UiOption = False,
    home: HomeOption = None,
) -> None:
    """Serve the champion of every pipeline over HTTP (REST and Open Inference Protocol v2)."""
    import uvicorn

    from calmops.server.config import ServerConfig

    ws = workspace(ctx, home)
    _check(ws, api_key)
    _announce(ws, host, port, api_key, ui)
    options = {"host": host, "port": port, "access_log": access_log, "log_level": "info"}
    if workers == 1:
        config = ServerConfig(
            api_key=api_key,
            allowed_hosts=_tuple_or_none(allowed_hosts_for(host)),
            max_body_bytes=max_body_bytes,
            max_batch_rows=max_batch_rows,
            max_pending_requests=max_pending_requests,
            log_flush_seconds=log_flush_seconds,
        )
        uvicorn.run(_app(ws, config, ui), **options)
        return
    _export_settings(ws, api_key, max_body_bytes, max_batch_rows)
    os.environ["CALMOPS_SERVE_MAX_PENDING_REQUESTS"] = str(max_pending_requests)
    os.environ["CALMOPS_SERVE_ALLOWED_HOSTS"] = ",".join(allowed_hosts_for(host) or ["*"])
    os.environ["CALMOPS_SERVE_LOG_FLUSH_SECONDS"] = str(log_flush_seconds)
    factory = "calmops.apps:served_with_ui" if ui else "calmops.server.app:app_from_environment"
    uvicorn.run(factory, factory=True, workers=workers, **options)


def _check(ws: Workspace, api_key: str | None) -> None:
    """There is a workspace to serve, and the key, if given, is not empty."""
    if not ws.exists():
        raise CalmopsError(
            f"no workspace at {ws.home} (create a pipeline first: `calmops create NAME ...`)"
        )
    if api_key is not None and not api_key.strip():
        raise CalmopsError("--api-key is empty; give a key or leave it out")


def _announce(ws: Workspace, host: str, port: int, api_key: str | None, ui: bool) -> None:
    """Say what is served where (on stderr), warning when it is exposed without a key."""
    errors = err_console()
    if allowed_hosts_for(host) is None and not api_key:
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


def _app(ws: Workspace, config: ServerConfig, ui: bool):
    """The prediction app of one process, with the dashboards mounted under /ui if asked."""
    from calmops.server.app import create_app

    app = create_app(ws.settings, config=config)
    if ui:
        from dataclasses import replace

        from calmops.web.app import mount_ui

        mount_ui(app, replace(ws.settings, api_key=config.api_key))
    return app


def _export_settings(
    ws: Workspace, api_key: str | None, max_body_bytes: int, max_batch_rows: int
) -> None:
    """Hand the settings to worker processes, which build their app from the environment."""
    os.environ["CALMOPS_HOME"] = str(ws.home)
    os.environ["CALMOPS_SERVE_MAX_BODY_BYTES"] = str(max_body_bytes)
    os.environ["CALMOPS_SERVE_MAX_BATCH_ROWS"] = str(max_batch_rows)
    if api_key:
        os.environ["CALMOPS_API_KEY"] = api_key


def _tuple_or_none(names: list[str] | None) -> tuple[str, ...] | None:
    return None if names is None else tuple(names)
