"""Dependencies the routes share: the service, pipeline lookups (404) and request ids."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from calmops.server.cache import Serving
from calmops.server.service import PredictionService

__all__ = [
    "ModelServing",
    "PipelineServing",
    "ServiceDep",
    "get_service",
    "json_body_only",
    "request_id_of",
]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


async def get_service(request: Request) -> PredictionService:
    return request.app.state.service


ServiceDep = Annotated[PredictionService, Depends(get_service)]


async def _pipeline(
    service: ServiceDep, pipeline: Annotated[str, Path(description="Pipeline name.")]
) -> Serving:
    return await service.serving(pipeline)


async def _model(
    service: ServiceDep, name: Annotated[str, Path(description="Model (pipeline) name.")]
) -> Serving:
    return await service.serving(name)


PipelineServing = Annotated[Serving, Depends(_pipeline)]
ModelServing = Annotated[Serving, Depends(_model)]


def request_id_of(given: str | None) -> str:
    """The client's request id if it is a sane token, else a new one.

    >>> request_id_of("order-42")
    'order-42'
    >>> len(request_id_of("no spaces allowed"))
    32
    """
    if given and _REQUEST_ID.match(given):
        return given
    return uuid.uuid4().hex


_BODY_TYPES = ("application/json", "application/octet-stream")


def json_body_only(request: Request) -> None:
    """Refuse (415) a body that is not JSON, so no web page can post into the server.

    A browser lets any page send ``text/plain``, form and multipart bodies to another site
    without asking it first (a "simple" request); JSON, and the OIP binary extension's
    ``application/octet-stream``, need the site's consent. A body without a ``Content-Type``
    is allowed only from clients that are not browsers (no ``Origin`` header): the Triton
    and KServe clients send none.

    >>> from starlette.requests import Request as Raw
    >>> def asking(*headers):
    ...     scope = {"type": "http", "headers": [(k.encode(), v.encode()) for k, v in headers]}
    ...     try:
    ...         json_body_only(Raw(scope))
    ...         return 200
    ...     except HTTPException as refused:
    ...         return refused.status_code
    >>> asking(("content-type", "application/json; charset=utf-8")), asking()
    (200, 200)
    >>> asking(("content-type", "text/plain")), asking(("origin", "https://evil.example"))
    (415, 415)
    """
    given = request.headers.get("content-type")
    if given is None:
        if request.headers.get("origin") is None:
            return
    else:
        media = given.split(";")[0].strip().lower()
        if media in _BODY_TYPES or media.endswith("+json"):
            return
    raise HTTPException(
        415,
        f"the body must be JSON (Content-Type: application/json); got {given or 'no Content-Type'}",
    )
