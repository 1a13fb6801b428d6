"""Id and time columns over a real server on loopback: ``/predict`` never demands them and
logs them with the prediction; ``/feedback`` takes labels by id; served traffic joins them."""

from __future__ import annotations

import httpx
import numpy as np
import pandas as pd
from tests.harness import Lab, sea_rows, wait_for

from calmops.server.predictions import META
from calmops.server.traffic import collect_served, realized

from .conftest import LOGISTIC, parquet_rows

ROLES = {"id_columns": ["customer_id"], "time_column": "ts"}


def trained_lab(root) -> Lab:
    """Pipeline ``cust``: SEA rows with a customer id and an event time, trained once."""
    lab = Lab(root, folder_per_pipeline=True)
    lab.create("cust", model=LOGISTIC, data=ROLES)
    frame = sea_rows(400, seed=4)
    frame.insert(0, "customer_id", [f"K-{i}" for i in range(len(frame))])
    frame.insert(1, "ts", pd.date_range("2026-03-01", periods=len(frame), freq="min").astype(str))
    lab.write(frame, pipeline="cust")
    assert [r.status for r in lab.run("cust")] == ["succeeded"]
    return lab


def test_ids_are_logged_with_predictions_and_join_feedback(tmp_path, serve) -> None:
    lab = trained_lab(tmp_path)
    card = lab.ws.store.models.get("cust", 1).card
    assert [f["name"] for f in card["features"]] == ["x0", "x1", "x2"]
    live = serve(lab.ws, log_flush_rows=1, log_flush_seconds=0.1)
    rng = np.random.default_rng(5)
    plain = [{"x0": x0, "x1": x1, "x2": 0.0} for x0, x1 in rng.uniform(0, 10, (12, 2)).tolist()]
    keyed = [
        {**row, "customer_id": f"C-{i}", "ts": f"2026-04-01T10:{i:02d}:00"}
        for i, row in enumerate(plain)
    ]
    truth = [int(row["x0"] + row["x1"] > 8) for row in plain]  # SEA variant 0
    with httpx.Client(base_url=live.url, timeout=30) as http:
        without = http.post("/predict/cust", json=plain, headers={"X-Request-ID": "anon"})
        assert without.status_code == 200, without.text  # ids and time are not demanded
        with_ids = http.post("/predict/cust", json=keyed)
        assert with_ids.json()["predictions"] == without.json()["predictions"]
        by_id = [{"ids": {"customer_id": f"C-{i}"}, "label": y} for i, y in enumerate(truth)]
        assert http.post("/feedback/cust", json=by_id[::-1]).json()["accepted"] == 12
        by_request = [{"request_id": "anon", "row": i, "label": y} for i, y in enumerate(truth)]
        assert http.post("/feedback/cust", json=by_request).json()["accepted"] == 12
        wrong_key = http.post("/feedback/cust", json={"ids": {"cust": "C-1"}, "label": 1})
        assert wrong_key.status_code == 422
        assert "customer_id" in wrong_key.json()["error"]
        both = {"request_id": "anon", "ids": {"customer_id": "C-1"}, "label": 1}
        assert http.post("/feedback/cust", json=both).status_code == 422
        docs = http.get("/openapi.json").json()
    item = docs["components"]["schemas"]["FeedbackItem"]
    assert "ids" in item["properties"] and "request_id" not in item.get("required", [])
    root = lab.ws.paths("cust").root
    wait_for(lambda: len(parquet_rows(root / "predictions")) == 24, what="the prediction log")
    wait_for(lambda: len(parquet_rows(root / "feedback")) == 24, what="the feedback log")
    logged = parquet_rows(root / "predictions")
    keyed_rows = logged[logged["customer_id"].notna()]
    assert keyed_rows["customer_id"].tolist() == [f"C-{i}" for i in range(12)]
    assert keyed_rows["ts"].tolist()[:2] == ["2026-04-01T10:00:00", "2026-04-01T10:01:00"]
    batch = collect_served(root, "target", ("customer_id",), "ts")
    assert (batch.rows, batch.labelled) == (24, 24)
    served = pd.read_parquet(batch.path)
    keyed_served = served[served["customer_id"].notna()]
    assert keyed_served["target"].tolist() == truth  # joined by id, not by position
    assert served["target"].tolist() == truth + truth
    assert served["ts"].notna().all()  # rows sent without a time got their serving time
    assert realized(root, "classification", ("customer_id",)).labelled == 24
    result = lab.run_file(batch.path, "cust")
    assert result.status == "succeeded", result.reason
    report = lab.ws.store.runs.get("cust", result.run_id).report
    assert report["period"]["start"] == "2026-04-01T10:00:00"


def test_the_prediction_log_keeps_integer_ids_joinable(tmp_path) -> None:
    from calmops.server.predictions import ParquetLog

    root = tmp_path
    served = ParquetLog(root / "predictions")
    served.append(
        {
            "account": np.array([17, 18], dtype=object),
            META + "request_id": np.array(["a", "a"], dtype=object),
            META + "row": np.array([0, 1], dtype=np.int32),
            META + "model_version": np.array([1, 1]),
            META + "prediction": np.array([1, 0]),
        }
    )
    served.flush()
    labels = ParquetLog(root / "feedback")
    labels.append(
        {
            META + "id:account": np.array(["17", "18"], dtype=object),
            META + "received_at": np.array(["2026-01-01"] * 2, dtype="datetime64[us]"),
            META + "label": np.array([1, 1], dtype=object),
        }
    )
    labels.flush()
    found = realized(root, "classification", ("account",))
    assert (found.rows, found.labelled, found.metrics[1]["accuracy"]) == (2, 2, 0.5)


def test_a_hooked_pipeline_never_shows_the_hook_its_ids(tmp_path, serve) -> None:
    lab = Lab(tmp_path, folder_per_pipeline=True)
    hook = tmp_path / "hooks.py"
    hook.write_text(  # fails if an id or time column reaches it
        "def preprocess(df):\n"
        "    assert 'customer_id' not in df and 'ts' not in df, list(df.columns)\n"
        "    return df.assign(s=df['x0'] + df['x1'])\n"
    )
    lab.create("hooked", model=LOGISTIC, data=ROLES, hooks=str(hook))
    frame = sea_rows(300, seed=6)
    frame.insert(0, "customer_id", [f"K-{i}" for i in range(len(frame))])
    frame.insert(1, "ts", pd.date_range("2026-03-01", periods=len(frame), freq="min").astype(str))
    lab.write(frame, pipeline="hooked")
    assert [r.status for r in lab.run("hooked")] == ["succeeded"]
    live = serve(lab.ws, log_flush_rows=1, log_flush_seconds=0.1)
    row = {"x0": 1.0, "x1": 2.0, "x2": 3.0, "customer_id": "C-9", "ts": "2026-04-01T00:00:00"}
    answer = httpx.post(f"{live.url}/predict/hooked", json=row, timeout=30)
    assert answer.status_code == 200, answer.text
    folder = lab.ws.paths("hooked").root / "predictions"
    wait_for(lambda: len(parquet_rows(folder)) == 1, what="the prediction log")
    logged = parquet_rows(folder)
    assert logged["customer_id"].tolist() == ["C-9"] and "s" not in logged.columns
