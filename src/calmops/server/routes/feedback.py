"""``POST /feedback/{pipeline}``: true labels for earlier predictions, by request id or by id.

Every request id must name a prediction this server logged (buffered or written) and ``row``
must be one of its rows: an unknown request id is a 404, a row out of range a 422, each
listing the bad items (at most ten). A request is accepted whole or not at all: one bad item
refuses every label in it, so a client can fix and resend the list without sending a label
twice. With several workers, a prediction another worker still buffers is not known yet (for
at most ``log_flush_seconds``): the 404 says to retry then.

Labels are appended to the pipeline's feedback log; ``calmops run NAME --served`` joins them
to the logged predictions (by request id and row, or by the values of the pipeline's
``data.id_columns`` sent with the prediction), so realized performance can be computed once
they arrive. For a classifier, a label must be one of the model's classes.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Body, Depends
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from calmops.errors import DataValidationError
from calmops.server.deps import PipelineServing, ServiceDep, json_body_only
from calmops.server.predictions import META
from calmops.server.schemas import FeedbackItem, FeedbackReceipt, error_responses
from calmops.server.traffic import ID_PREFIX, id_text

__all__ = ["router"]

router = APIRouter(tags=["feedback"])

EXAMPLE = {"request_id": "3f1c9a0e5b7d4c2a9e8f7a6b5c4d3e2f", "label": 1}
BY_ID = [{"ids": {"customer_id": "C-1"}, "label": 1}, {"ids": {"customer_id": "C-2"}, "label": 0}]


@router.post(
    "/feedback/{pipeline}",
    response_model=FeedbackReceipt,
    summary="Send the true labels of earlier predictions",
    dependencies=[Depends(json_body_only)],
    responses=error_responses(415),
)
async def feedback(
    serving: PipelineServing,
    service: ServiceDep,
    items: Annotated[
        FeedbackItem | Annotated[list[FeedbackItem], Field(min_length=1)],
        Body(openapi_examples={"one": {"value": EXAMPLE}, "by id": {"value": BY_ID}}),
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
    by_request = [(i, label) for i, label in zip(items, labels, strict=True) if i.request_id]
    by_ids = [(i, label) for i, label in zip(items, labels, strict=True) if i.ids is not None]
    if by_request:
        try:
            await run_in_threadpool(_check_requests, serving.pipeline, service, items)
        except HTTPException as refused:  # a request scored in the shadows is logged after it
            if refused.status_code != 404 or serving.shadow is None:
                raise
            await service.settle_shadows()
            await run_in_threadpool(_check_requests, serving.pipeline, service, items)
    if by_ids:
        columns = _id_columns(serving, service)
        _check_ids(serving.pipeline, columns, [i.ids for i, _ in by_ids])
    if by_request:
        size = len(by_request)
        service.logs.append(
            serving.pipeline,
            {
                META + "request_id": _objects([i.request_id for i, _ in by_request]),
                META + "row": np.array([i.row for i, _ in by_request], dtype=np.int32),
                META + "received_at": np.full(size, np.datetime64("now", "us")),
                META + "label": _objects([label for _, label in by_request]),
            },
            kind="feedback",
        )
    if by_ids:
        chunk = {ID_PREFIX + c: _objects([id_text(i.ids[c]) for i, _ in by_ids]) for c in columns}
        chunk[META + "received_at"] = np.full(len(by_ids), np.datetime64("now", "us"))
        chunk[META + "label"] = _objects([label for _, label in by_ids])
        service.logs.append(serving.pipeline, chunk, kind="feedback")
    size = len(items)
    return FeedbackReceipt(pipeline=serving.pipeline, accepted=size)


def _check_requests(pipeline: str, service, items: list[FeedbackItem]) -> None:
    """Every request id was logged, and every row is one of its rows (else 404 / 422)."""
    named = [(n, i) for n, i in enumerate(items) if i.request_id]
    known = service.logs.request_rows(pipeline, {i.request_id for _, i in named})
    unknown = [(n, i.request_id) for n, i in named if i.request_id not in known]
    if unknown:
        shown = "; ".join(f"item {n}: {rid}" for n, rid in unknown[:10])
        raise HTTPException(
            404,
            f"{len(unknown)} of {len(items)} labels name a request id pipeline '{pipeline}' "
            f"never answered ({shown}); no label of this request was accepted. A prediction "
            f"is known once served (another worker's after {service.config.log_flush_seconds:g} "
            "s at most): check the id /predict returned, or retry then",
        )
    outside = [(n, i) for n, i in named if i.row >= known[i.request_id]]
    if outside:
        shown = "; ".join(
            f"item {n}: row {i.row} of {i.request_id}, which has {known[i.request_id]} row(s)"
            for n, i in outside[:10]
        )
        raise HTTPException(
            422,
            f"{len(outside)} of {len(items)} labels name a row their request does not have "
            f"({shown}); no label of this request was accepted",
        )


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _id_columns(serving, service) -> tuple[str, ...]:
    if serving.champion is not None:
        return serving.champion.id_columns
    return tuple(service.workspace.spec(serving.pipeline).data.id_columns)


def _check_ids(pipeline: str, columns: tuple[str, ...], given: list[dict]) -> None:
    """Every ``ids`` names exactly the pipeline's id columns."""
    if not columns:
        raise DataValidationError(
            f"pipeline '{pipeline}' has no data.id_columns: name the row by request_id, or "
            f"give the pipeline id columns (calmops update {pipeline} --set data.id_columns=...)"
        )
    for ids in given:
        if set(ids) != set(columns):
            raise DataValidationError(
                f"ids must give the id columns of pipeline '{pipeline}': "
                f"{', '.join(columns)} (got {', '.join(ids) or 'none'})"
            )
        empty = [c for c in columns if ids[c] is None]
        if empty:
            raise DataValidationError(f"ids has no value for {', '.join(empty)}")


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
