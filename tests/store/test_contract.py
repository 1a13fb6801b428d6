"""The store contract, run against every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calmops.errors import PipelineExistsError, PipelineNotFoundError
from calmops.store import EventRecord, PipelineRecord, RunRecord, Store


def _spec(name: str, kind: str = "stream", trigger: str = "manual") -> dict:
    return {"name": name, "kind": kind, "trigger": {"type": trigger}, "data": {"dir": "/d"}}


def _pipeline(name: str = "demo", **kw) -> PipelineRecord:
    return PipelineRecord(name=name, kind="stream", trigger="manual", spec=_spec(name), **kw)


class Boom(Exception):
    pass


def _boom() -> None:
    raise Boom


def test_every_store_is_a_store(store) -> None:
    assert isinstance(store, Store)


def test_create_get_and_list_sorted(store) -> None:
    for name in ("zeta", "alpha", "mid"):
        store.create_pipeline(_pipeline(name))
    assert [p.name for p in store.list_pipelines()] == ["alpha", "mid", "zeta"]
    got = store.get_pipeline("mid")
    assert got.spec == _spec("mid")
    assert got.state == "stopped"
    assert got.created_at.tzinfo is not None
    assert abs(got.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_creating_a_taken_name_fails_and_changes_nothing(store) -> None:
    store.create_pipeline(_pipeline("demo"))
    with pytest.raises(PipelineExistsError, match="already exists"):
        store.create_pipeline(
            PipelineRecord("demo", "block", "watch", _spec("demo", "block", "watch"))
        )
    assert store.get_pipeline("demo").kind == "stream"
    assert len(store.list_pipelines()) == 1


def test_unknown_pipeline(store) -> None:
    with pytest.raises(PipelineNotFoundError, match="no pipeline named 'ghost'"):
        store.get_pipeline("ghost")
    with pytest.raises(PipelineNotFoundError):
        store.update_pipeline("ghost", state="running")
    with pytest.raises(PipelineNotFoundError):
        store.delete_pipeline("ghost")
    with pytest.raises(PipelineNotFoundError):
        store.record_run(RunRecord(id="r1", pipeline="ghost", status="running"))


def test_update_spec_and_state(store) -> None:
    created = store.create_pipeline(_pipeline("demo"))
    updated = store.update_pipeline("demo", spec=_spec("demo", "block", "watch"))
    assert (updated.kind, updated.trigger) == ("block", "watch")
    assert updated.updated_at >= created.updated_at
    assert store.update_pipeline("demo", state="running").state == "running"
    assert store.get_pipeline("demo").kind == "block"


def test_failed_before_commit_rolls_back_create_update_and_delete(store) -> None:
    with pytest.raises(Boom):
        store.create_pipeline(_pipeline("demo"), before_commit=_boom)
    assert store.list_pipelines() == []

    store.create_pipeline(_pipeline("demo"))
    with pytest.raises(Boom):
        store.update_pipeline("demo", spec=_spec("demo", "ipip"), state="x", before_commit=_boom)
    assert store.get_pipeline("demo").kind == "stream"
    assert store.get_pipeline("demo").state == "stopped"

    store.set_alias("demo", "champion", 1, reason="first model")
    with pytest.raises(Boom):
        store.delete_pipeline("demo", before_commit=_boom)
    assert store.get_pipeline("demo").name == "demo"
    assert store.aliases("demo") == {"champion": 1}


def test_runs_insert_update_and_latest(store) -> None:
    store.create_pipeline(_pipeline("demo"))
    assert store.latest_run("demo") is None
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.record_run(RunRecord(id="r1", pipeline="demo", status="running", started_at=start))
    store.record_run(
        RunRecord(id="r2", pipeline="demo", status="running", started_at=start + timedelta(hours=1))
    )
    store.record_run(
        RunRecord(
            id="r2",
            pipeline="demo",
            status="succeeded",
            started_at=start + timedelta(hours=1),
            finished_at=start + timedelta(hours=2),
            decision="retrain",
            source="batch_2.csv",
            model_version=2,
        )
    )
    latest = store.latest_run("demo")
    assert (latest.id, latest.status, latest.decision) == ("r2", "succeeded", "retrain")
    assert latest.finished_at == start + timedelta(hours=2)
    assert latest.model_version == 2


def test_aliases_and_their_audit_trail(store) -> None:
    store.create_pipeline(_pipeline("demo"))
    store.set_alias("demo", "champion", 1, reason="first model")
    store.set_alias("demo", "challenger", 2, reason="retrained")
    change = store.set_alias("demo", "champion", 2, reason="challenger won")
    assert (change.old_version, change.new_version) == (1, 2)
    store.set_alias("demo", "challenger", None, reason="promoted")
    assert store.aliases("demo") == {"champion": 2}
    history = [
        (c.alias, c.old_version, c.new_version, c.reason) for c in store.alias_history("demo")
    ]
    assert history == [
        ("champion", None, 1, "first model"),
        ("challenger", None, 2, "retrained"),
        ("champion", 1, 2, "challenger won"),
        ("challenger", 2, None, "promoted"),
    ]


def test_events_newest_first_filtered_and_limited(store) -> None:
    store.create_pipeline(_pipeline("a"))
    store.create_pipeline(_pipeline("b"))
    for i in range(5):
        store.add_event(EventRecord(pipeline="a", kind="run", message=f"a{i}", data={"i": i}))
    store.add_event(EventRecord(pipeline="b", kind="run", message="b0", level="warning"))
    store.add_event(EventRecord(pipeline=None, kind="server", message="started"))
    assert [e.message for e in store.events("a", limit=3)] == ["a4", "a3", "a2"]
    assert store.events("a")[0].data == {"i": 4}
    assert [e.message for e in store.events(limit=2)] == ["started", "b0"]
    assert store.events("b")[0].level == "warning"
    assert store.events()[0].pipeline is None


def test_delete_removes_everything_recorded_about_a_pipeline(store) -> None:
    store.create_pipeline(_pipeline("demo"))
    store.record_run(RunRecord(id="r1", pipeline="demo", status="succeeded"))
    store.set_alias("demo", "champion", 1, reason="first")
    store.add_event(EventRecord(pipeline="demo", kind="run", message="ran"))
    store.delete_pipeline("demo")
    assert store.list_pipelines() == []
    store.create_pipeline(_pipeline("demo"))
    assert store.latest_run("demo") is None
    assert store.aliases("demo") == {}
    assert store.alias_history("demo") == []
    assert store.events("demo") == []
