"""``create_ui_app(settings)``: the dashboards as one FastAPI app.

Pages (HTML) and their JSON twins (``/api/...``, documented at ``/api/docs``) are built from
the same view dicts. ``calmops ui`` serves this app; ``calmops serve --ui`` mounts it beside
the prediction API with :func:`mount_ui` (``calmops.apps.served_with_ui`` is the factory
its worker processes start)::

    mount_ui(prediction_app, settings)          # the dashboards under /ui

Examples
--------
>>> import tempfile
>>> from fastapi.testclient import TestClient
>>> from calmops.settings import Settings
>>> app = create_ui_app(Settings(home=Path(tempfile.mkdtemp())))
>>> client = TestClient(app)
>>> client.get("/api/overview").json()["pipelines"]
[]
>>> client.get("/api/pipelines/ghost").status_code
404
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from calmops.errors import CalmopsError, http_status_for
from calmops.settings import Settings, get_settings
from calmops.store import Store
from calmops.web.reader import Reader
from calmops.web.routes import alerts, assets, docs, logs, models, overview, pages, pipelines
from calmops.web.schemas import API_ERRORS
from calmops.web.views.common import redact
from calmops.workspace import Workspace

__all__ = ["create_ui_app", "mount_ui"]

HERE = Path(__file__).parent


def create_ui_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    poll_seconds: float = 3.0,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The dashboards of every pipeline in the workspace of ``settings``.

    Parameters
    ----------
    settings
        Where the workspace is and the API key actions need (default: :func:`get_settings`).
    store
        An open store to share (``calmops serve --ui`` passes its own); opened lazily if None.
    poll_seconds
        How often pages ask whether something changed.
    allowed_hosts
        Host names a request may name (its ``Host`` header); others get 400. ``calmops ui``
        on loopback allows only loopback names, so a web page whose name is re-pointed at
        127.0.0.1 (DNS rebinding) cannot read the dashboards or act. None: any host.
    """
    settings = settings or get_settings()
    workspace = Workspace(settings, store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if store is None and "store" in workspace.__dict__:  # opened here: closed here
            workspace.store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="CalmOps dashboards",
        summary="Every pipeline's runs, data, drift, performance, models, training and logs.",
        docs_url=None,  # /api/docs is our own page: FastAPI's loads scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.state.reader = Reader(workspace)
    app.state.api_key = settings.api_key
    app.state.poll_ms = int(poll_seconds * 1000)
    app.state.home = str(settings.home)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in (assets.router, docs.router, pages.router, alerts.page_router):
        app.include_router(router)
    for router in (overview.router, pipelines.router, models.router, logs.router, alerts.router):
        app.include_router(router, responses=API_ERRORS)

    _handle_errors(app, settings)
    return app


def _handle_errors(app: FastAPI, settings: Settings) -> None:
    """Errors as one sentence: JSON ``{"detail": ...}`` under ``/api/``, the error page
    elsewhere, with the status :func:`~calmops.errors.http_status_for` gives."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        """A bad parameter, said in one sentence (as every other error of the API)."""
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "query")
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        return JSONResponse({"detail": message}, status_code=422)

    @app.exception_handler(CalmopsError)
    async def calmops_error(request: Request, error: CalmopsError):
        status = http_status_for(error)
        message = redact(str(error), settings.home)
        if request.url.path.startswith(f"{request.scope.get('root_path', '')}/api/") or (
            request.url.path.startswith("/api/")
        ):
            return JSONResponse({"detail": message}, status_code=status)
        return HTMLResponse(
            app.state.templates.get_template("error.html").render(
                base=request.scope.get("root_path", "").rstrip("/"),
                poll_ms=app.state.poll_ms,
                status=status,
                message=message,
                title=f"Error {status}",
            ),
            status_code=status,
        )


def mount_ui(
    app: FastAPI, settings: Settings, store: Store | None = None, path: str = "/ui"
) -> FastAPI:
    """Mount the dashboards of ``settings``' workspace on ``app`` under ``path``; returns app.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> from calmops.settings import Settings
    >>> outer = mount_ui(FastAPI(), Settings(home=Path(tempfile.mkdtemp())))
    >>> TestClient(outer).get("/ui/api/overview").status_code
    200
    """
    app.mount(path, create_ui_app(settings, store))
    return app
