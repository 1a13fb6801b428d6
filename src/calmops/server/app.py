"""The prediction server: ``create_app(settings, store)`` builds one FastAPI application.

Nothing is global: each application owns a :class:`PredictionService` (models, micro-batching,
prediction log, metrics) started and stopped with the application's lifespan, so tests can
build as many as they like.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from calmops import __version__
from calmops.openapi import add_component_schemas
from calmops.server.auth import api_key_dependency
from calmops.server.config import ServerConfig
from calmops.server.handlers import install_error_handlers
from calmops.server.limits import BodySizeLimit
from calmops.server.routes import docs, feedback, health, metrics, oip, pipelines, predict
from calmops.server.schemas import InferenceRequest, error_responses
from calmops.server.service import PredictionService
from calmops.settings import Settings
from calmops.store import Store
from calmops.workspace import Workspace

__all__ = ["app_from_environment", "create_app"]

DESCRIPTION = """\
Predictions from the champion model of every CalmOps pipeline in a workspace.

* `POST /predict/{pipeline}`: one row (a JSON object) or a batch (a list of objects).
* Open Inference Protocol v2 under `/v2` (KServe, Triton and MLServer clients work).
* `GET /pipelines`, `GET /pipelines/{name}`: what is served and its model card.
* `POST /feedback/{pipeline}`: true labels of earlier predictions, by request id.
* `GET /metrics`: Prometheus. `GET /health`, `GET /ready`: probes (no API key needed).

A new champion is picked up within about a second, without a failed request.
"""


def create_app(
    settings: Settings, store: Store | None = None, config: ServerConfig | None = None
) -> FastAPI:
    """A prediction server for the workspace of ``settings`` (and ``store``, if given).

    ``config`` defaults to the limits of :class:`ServerConfig` with the API key of
    ``settings`` (``CALMOPS_API_KEY``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from fastapi.testclient import TestClient
    >>> from calmops.store import InMemoryStore
    >>> app = create_app(Settings(home=Path(tempfile.mkdtemp())), InMemoryStore())
    >>> with TestClient(app) as client:
    ...     client.get("/health").json(), client.post("/predict/nope", json={}).status_code
    ({'status': 'ok'}, 404)
    """
    config = config or ServerConfig(api_key=settings.api_key)
    service = PredictionService(Workspace(settings, store), config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(
        title="CalmOps prediction server",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs/swagger",  # needs the internet; /docs is served from here
        redoc_url=None,
    )
    app.state.service = service
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    if config.allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))
    install_error_handlers(app)
    guarded = [Depends(api_key_dependency(config.api_key))] if config.api_key else []
    app.include_router(health.router)
    app.include_router(oip.health_router)
    app.include_router(docs.router)
    errors = error_responses(400, 401, 404, 413, 422, 503)
    for router in (predict.router, pipelines.router, feedback.router, metrics.router, oip.router):
        app.include_router(router, dependencies=guarded, responses=errors)
    add_component_schemas(app, InferenceRequest)  # the OIP body, written by hand
    return app


def app_from_environment() -> FastAPI:
    """The application ``calmops serve --workers N`` starts in each worker process.

    Workers are separate processes, so the options travel in the environment:
    ``CALMOPS_HOME``, ``CALMOPS_API_KEY``, ``CALMOPS_SERVE_MAX_BODY_BYTES``,
    ``CALMOPS_SERVE_MAX_BATCH_ROWS``, ``CALMOPS_SERVE_MAX_PENDING_REQUESTS`` and
    ``CALMOPS_SERVE_LOG_FLUSH_SECONDS``.
    """
    import os

    from calmops.settings import get_settings

    settings = get_settings()
    limits = {}
    for name in ("max_body_bytes", "max_batch_rows", "max_pending_requests"):
        value = os.environ.get(f"CALMOPS_SERVE_{name.upper()}")
        if value:
            limits[name] = int(value)
    hosts = os.environ.get("CALMOPS_SERVE_ALLOWED_HOSTS")
    if hosts and hosts != "*":
        limits["allowed_hosts"] = tuple(hosts.split(","))
    flush = os.environ.get("CALMOPS_SERVE_LOG_FLUSH_SECONDS")
    if flush:
        limits["log_flush_seconds"] = float(flush)
    return create_app(settings, config=ServerConfig(api_key=settings.api_key, **limits))
