"""``GET /health``, ``/ready``, ``/pipelines``, ``/pipelines/{name}`` and ``/metrics``."""

from __future__ import annotations

import numpy as np

ROWS = [{"x0": float(i), "x1": 5.0, "x2": 2.0} for i in range(2)]


def test_pipelines_health_and_metrics(client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready == {"ready": True, "pipelines": {"empty": None, "mixed": 1, "sea": 1}}
    listing = {p["name"]: p for p in client.get("/pipelines").json()}
    assert listing["sea"]["ready"] and not listing["empty"]["ready"]
    detail = client.get("/pipelines/sea").json()
    assert [f["name"] for f in detail["features"]] == ["x0", "x1", "x2"]
    assert detail["features"][0] == {"name": "x0", "dtype": "float64", "kind": "numeric"}
    assert detail["target"] == "target" and detail["classes"] == [0, 1]
    assert detail["task"] == "classification" and detail["trained_at"]
    assert 0 <= detail["metrics"]["accuracy"] <= 1
    assert client.get("/pipelines/empty").status_code == 404
    assert client.get("/pipelines/ghost").status_code == 404

    client.post("/predict/sea", json=ROWS[0])
    client.post("/predict/sea", json={"x0": 1})
    client.post("/predict/made-up-name", json=ROWS[0])
    text = client.get("/metrics").text
    assert 'calmops_requests_total{pipeline="sea",route="predict",code="200"}' in text
    assert 'calmops_requests_total{pipeline="sea",route="predict",code="422"}' in text
    assert "made-up-name" not in text
    assert 'calmops_requests_total{pipeline="unknown",route="lookup",code="404"}' in text
    assert 'calmops_model_version{pipeline="sea",alias="champion"} 1' in text
    assert 'calmops_request_duration_seconds_count{pipeline="sea",route="predict"}' in text
    counts = [
        line for line in text.splitlines() if line.startswith('calmops_errors_total{pipeline="sea"')
    ]
    assert counts and int(counts[0].split()[-1]) >= 1
    assert np.isfinite(float(text.split('calmops_rows_total{pipeline="sea"} ')[1].split()[0]))
