"""``GET /api/overview``: every pipeline, those needing attention first."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calmops.web.deps import BaseDep, ReaderDep
from calmops.web.schemas import Overview
from calmops.web.views.overview import build_overview

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["overview"])


@router.get("/overview", response_model=Overview)
def overview(reader: ReaderDep, base: BaseDep) -> dict[str, Any]:
    """Every pipeline with kind, trigger, state, last run, drift, champion and its primary
    metric (with a sparkline of the last 30 runs), breaker state and what needs attention."""
    return build_overview(reader, base)
