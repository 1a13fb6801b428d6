"""A monitor on PostgreSQL outlives the store going away, idle or with work waiting.

Connections cut while the monitor idles are replaced silently (the pool checks them before
use). While the database refuses connections the monitor says so in its log and
``calmops status``, waits, and runs the waiting file once the store is back — once.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from tests.harness import Lab, wait_for
from tests.monitor.conftest import SITE
from tests.pg import database_of, fresh_database, outage, terminate

from calmops.monitor.state import read_state

pytestmark = pytest.mark.slow  # a PostgreSQL database and a monitor per test


@pytest.fixture
def pg_site(tmp_path):
    with fresh_database() as (url, admin):
        lab = Lab(tmp_path, defaults=SITE, db_url=url)
        yield lab, admin, database_of(url)
        lab.ws.store.close()


def _events(lab: Lab) -> list[dict]:
    path = lab.ws.paths("demo").logs / "events.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def _successes(lab: Lab) -> Counter:
    return Counter(Path(r.source).name for r in lab.runs() if r.status == "succeeded")


def test_connections_cut_while_idle_are_not_noticed(pg_site, sea) -> None:
    lab, admin, database = pg_site
    lab.create()
    lab.drop(sea(300, seed=1), "a.csv")
    with lab.service() as service:
        lab.wait_runs(1)
        time.sleep(0.5)  # idle
        assert terminate(admin, database) >= 1
        lab.drop(sea(300, seed=2), "b.csv")
        lab.wait_runs(2)
        assert service.workers[0].alive()
    assert _successes(lab) == Counter({"a.csv": 1, "b.csv": 1})
    assert not [e for e in _events(lab) if e.get("kind") == "store_unavailable"]


def test_a_store_that_is_down_is_waited_for_and_the_file_runs_once(pg_site, sea) -> None:
    lab, admin, database = pg_site
    lab.create()
    lab.drop(sea(300, seed=1), "a.csv")
    with lab.service() as service:
        lab.wait_runs(1)
        with outage(admin, database):
            lab.drop(sea(300, seed=2), "b.csv")
            wait_for(
                lambda: any(e.get("kind") == "store_unavailable" for e in _events(lab)),
                what="the monitor to notice the store is down",
            )
            state = read_state(lab.ws.paths("demo").root)
            assert state is not None and "store is unreachable" in state.problem
            time.sleep(1.5)  # a few retries while it is still down
            assert service.workers[0].alive()
        lab.wait_runs(2)
        wait_for(lambda: any(e.get("kind") == "store_back" for e in _events(lab)))
        assert service.workers[0].alive()
    assert _successes(lab) == Counter({"a.csv": 1, "b.csv": 1})
    assert {e.status for e in lab.ws.store.runs.ledger("demo")} == {"done"}


def test_a_monitor_stopped_while_the_store_is_down_stops_cleanly(pg_site, sea) -> None:
    lab, admin, database = pg_site
    lab.create()
    lab.drop(sea(300, seed=1), "a.csv")
    with lab.service() as service:  # raises when leaving if the monitor died of the outage
        lab.wait_runs(1)
        cut = outage(admin, database)
        cut.__enter__()
        lab.drop(sea(300, seed=2), "b.csv")
        wait_for(lambda: any(e.get("kind") == "store_unavailable" for e in _events(lab)))
        assert service.workers[0].alive()
    cut.__exit__(None, None, None)
    assert any("not recorded" in e["message"] for e in _events(lab))
    assert lab.ws.store.pipelines.get("demo").state == "running"  # what it last could write
