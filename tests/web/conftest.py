"""A workspace with real runs, built once per session with the harness's ``Lab``, and
clients on it.

``sea``      classification stream: a first model, stable batches, a concept change that is
             retrained and promoted, and a batch whose x0 moved (data drift)
``reg``      regression stream: two runs (residuals)
``fresh``    created, never run (empty states)
``broken``   one run that failed on an unreadable file (needs attention)
``blocky``   a block pipeline whose run report carries per-block results, and ``ippy`` an
             IPIP pipeline whose report carries its structure per block (both recorded
             through the store, in the report sections the block and IPIP kinds write)
``months``   a real block pipeline and ``ipipmonths`` a real IPIP one: SEA rows in monthly
             blocks, two files each, run through the loop
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.harness import Lab, sea_batches

from calmops.workspace import Workspace

TREE = {
    "class": "sklearn.tree.DecisionTreeClassifier",
    "params": {"max_depth": 6, "random_state": 0},
}


def session_batches(n: int) -> list[pd.DataFrame]:
    """SEA batches of 800 rows whose concept changes at batch 3 (the session's ``sea``)."""
    return sea_batches(n, size=800, drift_at=3)


def build(root: Path) -> Lab:
    lab = Lab(root, folder_per_pipeline=True)
    lab.create("sea", model=TREE, retrain={"strategy": "window", "window_batches": 1})
    batches = session_batches(6)
    shifted = batches[5].copy()
    shifted["x0"] = shifted["x0"] + 4.0
    for frame in [*batches[:5], shifted]:
        lab.write(frame, pipeline="sea")
    lab.run("sea")

    lab.create("reg", model={"class": "sklearn.linear_model.LinearRegression"})
    rng = np.random.default_rng(3)
    for _ in range(2):
        x1, x2 = rng.normal(size=400), rng.normal(size=400)
        y = 3 * x1 - 2 * x2 + rng.normal(0, 0.3, 400)
        lab.write(pd.DataFrame({"x1": x1, "x2": x2, "target": y}), pipeline="reg")
    lab.run("reg")

    lab.create("fresh")
    lab.create("broken")
    lab.write_bytes(b"\x00\x01\x02 not a table", "bad.csv", pipeline="broken")
    lab.run("broken")

    lab.create("blocky", kind="block", data={"block_column": "month"})
    record_block_run(lab.ws, "blocky", "blocks")
    lab.create("ippy", kind="ipip", data={"block_column": "month"})
    record_block_run(lab.ws, "ippy", "ipip")

    monthly = sea_batches(2, size=1500, drift_at=1, seed=2)
    for i, frame in enumerate(monthly):
        frame["month"] = [f"2024-{3 * i + 1 + j // 500:02d}" for j in range(len(frame))]
    for name, kind in (("months", "block"), ("ipipmonths", "ipip")):
        lab.create(name, kind=kind, model=TREE, data={"block_column": "month"})
        for frame in monthly:
            lab.write(frame, pipeline=name)
        lab.run(name)
    return lab


def record_block_run(ws: Workspace, name: str, section: str) -> None:
    """A finished run whose report holds the ``blocks`` or ``ipip`` section, via the store."""
    from calmops.store import RunOutcome, RunRecord, utcnow

    blocks = ["2024-01", "2024-02", "2024-03"]
    report = {
        "status": "succeeded",
        "champion": {"before": None, "after": None},
        "blocks": {
            "column": "month",
            "order": blocks,
            "rows": {b: 100 for b in blocks},
            "metrics": {b: {"balanced_accuracy": 0.9 - 0.1 * i} for i, b in enumerate(blocks)},
            "drift": {
                b: {
                    "reference": {
                        "drift": i == 2,
                        "drifted": ["x0"] if i == 2 else [],
                        "share": 0.5 * (i == 2),
                        "tested": 2,
                    }
                }
                for i, b in enumerate(blocks)
            },  # fmt: skip
            "matrix": {
                "blocks": blocks,
                "share_drifted": [[0, 0, 0.5], [0, 0, 0.5], [0.5, 0.5, 0]],
                "left_out": 0,
                "cap": 12,
            },  # fmt: skip
            "decisions": {b: {"action": "keep", "why": "no drift found"} for b in blocks},
        },
        "ipip": {
            "blocks": [
                {
                    "block": b,
                    "rows": 100,
                    "p": 5,
                    "b": 10,
                    "ensembles": 3 + i,
                    "replaced_share": 0.2 * i,
                    "metrics": {"balanced_accuracy": 0.8},
                }
                for i, b in enumerate(blocks)
            ]
        },  # fmt: skip
    }
    report = {k: v for k, v in report.items() if k not in ({"blocks", "ipip"} - {section})}
    run = RunRecord(id=f"20240101T000000-{name}", pipeline=name, status="running",
                    source="/somewhere/blocks.csv")  # fmt: skip
    ws.store.runs.begin(run)
    done = RunRecord(
        id=run.id, pipeline=name, status="succeeded", started_at=run.started_at,
        finished_at=utcnow(), decision="no_drift", source=run.source,
        summary={"metric": "balanced_accuracy", "metrics": {"balanced_accuracy": 0.8},
                 "drift_detected": True, "rows": 300, "reason": "blocks"},
        report=report,
    )  # fmt: skip
    ws.store.runs.finish(RunOutcome(done))


@pytest.fixture(scope="session")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return build(tmp_path_factory.mktemp("web-workspace"))


@pytest.fixture
def built(built_once: Lab) -> Lab:
    """The session's workspace (read-only: tests that change it use ``own``)."""
    return built_once


@pytest.fixture(scope="session")
def batches():
    """``batches(n)``: SEA batches like the session's (the same seed and concept change)."""
    return session_batches


@pytest.fixture
def own(built_once: Lab, tmp_path: Path) -> Lab:
    """A private copy of the session's workspace, for tests that change it."""
    return built_once.copy(tmp_path / "copy")


@pytest.fixture
def client(built: Lab):
    from fastapi.testclient import TestClient

    from calmops.web.app import create_ui_app

    with TestClient(create_ui_app(built.settings())) as test_client:
        yield test_client


@pytest.fixture
def reader(built: Lab):
    from calmops.web.reader import Reader

    return Reader(built.workspace())
