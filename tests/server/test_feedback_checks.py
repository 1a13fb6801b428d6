"""``POST /feedback``: a label must name a prediction the server logged, and one of its rows;
a request is accepted whole or not at all. Real uvicorn servers on loopback."""

from __future__ import annotations

import httpx

from calmops.server.predictions import META
from calmops.server.traffic import buffered_rows, labels_of

from .conftest import add_version, constant_model, parquet_rows, start_server, wait_for

ROWS = [{"x0": float(i), "x1": 5.0, "x2": 2.0} for i in range(3)]


def test_unknown_request_ids_are_404_and_nothing_is_accepted(fresh_workspace) -> None:
    root = fresh_workspace.paths("sea").root
    live, stop = start_server(fresh_workspace, log_flush_seconds=3600)  # all stays buffered
    with httpx.Client(base_url=live.url, timeout=30) as http:
        assert http.post("/predict/sea", json=ROWS, headers={"X-Request-ID": "known"}).is_success
        items = [
            {"request_id": "known", "row": 0, "label": 1},
            {"request_id": "ghost-1", "label": 0},
            {"request_id": "ghost-2", "label": 1},
        ]
        refused = http.post("/feedback/sea", json=items)
        assert refused.status_code == 404
        message = refused.json()["error"]
        assert "2 of 3 labels name a request id" in message
        assert "item 1: ghost-1" in message and "item 2: ghost-2" in message
        assert "no label of this request was accepted" in message
        accepted = http.post("/feedback/sea", json=items[:1])  # buffered, not yet written
        assert accepted.json() == {"pipeline": "sea", "accepted": 1}
    stop()  # written on shutdown
    assert labels_of(root)[META + "request_id"].tolist() == ["known"]


def test_a_row_outside_its_request_is_422(fresh_workspace, serve) -> None:
    live = serve(fresh_workspace, log_flush_rows=1, log_flush_seconds=0.1)
    folder = fresh_workspace.paths("sea").root / "predictions"
    with httpx.Client(base_url=live.url, timeout=30) as http:
        assert http.post("/predict/sea", json=ROWS, headers={"X-Request-ID": "three"}).is_success
        wait_for(lambda: len(parquet_rows(folder)) == 3, what="the prediction log written")
        items = [
            {"request_id": "three", "row": 2, "label": 1},
            {"request_id": "three", "row": 3, "label": 0},
        ]
        refused = http.post("/feedback/sea", json=items)
        assert refused.status_code == 422
        message = refused.json()["error"]
        assert "item 1: row 3 of three, which has 3 row(s)" in message
        assert http.post("/feedback/sea", json=items[:1]).json()["accepted"] == 1


def test_the_buffered_count_is_published_and_cleared(fresh_workspace) -> None:
    root = fresh_workspace.paths("sea").root
    live, stop = start_server(fresh_workspace, log_flush_seconds=3600)
    with httpx.Client(base_url=live.url, timeout=30) as http:
        assert http.post("/predict/sea", json=ROWS).is_success
        wait_for(lambda: buffered_rows(root) == (3, 3600.0), what="the count published")
    stop()
    assert buffered_rows(root)[0] == 0 and len(parquet_rows(root / "predictions")) == 3
    assert not list((root / "predictions").glob(".buffered-*"))


def test_feedback_right_after_a_shadowed_prediction_is_accepted(fresh_workspace) -> None:
    ws = fresh_workspace
    v2 = add_version(ws, "sea", constant_model(ws, "sea", 1))
    ws.store.models.set_aliases("sea", {"challenger": v2}, reason="shadow test")
    live, stop = start_server(ws, log_flush_seconds=3600)
    try:
        wait_for(lambda: httpx.get(live.url + "/pipelines/sea").json().get("shadow"))
        with httpx.Client(base_url=live.url, timeout=30) as http:
            for i in range(5):
                rid = f"shadowed-{i}"
                assert http.post("/predict/sea", json=ROWS, headers={"X-Request-ID": rid})
                fed = http.post("/feedback/sea", json={"request_id": rid, "row": 2, "label": 1})
                assert fed.status_code == 200, fed.text
    finally:
        stop()
