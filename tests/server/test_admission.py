"""Overload: past ``max_pending_requests`` a pipeline answers 503 with Retry-After, never hangs.

A real uvicorn server on loopback serves a pipeline whose preprocess hook sleeps when it is
asked to predict (a deliberately slow model); many more clients than the limit ask at once.
Latency and memory figures are in ``benchmarks/overload_bench.py``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from tests.harness import Lab, sea_rows
from tests.server.conftest import LOGISTIC

from calmops.server import ServerConfig
from calmops.workspace import Workspace

SLOW_HOOK = (
    "import time\n"
    "def preprocess(df):\n"
    "    if len(df) < 10:  # serving one row: slow; training on hundreds: fast\n"
    "        time.sleep(0.2)\n"
    "    return df\n"
)
LIMIT = 4
CLIENTS = 48


def slow_workspace(root: Path) -> Workspace:
    """Pipeline ``slow``: SEA, a logistic regression and a hook taking 0.2 s per request."""
    lab = Lab(root, folder_per_pipeline=True)
    hook = root / "slow_hooks.py"
    hook.write_text(SLOW_HOOK)
    lab.create("slow", model=LOGISTIC, hooks=str(hook))
    lab.write(sea_rows(300, seed=1), "b0.csv", pipeline="slow")
    assert [r.status for r in lab.run("slow")] == ["succeeded"]
    return lab.ws


async def _storm(url: str, clients: int) -> list[httpx.Response]:
    row = {"x0": 1.0, "x1": 2.0, "x2": 3.0}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        return await asyncio.gather(
            *(client.post("/predict/slow", json=row) for _ in range(clients))
        )


@pytest.mark.slow  # a real server, trained pipeline and a slow hook
def test_overload_is_answered_503_with_retry_after_and_nothing_hangs(serve, tmp_path) -> None:
    ws = slow_workspace(tmp_path)
    live = serve(ws, max_pending_requests=LIMIT, retry_after_seconds=3)
    answers = asyncio.run(_storm(live.url, CLIENTS))

    statuses = [a.status_code for a in answers]
    assert len(statuses) == CLIENTS  # every request got an answer
    assert set(statuses) <= {200, 503}, statuses
    refused = [a for a in answers if a.status_code == 503]
    assert refused, "nobody was refused: the queue is not bounded"
    assert statuses.count(200) >= LIMIT  # the admitted ones were served
    for answer in refused:
        assert answer.headers["Retry-After"] == "3"
        assert "overloaded" in answer.json()["error"]
    service = live.app.state.service
    assert service.admission.refused == len(refused)
    assert service.admission.pending("slow") == 0  # every place was given back
    # once the storm is over the pipeline answers again
    after = httpx.post(f"{live.url}/predict/slow", json={"x0": 1.0, "x1": 2.0, "x2": 3.0})
    assert after.status_code == 200
    metrics = httpx.get(f"{live.url}/metrics").text
    assert 'route="predict",code="503"' in metrics


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_pending_requests must be at least 1"):
        ServerConfig(max_pending_requests=0)
    with pytest.raises(ValueError, match="retry_after_seconds must be at least 1"):
        ServerConfig(retry_after_seconds=0)
