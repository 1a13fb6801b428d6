"""Parity: one scenario — 20 SEA batches with two drifts (at batches 7 and 14), a stream
pipeline watching its folder — run three ways: SQLite + local executor, PostgreSQL + local
executor with the artifacts in S3, PostgreSQL + S3 + Ray (the two-node test cluster). Every
way gives the same decisions, the same model versions and aliases, the same drift verdicts,
and runs every file once. The S3 server is moto's, on loopback, standing in for S3/MinIO
(``tests/s3.py``)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.harness import Lab, wait_for
from tests.monitor.conftest import SITE
from tests.pg import fresh_database

from calmops.executor import LocalExecutor, RayExecutor

pytest.importorskip("ray")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ray")]  # one cluster

BATCHES = 20
SIZE = 1000
TREE = {
    "class": "sklearn.tree.DecisionTreeClassifier",
    "params": {"max_depth": 6, "random_state": 0},
}
RETRAIN = {"strategy": "window", "window_batches": 1}


def scenario(size: int = SIZE) -> list[pd.DataFrame]:
    """SEA concept 0 for seven batches, concept 3 for seven, concept 0 again for six."""
    from calmops.data_generators import generate_stream
    from calmops.data_generators.streams.schedule import recurrent

    schedule = recurrent(7 * size, 7 * size, to={"variant": 3})
    frame = generate_stream(
        "sea", BATCHES * size, seed=1, schedule=schedule, params={"noise": 0.05}
    ).data
    return [frame.iloc[i * size : (i + 1) * size].reset_index(drop=True) for i in range(BATCHES)]


def run_scenario(lab: Lab, executor: Any) -> dict[str, Any]:
    """Feed the scenario, let ``executor`` monitor it to the end, and say what happened."""
    lab.create(model=TREE, retrain=RETRAIN)
    for index, frame in enumerate(scenario()):
        lab.drop(frame, f"batch_{index:02d}.csv")
    placed = executor.start(lab.ws, ["demo"])
    assert placed[0].status == "started", placed
    try:
        wait_for(
            lambda: (
                len(lab.runs()) >= BATCHES
                and all(e.status != "processing" for e in lab.ws.store.runs.ledger("demo"))
            ),
            timeout=300,
            what="every batch to run",
        )
    finally:
        executor.stop(lab.ws, ["demo"])
    store = lab.ws.store
    runs = sorted(lab.runs(), key=lambda run: Path(run.source).name)
    return {
        "runs": [
            (
                Path(run.source).name,
                run.status,
                run.decision,
                run.model_version,
                run.summary.get("drift_detected"),
                run.summary.get("signals"),
                run.summary.get("champion_version"),
            )
            for run in runs
        ],
        "summaries": [run.summary for run in runs],
        "versions": [v.version for v in store.models.versions("demo")],
        "aliases": store.models.aliases("demo"),
        "ledger": sorted((Path(e.file.path).name, e.status) for e in store.runs.ledger("demo")),
    }


def new_bucket() -> str:
    """``s3://<a new bucket>/calmops`` on the test's S3 server."""
    import s3fs

    bucket = f"calmops-{uuid.uuid4().hex[:12]}"
    s3fs.S3FileSystem(skip_instance_cache=True).mkdir(bucket)
    return f"s3://{bucket}/calmops"


def test_sqlite_local_postgresql_s3_local_and_postgresql_s3_ray_agree(
    cluster, s3_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CALMOPS_DB_URL", "CALMOPS_ARTIFACTS"):
        monkeypatch.delenv(name, raising=False)
    outcomes = {"sqlite+local": run_scenario(Lab(tmp_path / "a", defaults=SITE), LocalExecutor())}
    with fresh_database() as (url, _admin):
        artifacts = new_bucket()
        monkeypatch.setenv("CALMOPS_DB_URL", url)  # the detached monitor reads them
        monkeypatch.setenv("CALMOPS_ARTIFACTS", artifacts)
        lab = Lab(tmp_path / "b", defaults=SITE, db_url=url, artifacts_url=artifacts)
        outcomes["postgresql+s3+local"] = run_scenario(lab, LocalExecutor())
        assert not list((lab.ws.paths("demo").root / "models").glob("v*"))  # all in S3
        monkeypatch.delenv("CALMOPS_DB_URL")
        monkeypatch.delenv("CALMOPS_ARTIFACTS")
    with fresh_database() as (url, _admin):
        artifacts = new_bucket()  # the actors get it, and the AWS variables (forwarded_env)
        lab = Lab(tmp_path / "c", defaults=SITE, db_url=url, artifacts_url=artifacts)
        outcomes["postgresql+s3+ray"] = run_scenario(lab, RayExecutor(address=cluster.address))
        assert not list((lab.ws.paths("demo").root / "models").glob("v*"))

    baseline = outcomes["sqlite+local"]
    assert len(baseline["runs"]) == BATCHES
    assert {status for _, status in baseline["ledger"]} == {"done"}
    assert len(baseline["ledger"]) == BATCHES  # every file once
    decisions = [run[2] for run in baseline["runs"]]
    assert decisions[0] == "train"
    assert decisions[7] == "retrain" and decisions[14] == "retrain"  # both drifts acted on
    for way, outcome in outcomes.items():
        assert outcome["runs"] == baseline["runs"], way
        assert outcome["versions"] == baseline["versions"], way
        assert outcome["aliases"] == baseline["aliases"], way
        assert outcome["ledger"] == baseline["ledger"], way
        for got, expected in zip(outcome["summaries"], baseline["summaries"], strict=True):
            differing = {k for k in got.keys() | expected.keys() if got.get(k) != expected.get(k)}
            assert not differing, (way, {k: (got.get(k), expected.get(k)) for k in differing})
