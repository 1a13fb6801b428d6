"""The prediction log (inputs, outputs, version, request id), feedback, shadow scoring, and
served traffic taken as a batch."""

from __future__ import annotations

from calmops.server.predictions import META
from calmops.server.traffic import collect_served, labels_of

from .conftest import add_version, constant_model, make_client, parquet_rows, wait_for

ROWS = [{"x0": float(i), "x1": 5.0, "x2": 2.0, "ignored": "yes"} for i in range(4)]


def test_inputs_outputs_version_and_request_id_are_logged(fresh_workspace) -> None:
    ws = fresh_workspace
    with make_client(ws) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        single = client.post("/predict/sea", json=ROWS[0], headers={"X-Request-ID": "one"})
        batch = client.post("/predict/sea", json=ROWS[1:], headers={"X-Request-ID": "many"})
        assert single.status_code == batch.status_code == 200
    logged = parquet_rows(ws.paths("sea").root / "predictions")  # written on shutdown
    assert len(logged) == 4
    assert logged[META + "request_id"].tolist() == ["one", "many", "many", "many"]
    assert logged[META + "row"].tolist() == [0, 0, 1, 2]
    assert logged["x0"].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert "ignored" not in logged.columns
    answered = single.json()["predictions"] + batch.json()["predictions"]
    assert logged[META + "prediction"].tolist() == answered
    assert set(logged[META + "model_version"]) == {1}


def test_the_log_is_written_on_a_size_or_time_threshold(fresh_workspace) -> None:
    ws = fresh_workspace
    folder = ws.paths("sea").root / "predictions"
    with make_client(ws, log_flush_rows=3, log_flush_seconds=3600) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        client.post("/predict/sea", json=ROWS[:2])
        assert not list(folder.glob("*.parquet"))
        client.post("/predict/sea", json=ROWS[2])
        wait_for(lambda: len(parquet_rows(folder)) == 3, what="a flush at 3 rows")
    with make_client(ws, log_flush_rows=10_000, log_flush_seconds=0.2) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        client.post("/predict/sea", json=ROWS[3])
        wait_for(lambda: len(parquet_rows(folder)) == 4, what="a flush on time")


def test_feedback_is_joined_to_served_traffic_by_request_id(fresh_workspace) -> None:
    ws = fresh_workspace
    root = ws.paths("sea").root
    with make_client(ws) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        client.post("/predict/sea", json=ROWS[:2], headers={"X-Request-ID": "b1"})
        client.post("/predict/sea", json=ROWS[2], headers={"X-Request-ID": "s1"})
        receipt = client.post(
            "/feedback/sea",
            json=[
                {"request_id": "b1", "row": 0, "label": 1},
                {"request_id": "b1", "row": 1, "label": "0"},  # text of a class is that class
                {"request_id": "s1", "label": 0},
            ],
        )
        assert receipt.json() == {"pipeline": "sea", "accepted": 3}
        wrong = client.post("/feedback/sea", json={"request_id": "s1", "label": 7})
        assert wrong.status_code == 422 and "not a class" in wrong.json()["error"]
        bad_id = client.post("/feedback/sea", json={"request_id": "../x", "label": 1})
        assert bad_id.status_code == 422
        ghost = client.post("/feedback/ghost", json={"request_id": "s1", "label": 1})
        assert ghost.status_code == 404
    labels = labels_of(root)
    assert sorted(labels[META + "label"].tolist()) == [0, 0, 1]
    batch = collect_served(root, target="target")
    assert (batch.rows, batch.labelled) == (3, 3)
    import pandas as pd

    served = pd.read_parquet(batch.path)
    assert served["target"].tolist() == [1, 0, 0]
    assert not [c for c in served.columns if c.startswith(META)]
    assert collect_served(root, target="target") is None  # nothing is taken twice


def test_unlabelled_traffic_stays_unlabelled(fresh_workspace) -> None:
    ws = fresh_workspace
    root = ws.paths("sea").root
    with make_client(ws) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        client.post("/predict/sea", json=ROWS, headers={"X-Request-ID": "q"})
        client.post("/feedback/sea", json={"request_id": "q", "row": 0, "label": 1})
    batch = collect_served(root, target="target")
    assert (batch.rows, batch.labelled) == (4, 1)
    import pandas as pd

    assert "target" not in pd.read_parquet(batch.path).columns


def test_a_challenger_is_scored_in_the_shadow_and_both_are_logged(fresh_workspace) -> None:
    ws = fresh_workspace
    v2 = add_version(ws, "sea", constant_model(ws, "sea", 1))
    ws.store.models.set_aliases("sea", {"challenger": v2}, reason="shadow test")
    with make_client(ws) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        detail = client.get("/pipelines/sea").json()
        assert detail["model_version"] == 1
        assert detail["shadow"]["alias"] == "challenger" and detail["shadow"]["version"] == v2
        answers = [client.post("/predict/sea", json=row).json() for row in ROWS]
        assert {a["model_version"] for a in answers} == {1}
    logged = parquet_rows(ws.paths("sea").root / "predictions")
    assert len(logged) == 4
    assert set(logged[META + "shadow_version"]) == {v2}
    assert logged[META + "shadow_prediction"].tolist() == [1, 1, 1, 1]
    assert logged[META + "prediction"].tolist() == [a["predictions"][0] for a in answers]


def test_a_deleted_pipeline_leaves_no_log_folder_behind(fresh_workspace) -> None:
    ws = fresh_workspace
    root = ws.paths("sea").root
    with make_client(ws, log_flush_seconds=3600) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        assert client.post("/predict/sea", json=ROWS[0]).status_code == 200
        ws.delete("sea")
        wait_for(lambda: client.post("/predict/sea", json=ROWS[0]).status_code == 404)
    assert not root.exists()
