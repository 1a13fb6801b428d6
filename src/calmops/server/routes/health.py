"""``GET /health`` (the process is up) and ``GET /ready`` (the champions are loaded).

These two never need the API key, so load balancers and orchestrators can probe them.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

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
async def ready(service: ServiceDep) -> JSONResponse:
    serving = service.cache.pipelines()
    body = Readiness(
        ready=service.ready,
        pipelines={
            name: s.champion.version if s.champion is not None else None
            for name, s in serving.items()
        },
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)
