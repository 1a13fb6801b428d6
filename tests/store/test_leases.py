"""The lease part of the store contract, on every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from calmops.errors import PipelineNotFoundError
from calmops.store import Lease, PipelineRecord, Store, utcnow


def _pipeline(name: str = "demo") -> PipelineRecord:
    return PipelineRecord(name, "stream", "watch", {"name": name})


def _claim(holder: str, seconds: float = 30, pipeline: str = "demo") -> Lease:
    now = utcnow()
    return Lease(
        pipeline,
        holder,
        "host-" + holder,
        100,
        now + timedelta(seconds=seconds),
        executor="ray",
        node="node-" + holder,
        acquired_at=now,
    )


@pytest.fixture
def with_pipeline(store: Store) -> Store:
    store.pipelines.create(_pipeline())
    return store


def test_a_free_lease_is_taken_and_reads_back_whole(with_pipeline: Store) -> None:
    claim = _claim("a")
    taken = with_pipeline.leases.acquire(claim)
    assert taken.holder == "a"
    assert with_pipeline.leases.get("demo") == taken
    assert (taken.host, taken.executor, taken.node, taken.pid) == ("host-a", "ray", "node-a", 100)
    assert abs(taken.expires_at - claim.expires_at) < timedelta(milliseconds=1)


def test_a_live_lease_is_not_taken_by_another(with_pipeline: Store) -> None:
    with_pipeline.leases.acquire(_claim("a"))
    assert with_pipeline.leases.acquire(_claim("b")).holder == "a"
    assert not with_pipeline.leases.renew("demo", "b", utcnow() + timedelta(seconds=60))


def test_an_expired_lease_is_taken_over_and_the_old_holder_cannot_renew(
    with_pipeline: Store,
) -> None:
    with_pipeline.leases.acquire(_claim("a", seconds=-1))
    assert with_pipeline.leases.acquire(_claim("b")).holder == "b"
    assert not with_pipeline.leases.renew("demo", "a", utcnow() + timedelta(seconds=60))
    with_pipeline.leases.release("demo", "a")  # not its lease any more: nothing happens
    assert with_pipeline.leases.get("demo").holder == "b"


def test_the_holder_renews_and_keeps_its_start(with_pipeline: Store) -> None:
    first = with_pipeline.leases.acquire(_claim("a", seconds=5))
    later = utcnow() + timedelta(seconds=90)
    assert with_pipeline.leases.renew("demo", "a", later)
    again = with_pipeline.leases.acquire(replace(_claim("a", 60), acquired_at=utcnow()))
    assert abs(again.acquired_at - first.acquired_at) < timedelta(milliseconds=1)


def test_release_frees_it_and_list_shows_the_rest(with_pipeline: Store) -> None:
    with_pipeline.pipelines.create(_pipeline("other"))
    with_pipeline.leases.acquire(_claim("a"))
    with_pipeline.leases.acquire(_claim("c", pipeline="other"))
    with_pipeline.leases.release("demo", "a")
    assert with_pipeline.leases.get("demo") is None
    assert [(lease.pipeline, lease.holder) for lease in with_pipeline.leases.list()] == [
        ("other", "c")
    ]
    with_pipeline.pipelines.delete("other")
    assert with_pipeline.leases.list() == []


def test_an_unknown_pipeline_is_refused(store: Store) -> None:
    with pytest.raises(PipelineNotFoundError):
        store.leases.acquire(_claim("a", pipeline="ghost"))


@pytest.mark.parametrize("before", ["none", "expired"])
def test_racing_holders_get_one_winner(with_pipeline: Store, before: str) -> None:
    if before == "expired":  # an UPDATE race; else an INSERT race
        with_pipeline.leases.acquire(_claim("old", seconds=-1))
    winners: list[str] = []
    barrier = threading.Barrier(4)

    def race(holder: str) -> None:
        barrier.wait()
        if with_pipeline.leases.acquire(_claim(holder)).holder == holder:
            winners.append(holder)

    threads = [threading.Thread(target=race, args=(f"h{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert with_pipeline.leases.get("demo").holder == winners[0]


def test_a_holder_known_dead_is_replaced_before_expiry(with_pipeline: Store) -> None:
    with_pipeline.leases.acquire(_claim("a"))
    assert with_pipeline.leases.acquire(_claim("b"), replacing="x").holder == "a"
    assert with_pipeline.leases.acquire(_claim("b"), replacing="a").holder == "b"
