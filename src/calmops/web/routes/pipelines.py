"""A pipeline's header and its read-only tabs, as JSON (``/api/pipelines/<name>/...``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from calmops.web.deps import BaseDep, PipelineDep, ReaderDep
from calmops.web.schemas import PipelineStatus, Tab
from calmops.web.views.blocks import build_blocks
from calmops.web.views.common import clean, redact
from calmops.web.views.data import build_data
from calmops.web.views.drift import build_drift
from calmops.web.views.ipip import build_ipip
from calmops.web.views.performance import build_performance
from calmops.web.views.run import build_run
from calmops.web.views.runs import build_runs
from calmops.web.views.status import build_status
from calmops.web.views.training import build_training

__all__ = ["router"]

router = APIRouter(prefix="/api/pipelines", tags=["pipelines"])

Limit = Annotated[int, Query(ge=1, le=1000, description="How many of the newest runs.")]
RunQuery = Annotated[
    str | None,
    Query(max_length=80, description="The run to look at (default: the newest); 404 if unknown."),
]


@router.get("/{name}", response_model=PipelineStatus)
def status(pipeline: PipelineDep, reader: ReaderDep, request: Request) -> dict[str, Any]:
    """The header: kind, trigger, state, champion, aliases, breaker, last run, tabs, and the
    ``token`` a page polls to know when to reload."""
    return build_status(
        reader, pipeline.name, api_key_required=request.app.state.api_key is not None
    )


@router.get("/{name}/runs", response_model=Tab)
def runs(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, limit: Limit = 200) -> dict:
    """Runs tab: timeline of decisions, primary metric with markers and band, latest runs."""
    return build_runs(reader, pipeline.name, limit=limit, base=base)


@router.get("/{name}/runs/{run_id}")
def run_report(pipeline: PipelineDep, reader: ReaderDep, run_id: str) -> dict[str, Any]:
    """The full report of one run (the same JSON as ``metrics/runs/<run-id>.json``)."""
    run = reader.ws.store.runs.get(pipeline.name, run_id)
    report = json.dumps(clean(reader.report(pipeline.name, run).to_dict()))
    return json.loads(redact(report, json.dumps(str(reader.ws.home))[1:-1]))


@router.get("/{name}/runs/{run_id}/view", response_model=Tab)
def run_view(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, run_id: str) -> dict:
    """One run explained (the run page): decision and why, signals, the champion's metrics on
    the batch, challengers, notes, the time of each step."""
    return build_run(reader, pipeline.name, run_id, base=base)


@router.get("/{name}/data", response_model=Tab)
def data(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, run: RunQuery = None) -> dict:
    """Data tab: a batch's schema, statistics, missingness, capped preview and distributions
    against the reference (the newest batch, or that of ``run``)."""
    return build_data(reader, pipeline.name, base=base, run=run)


@router.get("/{name}/drift", response_model=Tab)
def drift(
    pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, limit: Limit = 60, run: RunQuery = None
) -> dict:
    """Drift tab: feature-by-run heatmap, per-feature overlay and statistic history,
    multivariate results and data-quality findings (of the newest tested batch, or ``run``)."""
    return build_drift(reader, pipeline.name, base=base, limit=limit, run=run)


@router.get("/{name}/performance", response_model=Tab)
def performance(
    pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, limit: Limit = 200
) -> dict:
    """Performance tab: metric history; confusion matrix (full holdout) and ROC for
    classifiers, residuals for regressors; estimated against realized where both exist."""
    return build_performance(reader, pipeline.name, base=base, limit=limit)


@router.get("/{name}/training", response_model=Tab)
def training(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep) -> dict:
    """Training tab: strategy, data window, sizes and fit time of each retraining."""
    return build_training(reader, pipeline.name, base=base)


@router.get("/{name}/blocks", response_model=Tab)
def blocks(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, run: RunQuery = None) -> dict:
    """Blocks tab (block and IPIP kinds): per-block metrics and drift (of the newest batch
    with blocks, or ``run``)."""
    return build_blocks(reader, pipeline.name, base=base, run=run)


@router.get("/{name}/ipip", response_model=Tab)
def ipip(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep) -> dict:
    """IPIP tab: p, b, ensembles and replacement share over blocks."""
    return build_ipip(reader, pipeline.name, base=base)
