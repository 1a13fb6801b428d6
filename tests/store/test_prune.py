"""Run retention in every store (memory, SQLite, PostgreSQL): ``runs.prune``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from calmops.errors import RunNotFoundError
from calmops.store import (
    DriftRow,
    FileKey,
    MetricRow,
    ModelVersion,
    PipelineRecord,
    RunOutcome,
    RunRecord,
)

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def demo(store):
    store.pipelines.create(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
    return store


def _key(number: int) -> FileKey:
    return FileKey(f"/data/b{number}.csv", 100 + number, f"{number:064x}")


def _add(store, number: int, status: str = "succeeded", decision: str | None = "no_drift", *,
         version: int | None = None, file_status: str | None = None) -> str:  # fmt: skip
    """Run ``number`` (started ``number`` minutes after START) on its own file, finished."""
    run_id = f"r{number:04d}"
    run = RunRecord(run_id, "demo", "running", started_at=START + timedelta(minutes=number))
    assert store.runs.begin(run, _key(number))
    versions = ()
    if version is not None:
        versions = (ModelVersion("demo", version, f"models/v{version}", "0" * 64, run_id),)
    outcome = RunOutcome(
        replace(run, status=status, decision=decision, finished_at=run.started_at),
        file_status or ("done" if status == "succeeded" else "failed"),
        metrics=(MetricRow("accuracy", 0.9),),
        drift=(DriftRow("x0", "ks", 0.1, 0.5, 0.05, False, "no_drift"),),
        new_versions=versions,
    )
    store.runs.finish(outcome)
    return run_id


def _ids(store) -> list[str]:
    return sorted(r.id for r in store.runs.list("demo", limit=1000))


def _row_counts(store) -> tuple[int, int]:
    """Metric and drift rows left in the store."""
    engine = getattr(store, "engine", None)
    if engine is None:  # the memory store keeps them in lists
        tables = store.runs._m.tables
        return len(tables.metrics), len(tables.drift)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM metrics")).scalar()
        drift = connection.execute(sa.text("SELECT count(*) FROM drift_results")).scalar()
    return count, drift


def test_keeps_the_newest_runs_and_drops_their_rows(demo) -> None:
    ids = [_add(demo, n) for n in range(6)]
    pruned = demo.runs.prune("demo", keep=2)
    assert [r.id for r in pruned] == ids[:4]  # oldest first
    assert _ids(demo) == ids[4:]
    assert _row_counts(demo) == (2, 2)
    with pytest.raises(RunNotFoundError):
        demo.runs.get("demo", ids[0])


def test_never_forgets_a_processed_file(demo) -> None:
    [_add(demo, n) for n in range(3)]
    demo.runs.prune("demo", keep=1)
    assert len(demo.runs.ledger("demo")) == 3
    again = RunRecord("again", "demo", "running", started_at=START + timedelta(hours=1))
    assert demo.runs.begin(again, _key(0)) is False  # still processed before


def test_limit_and_dry_run(demo) -> None:
    ids = [_add(demo, n) for n in range(5)]
    would = demo.runs.prune("demo", keep=1, dry_run=True)
    assert [r.id for r in would] == ids[:4] and _ids(demo) == ids
    assert [r.id for r in demo.runs.prune("demo", keep=1, limit=3)] == ids[:3]
    assert _ids(demo) == ids[3:]


def test_by_age_and_by_count_either_prunes(demo) -> None:
    ids = [_add(demo, n) for n in range(5)]
    pruned = demo.runs.prune("demo", keep=4, before=START + timedelta(minutes=2))
    assert [r.id for r in pruned] == ids[:2]  # age takes two, the count would take one
    assert demo.runs.prune("demo") == []  # no limit: nothing goes


def test_keeps_the_training_run_of_a_version(demo) -> None:
    trained = _add(demo, 0, decision="train", version=1)
    ids = [_add(demo, n) for n in range(1, 5)]
    demo.models.set_aliases("demo", {"champion": 1}, reason="test")
    demo.runs.prune("demo", keep=1)
    assert _ids(demo) == [trained, ids[-1]]


def test_keeps_what_retry_can_still_take_up(demo) -> None:
    failed = _add(demo, 0, status="failed", decision=None)
    retried = _add(demo, 1, status="failed", decision=None)
    demo.runs.forget("demo", _key(1).path)  # retried: its failed entry is gone
    paused = _add(demo, 2, decision="paused")
    resumed = _add(demo, 3, decision="paused")
    demo.runs.forget("demo", run_ids=[resumed])
    newest = _add(demo, 4)
    pruned = {r.id for r in demo.runs.prune("demo", keep=1)}
    assert pruned == {retried, resumed}
    assert _ids(demo) == [failed, paused, newest]


def test_never_a_running_run(demo) -> None:
    running = RunRecord("r0000", "demo", "running", started_at=START)
    assert demo.runs.begin(running, _key(0))
    ids = [_add(demo, n) for n in range(1, 4)]
    demo.runs.prune("demo", keep=1)
    assert _ids(demo) == ["r0000", ids[-1]]


def test_other_pipelines_are_untouched(demo) -> None:
    demo.pipelines.create(PipelineRecord("other", "stream", "manual", {"name": "other"}))
    other = RunRecord("o1", "other", "running", started_at=START)
    demo.runs.begin(other)
    demo.runs.finish(RunOutcome(replace(other, status="succeeded")))
    [_add(demo, n) for n in range(3)]
    demo.runs.prune("demo", keep=1)
    assert [r.id for r in demo.runs.list("other")] == ["o1"]
