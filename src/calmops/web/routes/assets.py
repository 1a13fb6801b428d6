"""plotly.js, served from the installed ``plotly`` package: the pages need no internet."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

__all__ = ["plotly_js_path", "router"]

router = APIRouter(tags=["assets"])


@cache
def plotly_js_path() -> Path:
    """The minified plotly.js inside the installed ``plotly`` package."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    assert spec is not None and spec.origin is not None, "plotly is a core dependency"
    return Path(spec.origin).parent / "package_data" / "plotly.min.js"


@cache
def _plotly_js() -> bytes:
    return plotly_js_path().read_bytes()


@router.get("/assets/plotly.min.js", include_in_schema=False)
def plotly_js() -> Response:
    return Response(
        _plotly_js(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )
