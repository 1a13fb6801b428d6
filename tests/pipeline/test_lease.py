"""PipelineLease on a real store: taken and released, refused while another holds it,
taken at once from a dead process of this host, and lost to a takeover (then check raises)."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from calmops.errors import LeaseLostError, PipelineBusyError
from calmops.pipeline.lease import PipelineLease
from calmops.store import Lease, PipelineRecord, open_store, utcnow


@pytest.fixture
def store(tmp_path):
    made = open_store(f"sqlite:///{tmp_path / 'calmops.db'}")
    made.pipelines.create(PipelineRecord("demo", "stream", "watch", {"name": "demo"}))
    yield made
    made.close()


def _held_by(store, pid: int, host: str) -> None:
    now = utcnow()
    claim = Lease("demo", f"{host}:{pid}:x", host, pid, now + timedelta(seconds=60))
    assert store.leases.acquire(claim).pid == pid


def test_a_live_holder_elsewhere_makes_it_busy(store) -> None:
    _held_by(store, 1, "another-host")
    busy = "already running: local on another-host \\(pid 1\\)"
    with pytest.raises(PipelineBusyError, match=busy):
        with PipelineLease(store, "demo", wait=0.3):
            pass


def test_a_dead_process_of_this_host_is_taken_over_at_once(store) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    _held_by(store, int(finished.stdout), socket.gethostname())
    with PipelineLease(store, "demo") as lease:
        assert store.leases.get("demo").holder == lease.holder
    assert store.leases.get("demo") is None


def test_a_lease_taken_over_stops_the_old_holder(store) -> None:
    with PipelineLease(store, "demo", seconds=30) as lease:
        lease.check()  # still ours: nothing happens
        store.leases.release("demo", lease.holder)  # as if it expired...
        _held_by(store, 1, "another-host")  # ...and another host took it
        lease.expires_at = utcnow()  # due for renewal: check renews, and finds it gone
        with pytest.raises(LeaseLostError, match="lost its lease to local on another-host"):
            lease.check()
    assert store.leases.get("demo").host == "another-host"  # not released by the loser
