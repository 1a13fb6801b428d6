"""``GET /docs``: the API documented on one self-contained page, from the OpenAPI schema.

FastAPI's Swagger UI loads its scripts from a CDN, which a server without internet cannot
reach; it stays at ``/docs/swagger`` for those who have one.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from calmops.openapi import endpoints

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1e293b}"
    "code{background:#f1f5f9;padding:0 .25rem;border-radius:3px}"
    "section{border-top:1px solid #e2e8f0;padding:.5rem 0}"
    ".m{display:inline-block;min-width:4rem;font-weight:700;color:#0f766e}"
    "table{border-collapse:collapse}td,th{padding:.15rem .6rem;text-align:left}"
)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(schema['info']['title'])}"
        f"</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(schema['info']['title'])} <small>{escape(schema['info']['version'])}</small>"
        "</h1>",
        "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a>. Swagger UI (loads its "
        "scripts from the internet): <a href='/docs/swagger'>/docs/swagger</a>. With an API key "
        "set, send it as <code>Authorization: Bearer KEY</code> or <code>X-API-Key</code>.</p>",
    ]
    for operation in endpoints(schema):
        parts.append(
            f"<section><p><span class='m'>{operation['method']}</span>"
            f"<code>{escape(operation['path'])}</code> {escape(operation['summary'])}</p>"
        )
        if operation["description"]:
            parts.append(f"<p>{escape(operation['description'])}</p>")
        if operation["parameters"]:
            rows = "".join(
                f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
                f"<td>{escape(p['description'])}</td></tr>"
                for p in operation["parameters"]
            )
            parts.append(
                f"<table><tr><th>parameter</th><th>in</th><th>what</th></tr>{rows}</table>"
            )
        parts.append("</section>")
    parts.append("</body></html>")
    return HTMLResponse("".join(parts))
