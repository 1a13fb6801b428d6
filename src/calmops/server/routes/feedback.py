"""``POST /feedback/{pipeline}``: true labels for earlier predictions, by request id.

Labels are appended to the pipeline's feedback log; ``calmops run NAME --served`` joins them
to the logged predictions (by request id and row), so realized performance can be computed
once they arrive. For a classifier, a label must be one of the model's classes.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Body
from pydantic import Field
from starlette.exceptions import HTTPException

from calmops.errors import DataValidationError
from calmops.server.deps import PipelineServing, ServiceDep
from calmops.server.predictions import META
from calmops.server.schemas import FeedbackItem, FeedbackReceipt

__all__ = ["router"]

router = APIRouter(tags=["feedback"])

EXAMPLE = {"request_id": "3f1c9a0e5b7d4c2a9e8f7a6b5c4d3e2f", "label": 1}


@router.post(
    "/feedback/{pipeline}",
    response_model=FeedbackReceipt,
    summary="Send the true labels of earlier predictions",
)
async def feedback(
    serving: PipelineServing,
    service: ServiceDep,
    items: Annotated[
        FeedbackItem | Annotated[list[FeedbackItem], Field(min_length=1)],
        Body(openapi_examples={"one": {"value": EXAMPLE}}),
    ],
) -> FeedbackReceipt:
    items = items if isinstance(items, list) else [items]
    if not items:
        raise DataValidationError("no labels: send one {request_id, label} or a list of them")
    if len(items) > service.config.max_batch_rows:
        raise HTTPException(
            413, f"{len(items):,} labels; the limit is {service.config.max_batch_rows:,}"
        )
    labels = _checked_labels(serving, [item.label for item in items])
    size = len(items)
    service.logs.append(
        serving.pipeline,
        {
            META + "request_id": np.array([item.request_id for item in items], dtype=object),
            META + "row": np.array([item.row for item in items], dtype=np.int32),
            META + "received_at": np.full(size, np.datetime64("now", "us")),
            META + "label": np.array(labels, dtype=object),
        },
        kind="feedback",
    )
    return FeedbackReceipt(pipeline=serving.pipeline, accepted=size)


def _checked_labels(serving, labels: list) -> list:
    """Labels as the model knows them: a class of a classifier, a number for a regressor."""
    model = serving.champion
    if model is None:
        return labels
    if model.task == "classification" and model.classes:
        by_text = {str(c): c for c in model.classes}
        wrong = [label for label in labels if str(label) not in by_text]
        if wrong:
            raise DataValidationError(
                f"label {wrong[0]!r} is not a class of pipeline '{serving.pipeline}' "
                f"(classes: {', '.join(map(str, model.classes))})"
            )
        return [by_text[str(label)] for label in labels]
    if model.task == "regression":
        wrong = [x for x in labels if isinstance(x, bool) or not isinstance(x, int | float)]
        if wrong:
            raise DataValidationError(
                f"label {wrong[0]!r} is not a number "
                f"(pipeline '{serving.pipeline}' is a regression)"
            )
    return labels
