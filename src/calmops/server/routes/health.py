"""``GET /health`` (the process is up) and ``GET /ready`` (the champions are loaded).

These two never need the API key, so load balancers and orchestrators can probe them. When
the server has a key, ``/ready`` says only yes or no to a caller without it; the champion
version of each pipeline is for callers with the key.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from calmops.server.auth import key_matches
from calmops.server.deps import ServiceDep
from calmops.server.schemas import Health, Readiness

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness")
async def health() -> Health:
    return Health()


@router.get(
    "/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Still loading the champions."}},
    summary="Readiness",
)
async def ready(request: Request, service: ServiceDep) -> JSONResponse:
    body = Readiness(ready=service.ready)
    expected = service.config.api_key
    if expected is None or key_matches(_key_of(request), expected):
        body.pipelines = {
            name: s.champion.version if s.champion is not None else None
            for name, s in service.cache.pipelines().items()
        }
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if body.ready else 503)


def _key_of(request: Request) -> str | None:
    """The key the request carries, if any (not declared as security: the probe is open)."""
    header = request.headers.get("x-api-key")
    if header is not None:
        return header
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
