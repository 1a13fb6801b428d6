"""``GET /alerts`` and its JSON twin ``GET /api/alerts``: every alert, newest first."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict

from calmops.web.deps import BaseDep, ReaderDep
from calmops.web.views.alerts import PAGE_SIZE, build_alerts

__all__ = ["AlertsPage", "page_router", "router"]

router = APIRouter(prefix="/api", tags=["alerts"])
page_router = APIRouter(include_in_schema=False)

PipelineQuery = Annotated[
    str | None, Query(max_length=64, description="Only this pipeline's alerts.")
]
KindQuery = Annotated[
    Literal["failed", "breaker", "signal", "chance", "alert"] | None,
    Query(description="Only alerts of this kind."),
]
FormKindQuery = Annotated[str, Query(max_length=20, description="A kind, or empty for all.")]
OffsetQuery = Annotated[int, Query(ge=0, le=1_000_000, description="Alerts to skip.")]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Alerts on the page.")]


class AlertsPage(BaseModel):
    """One page of alerts (``alerts``), how many matched (``total``) and the page's sections."""

    model_config = ConfigDict(extra="allow")

    title: str
    total: int
    offset: int
    limit: int
    alerts: list[dict[str, Any]]
    counts: dict[str, int]
    filters: dict[str, Any]
    pages: dict[str, str | None]
    sections: list[dict[str, Any]]


@router.get("/alerts", response_model=AlertsPage)
def alerts(
    reader: ReaderDep,
    base: BaseDep,
    pipeline: PipelineQuery = None,
    kind: KindQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = PAGE_SIZE,
) -> dict[str, Any]:
    """Failed runs, circuit-breaker openings, signals that fired, champions no better than
    chance and ``alert`` decisions, newest first, each with its time and run."""
    return build_alerts(
        reader, base, pipeline=pipeline or None, kind=kind, offset=offset, limit=limit
    )


@page_router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    reader: ReaderDep,
    base: BaseDep,
    pipeline: PipelineQuery = None,
    kind: FormKindQuery = "",
    offset: OffsetQuery = 0,
) -> HTMLResponse:
    view = build_alerts(reader, base, pipeline=pipeline or None, kind=kind or None, offset=offset)
    html = request.app.state.templates.get_template("alerts.html").render(
        base=base, poll_ms=request.app.state.poll_ms, view=view, title="CalmOps · alerts"
    )
    return HTMLResponse(html)
