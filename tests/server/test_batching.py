"""Micro-batching: concurrent requests are scored in one call; a bad one fails alone."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from calmops.errors import DataValidationError
from calmops.server.batching import MicroBatcher
from calmops.server.served import ServedModel

CARD = {"features": [{"name": "x", "kind": "numeric"}], "classes": [0, 1], "task": "classification"}


class Threshold:
    """Predicts x > 0; refuses (ValueError) any x above 100; counts its calls."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def predict(self, frame):
        values = frame["x"].to_numpy()
        self.calls.append(len(values))
        if (values > 100).any():
            raise ValueError("x above 100")
        return (values > 0).astype(int)


def _run(model: Threshold, xs: list[float]) -> list:
    served = ServedModel("demo", "champion", 1, model, CARD)

    async def go():
        batcher = MicroBatcher(ThreadPoolExecutor(1))
        jobs = [batcher.score(served, {"x": np.array([x])}, 1) for x in xs]
        return await asyncio.gather(*jobs, return_exceptions=True), batcher.largest

    return asyncio.run(go())


def test_concurrent_requests_share_one_call() -> None:
    model = Threshold()
    outcomes, largest = _run(model, [-1.0, 2.0, -3.0, 4.0])
    assert [o.predictions.tolist() for o in outcomes] == [[0], [1], [0], [1]]
    assert largest == 4 and model.calls == [4]


def test_a_refused_request_fails_alone() -> None:
    model = Threshold()
    outcomes, _ = _run(model, [1.0, 500.0, -1.0])
    assert outcomes[0].predictions.tolist() == [1] and outcomes[2].predictions.tolist() == [0]
    assert isinstance(outcomes[1], DataValidationError)
    assert "x above 100" in str(outcomes[1])
    assert model.calls == [3, 1, 1, 1]


def test_rows_are_capped_per_call() -> None:
    model = Threshold()
    served = ServedModel("demo", "champion", 1, model, CARD)

    async def go():
        batcher = MicroBatcher(ThreadPoolExecutor(1), max_rows=4)
        jobs = [batcher.score(served, {"x": np.ones(3)}, 3) for _ in range(3)]
        return await asyncio.gather(*jobs)

    assert [len(s.predictions) for s in asyncio.run(go())] == [3, 3, 3]
    assert model.calls == [3, 3, 3]


@pytest.mark.parametrize("size", [1, 5])
def test_probabilities_are_sliced_per_request(size: int) -> None:
    from sklearn.linear_model import LogisticRegression

    from calmops.server.served import _FrameModel

    fitted = _FrameModel(LogisticRegression().fit([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1]))
    served = ServedModel("demo", "champion", 1, fitted, CARD)

    async def go():
        batcher = MicroBatcher(ThreadPoolExecutor(1))
        jobs = [
            batcher.score(served, {"x": np.full(size, float(i))}, size, probabilities=True)
            for i in (-3, 3)
        ]
        return await asyncio.gather(*jobs)

    low, high = asyncio.run(go())
    assert low.probabilities.shape == (size, 2) and (low.probabilities[:, 0] > 0.5).all()
    assert (high.probabilities[:, 1] > 0.5).all()
