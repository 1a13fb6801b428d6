"""``POST /predict/{pipeline}``: rows, batches, probabilities, the hook, request ids."""

from __future__ import annotations

import numpy as np

from calmops.data_generators import generate_stream


def _rows(n: int, seed: int = 9) -> list[dict]:
    frame = generate_stream("sea", n, seed=seed).data
    return frame.drop(columns="target").to_dict(orient="records")


def test_one_row_gets_one_prediction_from_the_champion(client) -> None:
    response = client.post("/predict/sea", json=_rows(1)[0])
    assert response.status_code == 200
    body = response.json()
    assert body["pipeline"] == "sea" and body["model_version"] == 1
    assert body["predictions"] in ([0], [1])
    assert response.headers["x-request-id"] == body["request_id"]
    assert "probabilities" not in body


def test_a_batch_matches_the_model_scoring_the_same_rows(client, workspace) -> None:
    from calmops.server.served import load_served

    rows = _rows(50)
    response = client.post("/predict/sea", json=rows)
    assert response.status_code == 200
    served = load_served(workspace, "sea", "champion")
    import pandas as pd

    expected = served.model.predict(pd.DataFrame(rows))
    assert response.json()["predictions"] == expected.tolist()


def test_probabilities_on_request(client) -> None:
    body = client.post("/predict/sea?proba=true", json=_rows(3)).json()
    assert body["classes"] == [0, 1]
    probabilities = np.array(body["probabilities"])
    assert probabilities.shape == (3, 2)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert body["predictions"] == probabilities.argmax(axis=1).tolist()


def test_the_target_is_never_needed_and_extra_keys_are_ignored(client) -> None:
    row = {"x0": 1.0, "x1": 2.0, "x2": 3.0}
    plain = client.post("/predict/sea", json=row).json()["predictions"]
    extra = client.post("/predict/sea", json={**row, "target": 1, "note": "hi"}).json()
    assert extra["predictions"] == plain


def test_the_preprocess_hook_runs_at_serving_time(client) -> None:
    # the champion of 'mixed' needs 'ratio', which only the hook makes
    response = client.post("/predict/mixed", json={"a": 1.5, "b": -0.2, "color": "red"})
    assert response.status_code == 200, response.text
    assert response.json()["predictions"][0] in (0, 1)
    missing = client.post("/predict/mixed", json={"a": 1.5, "color": "red"})
    assert missing.status_code == 422
    assert "preprocess hook failed" in missing.json()["error"] and "'b'" in missing.json()["error"]


def test_a_client_request_id_is_kept(client) -> None:
    response = client.post("/predict/sea", json=_rows(1)[0], headers={"X-Request-ID": "order-7"})
    assert response.json()["request_id"] == "order-7"
    odd = client.post("/predict/sea", json=_rows(1)[0], headers={"X-Request-ID": "a b/c"})
    assert odd.json()["request_id"] != "a b/c"


def test_null_features_are_imputed(client) -> None:
    response = client.post("/predict/sea", json={"x0": None, "x1": 2.0, "x2": 3.0})
    assert response.status_code == 200


def test_a_pipeline_without_a_champion_says_how_to_get_one(client) -> None:
    response = client.post("/predict/empty", json={"x0": 1})
    assert response.status_code == 404
    assert "no champion" in response.json()["error"]
    assert "calmops run empty --once" in response.json()["error"]
