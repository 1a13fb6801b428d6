"""Dependencies the routes share: the service, pipeline lookups (404) and request ids."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import Depends, Path, Request

from calmops.server.cache import Serving
from calmops.server.service import PredictionService

__all__ = ["ModelServing", "PipelineServing", "ServiceDep", "get_service", "request_id_of"]

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
