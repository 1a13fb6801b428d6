"""``GET /metrics``: Prometheus text — requests, errors, rows, latency, versions served,
attention."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from calmops.pipeline.attention import current_attention
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
    attention = await run_in_threadpool(_attention, service.workspace)
    return PlainTextResponse(
        service.metrics.render(versions, shadows, attention),
        media_type="text/plain; version=0.0.4",
    )


def _attention(workspace) -> dict[str, bool]:
    """Whether each pipeline of the workspace needs attention (from its latest runs)."""
    return {p.name: bool(current_attention(workspace.store, p.name)) for p in workspace.list()}
