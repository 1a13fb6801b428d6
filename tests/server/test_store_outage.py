"""The prediction server on PostgreSQL keeps serving while the store is away, then swaps again.

Models are loaded in memory; the alias watcher reads the store every ``poll_seconds``. While
the store refuses connections the champion already loaded answers every request, the watcher
says so once in the log (no traceback every half second), and once the store is back a
promotion is picked up as usual.
"""

from __future__ import annotations

import logging

import pytest
from tests.harness import Lab, sea_rows, wait_for
from tests.pg import database_of, fresh_database, outage

from .conftest import LOGISTIC, add_version, constant_model, make_client

pytestmark = pytest.mark.slow  # a PostgreSQL database, a trained pipeline and a server

ROW = {"x0": 5.0, "x1": 4.0, "x2": 3.0}


def test_predictions_are_served_through_a_store_outage(tmp_path, caplog) -> None:
    with fresh_database() as (url, admin):
        lab = Lab(tmp_path, folder_per_pipeline=True, db_url=url)
        lab.create("sea", model=LOGISTIC)
        lab.write(sea_rows(400, seed=1), "b0.csv", pipeline="sea")
        assert [r.status for r in lab.run("sea")] == ["succeeded"]
        with make_client(lab.ws, poll_seconds=0.1) as client:
            wait_for(lambda: client.get("/ready").status_code == 200)
            with caplog.at_level(logging.WARNING, logger="calmops.server"):
                with outage(admin, database_of(url)):
                    wait_for(lambda: "serving the models already loaded" in caplog.text)
                    for _ in range(20):
                        answer = client.post("/predict/sea", json=ROW)
                        assert answer.status_code == 200
                        assert answer.json()["model_version"] == 1
                wait_for(lambda: "the store answers again" in caplog.text)
            assert caplog.text.count("serving the models already loaded") == 1
            # ours only: other libraries' threads in this worker (Ray Data's telemetry) log too
            ours = [r for r in caplog.records if r.name.startswith("calmops")]
            assert not any(r.exc_info or "Traceback" in r.getMessage() for r in ours)
            v2 = add_version(lab.ws, "sea", constant_model(lab.ws, "sea", 1))
            lab.ws.store.models.set_aliases("sea", {"champion": v2, "previous": 1}, reason="t")
            wait_for(lambda: client.post("/predict/sea", json=ROW).json()["model_version"] == v2)
        lab.ws.store.close()
