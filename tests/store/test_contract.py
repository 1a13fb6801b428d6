"""The store contract, run against every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from calmops.errors import (
    ModelInUseError,
    ModelVersionNotFoundError,
    PipelineExistsError,
    PipelineNotFoundError,
    RunNotFoundError,
    RunTakenOverError,
)
from calmops.store import (
    BreakerState,
    DriftRow,
    EventRecord,
    FileKey,
    MetricRow,
    ModelVersion,
    PipelineRecord,
    RunOutcome,
    RunRecord,
    Store,
)

START = datetime(2026, 1, 1, tzinfo=UTC)


def _spec(name: str, kind: str = "stream", trigger: str = "manual") -> dict:
    return {"name": name, "kind": kind, "trigger": {"type": trigger}, "data": {"dir": "/d"}}


def _pipeline(name: str = "demo") -> PipelineRecord:
    return PipelineRecord(name=name, kind="stream", trigger="manual", spec=_spec(name))


def _run(run_id: str, pipeline: str = "demo", minutes: int = 0) -> RunRecord:
    return RunRecord(
        id=run_id,
        pipeline=pipeline,
        status="running",
        started_at=START + timedelta(minutes=minutes),
    )


def _version(number: int, pipeline: str = "demo") -> ModelVersion:
    return ModelVersion(pipeline, number, f"models/v{number}/model.joblib", f"{number:064d}")


FILE = FileKey("/data/batch_1.csv", 1234, "a" * 64)


class Boom(Exception):
    pass


def _boom() -> None:
    raise Boom


@pytest.fixture
def demo(store):
    store.pipelines.create(_pipeline("demo"))
    return store


# ---- pipelines -----------------------------------------------------------------------------


def test_every_store_is_a_store(store) -> None:
    assert isinstance(store, Store)


def test_create_get_and_list_sorted(store) -> None:
    for name in ("zeta", "alpha", "mid"):
        store.pipelines.create(_pipeline(name))
    assert [p.name for p in store.pipelines.list()] == ["alpha", "mid", "zeta"]
    got = store.pipelines.get("mid")
    assert got.spec == _spec("mid")
    assert got.state == "stopped"
    assert got.created_at.tzinfo is not None
    assert abs(got.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_creating_a_taken_name_fails_and_changes_nothing(demo) -> None:
    with pytest.raises(PipelineExistsError, match="already exists"):
        demo.pipelines.create(
            PipelineRecord("demo", "block", "watch", _spec("demo", "block", "watch"))
        )
    assert demo.pipelines.get("demo").kind == "stream"
    assert len(demo.pipelines.list()) == 1


def test_unknown_pipeline(store) -> None:
    with pytest.raises(PipelineNotFoundError, match="no pipeline named 'ghost'"):
        store.pipelines.get("ghost")
    for call in (
        lambda: store.pipelines.update("ghost", state="running"),
        lambda: store.pipelines.delete("ghost"),
        lambda: store.runs.begin(_run("r1", "ghost")),
        lambda: store.runs.list("ghost"),
        lambda: store.models.versions("ghost"),
        lambda: store.state.breaker("ghost"),
        lambda: store.events.add(EventRecord(pipeline="ghost", kind="x", message="x")),
    ):
        with pytest.raises(PipelineNotFoundError):
            call()


def test_update_spec_and_state(demo) -> None:
    before = demo.pipelines.get("demo")
    updated = demo.pipelines.update("demo", spec=_spec("demo", "block", "watch"))
    assert (updated.kind, updated.trigger) == ("block", "watch")
    assert updated.updated_at >= before.updated_at
    assert demo.pipelines.update("demo", state="running").state == "running"
    assert demo.pipelines.get("demo").kind == "block"


def test_failed_before_commit_rolls_back_create_update_and_delete(store) -> None:
    with pytest.raises(Boom):
        store.pipelines.create(_pipeline("demo"), before_commit=_boom)
    assert store.pipelines.list() == []

    store.pipelines.create(_pipeline("demo"))
    with pytest.raises(Boom):
        store.pipelines.update("demo", spec=_spec("demo", "ipip"), state="x", before_commit=_boom)
    assert store.pipelines.get("demo").kind == "stream"
    assert store.pipelines.get("demo").state == "stopped"

    store.models.add(_version(1))
    store.models.set_aliases("demo", {"champion": 1}, reason="first model")
    with pytest.raises(Boom):
        store.pipelines.delete("demo", before_commit=_boom)
    assert store.pipelines.get("demo").name == "demo"
    assert store.models.aliases("demo") == {"champion": 1}


# ---- runs and the ledger -------------------------------------------------------------------


def test_a_run_claims_its_file_once(demo) -> None:
    assert demo.runs.begin(_run("r1"), FILE)
    demo.runs.finish(RunOutcome(replace(_run("r1"), status="succeeded"), file_status="done"))
    assert not demo.runs.begin(_run("r2", minutes=1), FILE), "the same content ran twice"
    assert [(e.file, e.status, e.run_id) for e in demo.runs.ledger("demo")] == [
        (FILE, "done", "r1")
    ]
    assert [r.id for r in demo.runs.list("demo")] == ["r1"]


def test_a_run_whose_file_was_taken_over_cannot_commit(demo) -> None:
    """Fencing: a holder frozen past its lease finishes late; the run that took its file over
    is the one that counts, and the late one commits nothing."""
    assert demo.runs.begin(_run("r1"), FILE)
    assert demo.runs.begin(_run("r2", minutes=1), FILE)  # r1 never finished: taken over
    late = RunOutcome(
        replace(_run("r1"), status="succeeded"), file_status="done", new_versions=(_version(1),)
    )
    with pytest.raises(RunTakenOverError, match="taken over"):
        demo.runs.finish(late)
    assert demo.models.versions("demo") == []  # nothing of the late run was written
    (entry,) = demo.runs.ledger("demo")
    assert (entry.run_id, entry.status) == ("r2", "processing")
    demo.runs.finish(RunOutcome(replace(_run("r2", minutes=1), status="succeeded"), "done"))
    assert [(e.run_id, e.status) for e in demo.runs.ledger("demo")] == [("r2", "done")]
    assert {r.id: r.status for r in demo.runs.list("demo")} == {"r1": "failed", "r2": "succeeded"}


def test_a_changed_file_runs_again(demo) -> None:
    assert demo.runs.begin(_run("r1"), FILE)
    demo.runs.finish(RunOutcome(replace(_run("r1"), status="succeeded"), file_status="done"))
    changed = FileKey(FILE.path, FILE.size + 10, "b" * 64)
    assert demo.runs.begin(_run("r2", minutes=1), changed)


def test_an_interrupted_run_is_taken_over(demo) -> None:
    assert demo.runs.begin(_run("r1"), FILE)  # ... and the process dies here
    assert demo.runs.begin(_run("r2", minutes=1), FILE)
    crashed = demo.runs.get("demo", "r1")
    assert crashed.status == "failed" and "interrupted" in crashed.error
    demo.runs.finish(RunOutcome(replace(_run("r2", minutes=1), status="succeeded"), "done"))
    assert [(e.status, e.run_id) for e in demo.runs.ledger("demo")] == [("done", "r2")]


def test_a_run_claims_several_keys_at_once_or_none(demo) -> None:
    chunk = FileKey(FILE.path + "#period=1", FILE.size, "c" * 64)
    assert demo.runs.begin(_run("r1"), [chunk])
    demo.runs.finish(RunOutcome(replace(_run("r1"), status="succeeded"), file_status="done"))
    later = FileKey(FILE.path + "#period=2", FILE.size, "d" * 64)
    assert not demo.runs.begin(_run("r2", minutes=1), [later, chunk]), "chunk ran twice"
    assert [r.id for r in demo.runs.list("demo")] == ["r1"]
    assert demo.runs.begin(_run("r3", minutes=2), (later, FILE))  # ... and dies
    assert demo.runs.begin(_run("r4", minutes=3), (later, FILE))  # takes both over
    demo.runs.finish(RunOutcome(replace(_run("r4", minutes=3), status="succeeded"), "done"))
    assert demo.runs.get("demo", "r3").status == "failed"
    assert sorted((e.file.sha256[0], e.status, e.run_id) for e in demo.runs.ledger("demo")) == [
        ("a", "done", "r4"),
        ("c", "done", "r1"),
        ("d", "done", "r4"),
    ]


def test_failed_files_are_not_retried_until_forgotten(demo) -> None:
    assert demo.runs.begin(_run("r1"), FILE)
    failed = replace(_run("r1"), status="failed", error="missing columns: x")
    demo.runs.finish(RunOutcome(failed, file_status="failed"))
    entry = demo.runs.ledger("demo")[0]
    assert (entry.status, entry.error) == ("failed", "missing columns: x")
    assert not demo.runs.begin(_run("r2", minutes=1), FILE)
    assert demo.runs.forget("demo", path="/elsewhere.csv") == []
    assert demo.runs.forget("demo") == [FILE]
    assert demo.runs.begin(_run("r3", minutes=2), FILE)


def test_finish_commits_the_whole_run(demo) -> None:
    demo.models.add(_version(1))
    demo.models.set_aliases("demo", {"champion": 1}, reason="first")
    assert demo.runs.begin(_run("r1"), FILE)
    finished = replace(
        _run("r1"),
        status="succeeded",
        decision="retrain",
        finished_at=START + timedelta(minutes=3),
        model_version=2,
        summary={"drift_detected": True},
        report={"decision": {"reason": "accuracy fell"}},
    )
    demo.runs.finish(
        RunOutcome(
            finished,
            file_status="done",
            metrics=(MetricRow("accuracy", 0.9, model_version=2),),
            drift=(DriftRow("x", "ks", 0.3, 0.001, 0.05, True, "drift"),),
            new_versions=(_version(2),),
            aliases={"champion": 2, "previous": 1},
            alias_reason="challenger won",
            breaker=BreakerState("closed", 0),
            detector_state={"name": "adwin", "state": [1, 2]},
        )
    )
    run = demo.runs.get("demo", "r1")
    assert (run.status, run.decision, run.model_version) == ("succeeded", "retrain", 2)
    assert run.report == {"decision": {"reason": "accuracy fell"}}
    assert run.summary == {"drift_detected": True}
    assert run.finished_at == START + timedelta(minutes=3)
    assert demo.runs.list("demo")[0].report is None, "listings leave the report out"
    assert demo.models.aliases("demo") == {"champion": 2, "previous": 1}
    assert [v.version for v in demo.models.versions("demo")] == [1, 2]
    assert demo.state.detector("demo") == {"name": "adwin", "state": [1, 2]}
    assert demo.runs.ledger("demo")[0].status == "done"


def test_a_failing_finish_commits_nothing(demo) -> None:
    assert demo.runs.begin(_run("r1"), FILE)
    with pytest.raises(ModelVersionNotFoundError):
        demo.runs.finish(
            RunOutcome(
                replace(_run("r1"), status="succeeded"),
                file_status="done",
                new_versions=(_version(1),),
                aliases={"champion": 7},  # no such version: the whole run must roll back
                alias_reason="bad",
            )
        )
    assert demo.runs.get("demo", "r1").status == "running"
    assert demo.runs.ledger("demo")[0].status == "processing"
    assert demo.models.versions("demo") == []


def test_runs_newest_first_and_latest(demo) -> None:
    assert demo.runs.latest("demo") is None
    for i in range(3):
        demo.runs.begin(_run(f"r{i}", minutes=i))
    assert [r.id for r in demo.runs.list("demo")] == ["r2", "r1", "r0"]
    assert [r.id for r in demo.runs.list("demo", limit=2)] == ["r2", "r1"]
    assert demo.runs.latest("demo").id == "r2"
    with pytest.raises(RunNotFoundError):
        demo.runs.get("demo", "nope")


# ---- models and aliases --------------------------------------------------------------------


def test_versions_and_aliases_with_audit_trail(demo) -> None:
    for number in (1, 2):
        demo.models.add(_version(number))
    assert demo.models.get("demo", 2).sha256 == f"{2:064d}"
    demo.models.set_aliases("demo", {"champion": 1}, reason="first model")
    demo.models.set_aliases("demo", {"challenger": 2}, reason="retrained")
    moves = demo.models.set_aliases(
        "demo", {"champion": 2, "previous": 1, "challenger": None}, reason="challenger won"
    )
    assert [(m.alias, m.old_version, m.new_version) for m in moves] == [
        ("champion", 1, 2),
        ("previous", None, 1),
        ("challenger", 2, None),
    ]
    assert demo.models.aliases("demo") == {"champion": 2, "previous": 1}
    history = [
        (c.alias, c.old_version, c.new_version, c.reason) for c in demo.models.history("demo")
    ]
    assert history == [
        ("champion", None, 1, "first model"),
        ("challenger", None, 2, "retrained"),
        ("champion", 1, 2, "challenger won"),
        ("previous", None, 1, "challenger won"),
        ("challenger", 2, None, "challenger won"),
    ]


def test_aliases_move_together_or_not_at_all(demo) -> None:
    demo.models.add(_version(1))
    demo.models.set_aliases("demo", {"champion": 1}, reason="first")
    with pytest.raises(ModelVersionNotFoundError, match="no model version 9"):
        demo.models.set_aliases("demo", {"previous": 1, "champion": 9}, reason="typo")
    assert demo.models.aliases("demo") == {"champion": 1}
    assert len(demo.models.history("demo")) == 1


def test_retention_deletes_only_unaliased_versions(demo) -> None:
    for number in (1, 2, 3):
        demo.models.add(_version(number))
    demo.models.set_aliases("demo", {"champion": 3, "previous": 2}, reason="x")
    with pytest.raises(ModelInUseError, match=r"champion \(v3\)"):
        demo.models.delete("demo", [1, 3])
    assert [v.version for v in demo.models.versions("demo")] == [1, 2, 3]
    demo.models.delete("demo", [1])
    assert [v.version for v in demo.models.versions("demo")] == [2, 3]
    with pytest.raises(ModelVersionNotFoundError):
        demo.models.get("demo", 1)


# ---- state and events ----------------------------------------------------------------------


def test_breaker_defaults_closed_and_round_trips(demo) -> None:
    assert demo.state.breaker("demo") == BreakerState()
    opened = BreakerState("open", 3, START, START + timedelta(minutes=30))
    demo.state.set_breaker("demo", opened)
    assert demo.state.breaker("demo") == opened
    assert demo.state.detector("demo") is None


def test_events_newest_first_filtered_and_limited(store) -> None:
    store.pipelines.create(_pipeline("a"))
    store.pipelines.create(_pipeline("b"))
    for i in range(5):
        store.events.add(EventRecord(pipeline="a", kind="run", message=f"a{i}", data={"i": i}))
    store.events.add(EventRecord(pipeline="b", kind="run", message="b0", level="warning"))
    store.events.add(EventRecord(pipeline=None, kind="server", message="started"))
    assert [e.message for e in store.events.list("a", limit=3)] == ["a4", "a3", "a2"]
    assert store.events.list("a")[0].data == {"i": 4}
    assert [e.message for e in store.events.list(limit=2)] == ["started", "b0"]
    assert store.events.list("b")[0].level == "warning"
    assert store.events.list()[0].pipeline is None


def test_delete_removes_everything_recorded_about_a_pipeline(demo) -> None:
    demo.models.add(_version(1))
    demo.runs.begin(_run("r1"), FILE)
    demo.runs.finish(
        RunOutcome(
            replace(_run("r1"), status="succeeded"),
            file_status="done",
            metrics=(MetricRow("accuracy", 0.5),),
            aliases={"champion": 1},
            alias_reason="first",
            breaker=BreakerState("open", 2),
            detector_state={"x": 1},
        )
    )
    demo.events.add(EventRecord(pipeline="demo", kind="run", message="ran"))
    demo.pipelines.delete("demo")
    assert demo.pipelines.list() == []
    demo.pipelines.create(_pipeline("demo"))
    assert demo.runs.latest("demo") is None
    assert demo.runs.ledger("demo") == []
    assert demo.models.versions("demo") == []
    assert demo.models.aliases("demo") == {}
    assert demo.models.history("demo") == []
    assert demo.state.breaker("demo") == BreakerState()
    assert demo.state.detector("demo") is None
    assert demo.events.list("demo") == []


def test_the_same_content_under_another_name_is_not_processed_again(demo) -> None:
    assert demo.runs.begin(_run("r1"), FILE)
    demo.runs.finish(RunOutcome(replace(_run("r1"), status="succeeded"), file_status="done"))
    copied = FileKey("/data/copy_of_batch_1.csv", FILE.size, FILE.sha256)
    assert not demo.runs.begin(_run("r2", minutes=1), copied)
    assert [e.file.path for e in demo.runs.ledger("demo")] == [FILE.path]


def test_the_files_of_chosen_runs_can_be_forgotten_whatever_their_status(demo) -> None:
    other = FileKey("/data/other.csv", 10, "e" * 64)
    for run_id, key, minutes in (("r1", FILE, 0), ("r2", other, 1)):
        assert demo.runs.begin(_run(run_id, minutes=minutes), key)
        demo.runs.finish(
            RunOutcome(replace(_run(run_id, minutes=minutes), status="succeeded"), "done")
        )
    assert demo.runs.forget("demo") == []  # nothing failed
    assert demo.runs.forget("demo", run_ids=["r2", "no-such-run"]) == [other]
    assert [e.run_id for e in demo.runs.ledger("demo")] == ["r1"]
    assert demo.runs.begin(_run("r3", minutes=2), other)
    assert demo.runs.forget("demo", run_ids=["r3"]) == []  # a run in progress keeps its files
