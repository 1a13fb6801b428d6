"""Two executors on one workspace: leases make every file run exactly once, and a standby
takes over a holder killed with SIGKILL once its lease expires (SQLite and PostgreSQL).

Both monitors are real ``calmops run demo --standby`` processes, each told it is on a host of
its own (``CALMOPS_HOST``), so the standby cannot see that the holder died and must wait for
its lease to expire. They share this machine, so the file lock would also keep them apart;
the lease is taken *before* the lock, so the standby waits on the lease alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.harness import Lab, sea_rows, wait_for
from tests.monitor.conftest import SITE
from tests.pg import fresh_database

from calmops.store import utcnow

LEASE_SECONDS = 3


@pytest.fixture(params=["sqlite", "postgresql"])
def lab(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Lab]:
    if request.param == "sqlite":
        yield Lab(tmp_path, defaults=SITE)
        return
    with fresh_database() as (url, _admin):
        yield Lab(tmp_path, defaults=SITE, db_url=url)


def _monitor(lab: Lab, host: str) -> subprocess.Popen:
    env = os.environ | {"CALMOPS_LEASE_SECONDS": str(LEASE_SECONDS), "CALMOPS_HOST": host}
    if lab.db_url:
        env["CALMOPS_DB_URL"] = lab.db_url
    command = [sys.executable, "-m", "calmops", "--home", str(lab.home), "run", "demo"]
    return subprocess.Popen(
        [*command, "--standby"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _holder_pid(lab: Lab) -> int | None:
    lease = lab.ws.store.leases.get("demo")
    return None if lease is None or not lease.live() else lease.pid


@pytest.mark.slow
def test_two_executors_process_each_file_once_and_the_standby_takes_over(lab: Lab) -> None:
    lab.create()
    for index in range(3):
        lab.drop(sea_rows(300, seed=index), f"a{index}.csv")
    first = _monitor(lab, "host-a")
    second = None
    try:
        wait_for(lambda: _holder_pid(lab) == first.pid, what="the first monitor's lease")
        second = _monitor(lab, "host-b")
        lab.wait_runs(3)
        time.sleep(LEASE_SECONDS)  # a whole lease period: the standby must not step in
        assert _holder_pid(lab) == first.pid and second.poll() is None
        for index in range(6):
            lab.drop(sea_rows(300, seed=10 + index), f"b{index}.csv")
        wait_for(lambda: len(lab.runs()) >= 4, what="a run of the second wave")
        os.kill(first.pid, signal.SIGKILL)
        killed_at = utcnow()
        first.wait(30)
        wait_for(lambda: _holder_pid(lab) == second.pid, timeout=60, what="the takeover")
        lease = lab.ws.store.leases.get("demo")
        assert lease.host == "host-b" and lease.acquired_at >= killed_at  # not before the kill,
        waited = (lease.acquired_at - killed_at).total_seconds()
        assert waited > LEASE_SECONDS / 3  # and not before the unrenewed rest of the lease
        wait_for(
            lambda: (
                len(lab.by_file()) == 9
                and all("succeeded" in runs for runs in lab.by_file().values())
            ),
            timeout=90,
            what="every file to succeed",
        )
        done = [e for e in lab.ws.store.runs.ledger("demo") if e.status != "processing"]
        assert sorted(Path(e.file.path).name for e in done) == sorted(lab.by_file())
        for name, runs in lab.by_file().items():
            assert runs.count("succeeded") == 1, (name, runs)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
