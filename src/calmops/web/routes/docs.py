"""``GET /api/docs``: the JSON API documented on one page, from its OpenAPI schema.

FastAPI's own documentation pages load their scripts from a CDN; this one is plain HTML from
the app itself, so it works with no internet, like every dashboard page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from calmops.openapi import endpoints
from calmops.web.deps import BaseDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", response_class=HTMLResponse)
def docs(request: Request, base: BaseDep) -> HTMLResponse:
    app = request.app
    html = app.state.templates.get_template("api.html").render(
        base=base,
        poll_ms=app.state.poll_ms,
        title="CalmOps · JSON API",
        endpoints=endpoints(app.openapi()),
    )
    return HTMLResponse(html)
