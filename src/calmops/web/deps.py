"""Dependencies of the dashboard routes: the reader, the pipeline (404 when unknown) and
the API key that actions need."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from calmops.store import PipelineRecord
from calmops.web.reader import Reader

__all__ = ["ActionAllowed", "BaseDep", "PipelineDep", "ReaderDep", "require_key"]


def get_reader(request: Request) -> Reader:
    return request.app.state.reader


def get_base(request: Request) -> str:
    """The prefix the app is mounted under (``""`` when served alone)."""
    return request.scope.get("root_path", "").rstrip("/")


ReaderDep = Annotated[Reader, Depends(get_reader)]
BaseDep = Annotated[str, Depends(get_base)]


def get_pipeline(
    name: Annotated[str, Path(description="Pipeline name.")], reader: ReaderDep
) -> PipelineRecord:
    """The pipeline named in the path; PipelineNotFoundError becomes a 404."""
    return reader.pipeline(name)


PipelineDep = Annotated[PipelineRecord, Depends(get_pipeline)]


def require_key(request: Request) -> None:
    """Refuse an action without the API key (when one is set), or not sent as JSON.

    The key comes as ``X-API-Key: KEY`` or ``Authorization: Bearer KEY`` and is compared in
    constant time. Requiring a JSON body means a page on another site cannot post a plain
    form to a dashboard on loopback.
    """
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "actions take a JSON body (Content-Type: application/json)")
    expected = request.app.state.api_key
    if expected is None:
        return
    given = request.headers.get("x-api-key") or ""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not given and scheme.lower() == "bearer":
        given = token.strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            401,
            "this action needs the API key (X-API-Key header)",
            headers={"WWW-Authenticate": "Bearer"},
        )


ActionAllowed = Depends(require_key)
