"""``GET /api/pipelines/<name>/logs``: the tail of the log, filtered, and how to follow it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from calmops.web.deps import BaseDep, PipelineDep, ReaderDep
from calmops.web.schemas import LogsPage
from calmops.web.views.logs import build_logs

__all__ = ["router"]

router = APIRouter(prefix="/api/pipelines", tags=["logs"])


@router.get("/{name}/logs", response_model=LogsPage)
def logs(
    pipeline: PipelineDep,
    reader: ReaderDep,
    base: BaseDep,
    level: Annotated[str, Query(max_length=10, description="Lowest level shown.")] = "",
    q: Annotated[str, Query(max_length=200, description="Text the line contains.")] = "",
    after: Annotated[
        int | None, Query(ge=0, description="Only lines written after this byte offset.")
    ] = None,
) -> dict[str, Any]:
    """The last 500 lines of ``logs/pipeline.log`` at ``level`` or above containing ``q``;
    pass the returned ``offset`` as ``after`` to get only what was written since."""
    return build_logs(reader, pipeline.name, base=base, level=level, q=q, after=after)
