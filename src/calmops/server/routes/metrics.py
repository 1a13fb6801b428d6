"""``GET /metrics``: Prometheus text — requests, errors, rows, latency, versions served."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from calmops.server.deps import ServiceDep

__all__ = ["router"]

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    summary="Prometheus metrics",
    responses={200: {"content": {"text/plain": {}}, "description": "Exposition format 0.0.4."}},
)
async def metrics(service: ServiceDep) -> PlainTextResponse:
    serving = service.cache.pipelines()
    versions = {n: (s.champion.version if s.champion else None) for n, s in serving.items()}
    shadows = {n: s.shadow.version for n, s in serving.items() if s.shadow is not None}
    return PlainTextResponse(
        service.metrics.render(versions, shadows), media_type="text/plain; version=0.0.4"
    )
