"""Adaptive micro-batching: concurrent requests to one pipeline are scored together.

A request joins a queue; if no scoring is under way, scoring starts at once with what is
queued (so a lone request waits for nobody). While the model scores one group in a worker
thread, the requests that arrive meanwhile queue up and are scored together next, in one call
to the model. The batch size therefore follows the load: 1 when idle, about the concurrency
when busy. A group whose combined call fails is scored request by request, so a bad request
fails alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from calmops.server.served import Columns, Scores, ServedModel

__all__ = ["MicroBatcher"]


@dataclass
class _Job:
    model: ServedModel
    columns: Columns
    rows: int
    probabilities: bool
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    """Scores the requests of one pipeline, grouping those that arrive together.

    Examples
    --------
    >>> import asyncio
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from sklearn.dummy import DummyClassifier
    >>> from calmops.server.served import ServedModel
    >>> card = {"features": [{"name": "x", "kind": "numeric"}], "classes": [0, 1]}
    >>> model = DummyClassifier(strategy="most_frequent").fit([[0], [1], [1]], [0, 1, 1])
    >>> served = ServedModel("demo", "champion", 1, model, card)
    >>> async def three_requests():
    ...     batcher = MicroBatcher(ThreadPoolExecutor(1))
    ...     jobs = [served.prepare_rows([{"x": float(i)}]).columns for i in range(3)]
    ...     done = await asyncio.gather(*(batcher.score(served, c, 1) for c in jobs))
    ...     return [s.predictions.tolist() for s in done], batcher.largest
    >>> asyncio.run(three_requests())
    ([[1], [1], [1]], 3)
    """

    def __init__(self, executor: Executor, max_rows: int = 4096) -> None:
        self._executor = executor
        self._max_rows = max_rows
        self._queue: list[_Job] = []
        self._running = False
        self.largest = 0  # the most requests scored in one call so far

    async def score(
        self, model: ServedModel, columns: Columns, rows: int, probabilities: bool = False
    ) -> Scores:
        """The scores of one request's rows, computed with whatever else is queued."""
        loop = asyncio.get_running_loop()
        job = _Job(model, columns, rows, probabilities, loop.create_future())
        self._queue.append(job)
        if not self._running:
            self._running = True
            loop.create_task(self._drain())
        return await job.future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                group = self._take()
                self.largest = max(self.largest, len(group))
                try:
                    outcomes = await loop.run_in_executor(self._executor, _score_group, group)
                except asyncio.CancelledError:
                    self._queue[:0] = group
                    raise
                except Exception as error:
                    outcomes = [error] * len(group)
                for job, outcome in zip(group, outcomes, strict=True):
                    if job.future.done():  # the client went away
                        continue
                    if isinstance(outcome, BaseException):
                        job.future.set_exception(outcome)
                    else:
                        job.future.set_result(outcome)
        except BaseException:  # cancelled (shutdown): never leave a request waiting forever
            for job in self._queue:
                job.future.cancel()
            self._queue.clear()
            raise
        finally:
            self._running = False

    def _take(self) -> list[_Job]:
        """The oldest queued jobs for the same model, up to ``max_rows`` rows (at least one)."""
        first = self._queue[0]
        taken, kept, rows = [], [], 0
        for job in self._queue:
            if job.model is first.model and (not taken or rows + job.rows <= self._max_rows):
                taken.append(job)
                rows += job.rows
            else:
                kept.append(job)
        self._queue = kept
        return taken


def _score_group(group: list[_Job]) -> list[Scores | BaseException]:
    model = group[0].model
    if len(group) == 1:
        return [_guarded(lambda: model.score(group[0].columns, group[0].probabilities))]
    proba = any(job.probabilities for job in group)
    merged = {name: np.concatenate([job.columns[name] for job in group]) for name in model.names}
    try:
        scores = model.score(merged, proba)
    except Exception:  # someone's rows were refused: score each request alone to find whose
        return [
            _guarded(lambda job=job: model.score(job.columns, job.probabilities)) for job in group
        ]
    outcomes: list[Scores | BaseException] = []
    start = 0
    for job in group:
        end = start + job.rows
        probabilities = None
        if job.probabilities and scores.probabilities is not None:
            probabilities = scores.probabilities[start:end]
        outcomes.append(Scores(scores.predictions[start:end], probabilities))
        start = end
    return outcomes


def _guarded(score: Callable[[], Scores]) -> Scores | BaseException:
    try:
        return score()
    except Exception as error:  # handed to the request that owns it, which reports it
        return error
