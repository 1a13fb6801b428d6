"""``GET /api/docs``: the JSON API documented on one page, from its OpenAPI schema.

FastAPI's own documentation pages load their scripts from a CDN; this one is plain HTML from
the app itself, so it works with no internet, like every dashboard page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from calmops.web.deps import BaseDep

__all__ = ["endpoints", "router"]

router = APIRouter(include_in_schema=False)


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of an OpenAPI ``schema`` as ``{method, path, summary, description,
    parameters}``, in path order.

    >>> schema = {"paths": {"/api/x": {"get": {"summary": "X", "parameters": [
    ...     {"name": "limit", "in": "query", "description": "How many."}]}}}}
    >>> endpoints(schema)[0]["parameters"]
    [{'name': 'limit', 'in': 'query', 'description': 'How many.'}]
    """
    found = []
    for path, operations in sorted(schema.get("paths", {}).items()):
        for method, operation in operations.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {"name": p["name"], "in": p["in"], "description": p.get("description", "")}
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return found


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
