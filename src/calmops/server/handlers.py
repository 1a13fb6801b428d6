"""Errors as HTTP answers: one JSON shape, the status from :func:`http_status_for`.

Every error body is ``{"error": "<message>"}`` (plus ``details`` for a malformed request).
Messages never carry a file path or a traceback: paths are replaced by ``<path>``, and an
unexpected failure is answered with a generic message while the traceback goes to the log.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from calmops.errors import CalmopsError, http_status_for

__all__ = ["error_response", "install_error_handlers", "scrub"]

log = logging.getLogger("calmops.server")

_PATH = re.compile(r"(?<![\w.:/])(?:[A-Za-z]:\\|~?/)[^\s'\"`,;()]+")


def scrub(message: str) -> str:
    """``message`` without file-system paths.

    >>> scrub("model file missing: /srv/calmops/pipelines/a/models/v1/model.joblib")
    'model file missing: <path>'
    >>> scrub("no pipeline named 'x' (see `calmops list`)")
    "no pipeline named 'x' (see `calmops list`)"
    """
    return _PATH.sub("<path>", message)


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    """The JSON answer for an error."""
    headers = extra.pop("headers", None)
    return JSONResponse({"error": scrub(message), **extra}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map CalmOps errors, HTTP errors, malformed requests and surprises to JSON answers."""

    @app.exception_handler(CalmopsError)
    async def calmops_error(_request: Request, error: CalmopsError) -> JSONResponse:
        return error_response(http_status_for(error), str(error))

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail), headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": [str(part) for part in item.get("loc", ())], "msg": str(item.get("msg", ""))}
            for item in error.errors()
        ]
        shown = "; ".join(f"{'.'.join(d['loc'])}: {d['msg']}" for d in details[:5])
        return error_response(422, f"invalid request: {shown}", details=details)

    @app.exception_handler(ClientDisconnect)
    async def gone(_request: Request, _error: ClientDisconnect) -> Response:
        return Response(status_code=499)  # nobody is listening; nothing to log

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return error_response(500, "internal server error (the server log has the details)")
