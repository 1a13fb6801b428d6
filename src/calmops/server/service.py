"""The prediction service: models, micro-batching, shadow scoring, the log and the metrics.

The routes are thin: they parse a request, ask the service, and shape the answer. One
:class:`PredictionService` lives in each server process (``app.state.service``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from calmops.errors import ModelVersionNotFoundError, PipelineNotFoundError
from calmops.server.admission import Admission
from calmops.server.batching import MicroBatcher
from calmops.server.cache import ModelCache, Serving
from calmops.server.config import ServerConfig
from calmops.server.metrics import Metrics
from calmops.server.predictions import META, LogBook
from calmops.server.served import Prepared, Scores, ServedModel

__all__ = ["Prediction", "PredictionService"]

log = logging.getLogger("calmops.server")

GC_THRESHOLDS = (50_000, 20, 100)  # fewer, cheaper collections once the heap is frozen
INLINE_ROWS = 64  # smaller requests are checked on the event loop; larger ones in a thread
UNKNOWN = "unknown"  # the metrics label of every name that is not a pipeline
Prepare = Callable[[ServedModel], Prepared]


@dataclass(frozen=True)
class Prediction:
    """The answer to one request."""

    model: ServedModel
    request_id: str
    scores: Scores

    @property
    def version(self) -> int:
        return self.model.version


class PredictionService:
    """Everything one server process needs to answer predictions."""

    def __init__(self, workspace: Any, config: ServerConfig) -> None:
        self.workspace = workspace
        self.config = config
        self.cache = ModelCache(workspace, config.poll_seconds, on_warm=_settle_memory)
        self.logs = LogBook(
            workspace.pipelines_dir,
            config.log_flush_rows,
            config.log_flush_seconds,
            artifacts=lambda name: workspace.paths(name).store,  # None: the folder only
        )
        self.metrics = Metrics()
        self._executor = ThreadPoolExecutor(
            max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="calmops-score"
        )
        self._batchers: dict[tuple[str, str], MicroBatcher] = {}
        self.admission = Admission(config.max_pending_requests, config.retry_after_seconds)
        self._background: set[asyncio.Task] = set()

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        self.cache.start()
        self.logs.start()

    async def stop(self) -> None:
        """Let shadow scoring finish (briefly), write the logs, stop the threads."""
        if self._background:
            await asyncio.wait(self._background, timeout=self.config.shadow_timeout_seconds)
        await run_in_threadpool(self.logs.stop)
        await run_in_threadpool(self.cache.stop)
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def settle_shadows(self) -> None:
        """Wait (briefly) for shadow scoring in flight: its requests are logged after it."""
        if self._background:
            await asyncio.wait(set(self._background), timeout=self.config.shadow_timeout_seconds)

    @property
    def ready(self) -> bool:
        """Every champion the store names was tried at least once."""
        return self.cache.warm.is_set()

    # ---- answering ---------------------------------------------------------------------

    async def serving(self, name: str) -> Serving:
        """What serves ``name``; unknown names raise PipelineNotFoundError (404)."""
        found = self.cache.peek(name)
        if found is not None:
            return found
        try:
            return await run_in_threadpool(self.cache.get, name)
        except PipelineNotFoundError:
            self.metrics.observe(UNKNOWN, "lookup", 404, 0.0)
            raise

    @staticmethod
    def champion(serving: Serving) -> ServedModel:
        """The champion, or a clear 404 (none trained yet) or 503 (cannot be loaded)."""
        if serving.champion is not None:
            return serving.champion
        if serving.error:
            raise HTTPException(503, f"pipeline '{serving.pipeline}': {serving.error}")
        raise ModelVersionNotFoundError(
            serving.pipeline,
            None,
            f"pipeline '{serving.pipeline}' has no champion model yet "
            f"(run it first: `calmops run {serving.pipeline} --once`)",
        )

    async def predict(
        self,
        serving: Serving,
        prepare: Prepare,
        *,
        rows: int,
        request_id: str,
        probabilities: bool = False,
    ) -> Prediction:
        """Check, score (with whatever else is queued), log, and shadow-score one request."""
        model = self.champion(serving)
        with self.admission.admit(model.pipeline):  # past the limit: 503 with Retry-After
            prepared = await self._prepare(prepare, model, rows)
            batcher = self._batcher(model.pipeline, "champion")
            scores = await batcher.score(model, prepared.columns, prepared.rows, probabilities)
        chunk = _log_chunk(prepared, model, scores, request_id)
        if serving.shadow is not None:
            task = asyncio.get_running_loop().create_task(
                self._shadow(serving.shadow, prepare, rows, chunk)
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        else:
            self.logs.append(model.pipeline, chunk)
        return Prediction(model, request_id, scores)

    async def _prepare(self, prepare: Prepare, model: ServedModel, rows: int) -> Prepared:
        if rows <= INLINE_ROWS and not model.has_hook:  # a user's hook may be slow: off the loop
            return prepare(model)
        return await asyncio.get_running_loop().run_in_executor(self._executor, prepare, model)

    async def _shadow(
        self, shadow: ServedModel, prepare: Prepare, rows: int, chunk: dict[str, Any]
    ) -> None:
        """Score the same request with the shadow model and log both predictions."""
        size = len(chunk[META + "request_id"])
        predictions: Any = np.full(size, None, dtype=object)
        try:
            prepared = await self._prepare(prepare, shadow, rows)
            batcher = self._batcher(shadow.pipeline, "shadow")
            scores = await asyncio.wait_for(
                batcher.score(shadow, prepared.columns, prepared.rows),
                self.config.shadow_timeout_seconds,
            )
            predictions = scores.predictions
        except Exception as error:  # the shadow never fails a request; its failure is logged
            log.warning(
                "%s: shadow v%s could not score: %s", shadow.pipeline, shadow.version, error
            )
        chunk[META + "shadow_version"] = np.full(size, shadow.version, dtype=np.int64)
        chunk[META + "shadow_prediction"] = predictions
        self.logs.append(shadow.pipeline, chunk)

    def _batcher(self, pipeline: str, role: str) -> MicroBatcher:
        key = (pipeline, role)
        batcher = self._batchers.get(key)
        if batcher is None:
            batcher = self._batchers[key] = MicroBatcher(
                self._executor, self.config.max_micro_batch_rows
            )
        return batcher


def _settle_memory() -> None:
    """Once the models are loaded: freeze what exists out of the garbage collector's sight.

    The models, libraries and app are long-lived; scanning them in every full collection
    paused all requests for tens of milliseconds. New objects are still collected.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _log_chunk(
    prepared: Prepared, model: ServedModel, scores: Scores, request_id: str
) -> dict[str, Any]:
    size = prepared.rows
    now = np.datetime64("now", "us")
    chunk: dict[str, Any] = dict(prepared.logged)
    chunk[META + "request_id"] = np.full(size, request_id, dtype=object)
    chunk[META + "row"] = np.arange(size, dtype=np.int32)
    chunk[META + "served_at"] = np.full(size, now)
    chunk[META + "model_version"] = np.full(size, model.version, dtype=np.int64)
    chunk[META + "prediction"] = scores.predictions
    return chunk
