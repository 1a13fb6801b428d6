"""Every bad input of issue 8 gets a clear 4xx, never a path or a traceback."""

from __future__ import annotations

import pytest

from calmops.errors import DataValidationError
from calmops.server.validation import check_columns, columns_from_rows, features_of, rows_from_body

from .conftest import make_client, wait_for

ROW = {"x0": 1.0, "x1": 2.0, "x2": 3.0}


def _error(response) -> str:
    body = response.json()
    assert set(body) <= {"error", "details"}, body
    text = response.text
    assert "Traceback" not in text and "/tmp" not in text and ".py" not in text, text
    return body["error"]


def test_missing_features_are_named(client) -> None:
    response = client.post("/predict/sea", json={"x0": 1.0})
    assert response.status_code == 422
    assert _error(response) == "missing features: x1, x2"
    batch = client.post("/predict/sea", json=[ROW, {"x0": 1.0, "x1": 2.0}])
    assert batch.status_code == 422
    assert _error(batch) == "missing features: x2 (in 1 of 2 rows)"


@pytest.mark.parametrize(
    ("value", "found"),
    [("1.5", "a string"), (True, "a boolean"), ([1.0], "a list"), ({"v": 1}, "an object")],
)
def test_wrong_types_are_refused(client, value, found) -> None:
    response = client.post("/predict/sea", json={**ROW, "x1": value})
    assert response.status_code == 422
    assert _error(response) == f"feature 'x1' must be a number; row 0 has {found}"


def test_a_number_for_a_text_feature_is_refused(client) -> None:
    response = client.post("/predict/mixed", json={"a": 1.0, "b": 2.0, "color": 3})
    assert response.status_code == 422
    assert "feature 'color' must be a string" in _error(response)


def test_infinite_and_huge_numbers_are_refused(client) -> None:
    huge = client.post(
        "/predict/sea", content=b'{"x0": 1e999, "x1": 2, "x2": 3}', headers=_json_header()
    )
    assert huge.status_code in (400, 422)
    _error(huge)
    big_int = client.post("/predict/sea", json={**ROW, "x0": 10**400})
    assert big_int.status_code in (400, 422)
    _error(big_int)


def _json_header() -> dict:
    return {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"", 400, "the body is empty"),
        (b"{nope", 400, "not valid JSON"),
        (b'{"x0": NaN, "x1": 2, "x2": 3}', 400, "not valid JSON"),
        (b"[]", 422, "the batch is empty"),
        (b"42", 422, "got a number"),
        (b'"text"', 422, "got a string"),
        (b"[1, 2]", 422, "row 0 is a number"),
        (b"null", 422, "got null"),
    ],
)
def test_malformed_bodies(client, body, status, says) -> None:
    response = client.post("/predict/sea", content=body, headers=_json_header())
    assert response.status_code == status
    assert says in _error(response)


def test_unknown_pipelines_are_404_without_touching_the_disk(client, workspace) -> None:
    before = sorted(p.name for p in workspace.pipelines_dir.iterdir())
    for name in ("ghost", "%2e%2e", "a" * 300, "-x", "x y"):
        response = client.post(f"/predict/{name}", json=ROW)
        assert response.status_code == 404, name
        message = _error(response)
        assert message.startswith("no pipeline named") and len(message) < 200
    for path in ("/predict/..", "/predict/..%2F..%2Fetc", "/predict/%2e%2e%2fpipelines"):
        response = client.post(path, json=ROW)
        assert response.status_code == 404, path
        _error(response)
    assert sorted(p.name for p in workspace.pipelines_dir.iterdir()) == before


def test_body_and_batch_limits_give_413(workspace) -> None:
    with make_client(workspace, max_body_bytes=2_000, max_batch_rows=5) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        too_many = client.post("/predict/sea", json=[ROW] * 6)
        assert too_many.status_code == 413
        assert "the batch has 6 rows; the limit is 5" in _error(too_many)
        assert client.post("/predict/sea", json=[ROW] * 5).status_code == 200
        too_big = client.post("/predict/sea", json=[{**ROW, "pad": "x" * 3000}])
        assert too_big.status_code == 413
        assert "larger than the limit of 2,000 bytes" in _error(too_big)
        tensors = {
            "inputs": [{"name": "m", "shape": [6, 3], "datatype": "FP64", "data": [1.0] * 18}]
        }
        assert client.post("/v2/models/sea/infer", json=tensors).status_code == 413


def test_probabilities_of_a_model_without_them_are_refused(fresh_workspace) -> None:
    from calmops.pipeline.runner import Runner

    from .conftest import linear_regression_pipeline

    linear_regression_pipeline(fresh_workspace)
    with Runner(fresh_workspace, "reg") as runner:
        assert [r.status for r in runner.run_pending()] == ["succeeded"]
    with make_client(fresh_workspace) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        ok = client.post("/predict/reg", json={"x1": 0.5, "x2": -1.0})
        assert ok.status_code == 200 and isinstance(ok.json()["predictions"][0], float)
        refused = client.post("/predict/reg?proba=true", json={"x1": 0.5, "x2": -1.0})
        assert refused.status_code == 422 and "cannot give probabilities" in _error(refused)


# ---- the checks themselves ------------------------------------------------------------------

FEATURES = features_of(
    {
        "features": [
            {"name": "n", "kind": "numeric"},
            {"name": "c", "kind": "categorical"},
            {"name": "b", "kind": "boolean"},
            {"name": "d", "kind": "datetime"},
        ]
    }
)


def test_each_kind_takes_its_values_and_nulls() -> None:
    checked = check_columns(
        {"n": [1, None], "c": ["a", None], "b": [True, None], "d": ["2026-01-01", None]},
        FEATURES,
    )
    assert checked["n"].dtype.kind == "f" and checked["c"][0] == "a"
    assert checked["c"][1] != checked["c"][1]  # NaN: what scikit-learn's imputers look for
    assert checked["b"].tolist()[0] == 1.0
    assert str(checked["d"][0]).startswith("2026-01-01")


def test_a_null_text_feature_is_imputed_as_in_training(client, workspace) -> None:
    from calmops.server.served import load_served

    model = load_served(workspace, "mixed", "champion").model
    imputer = model.steps[0][1].named_transformers_["categorical"].named_steps["impute"]
    frequent = str(imputer.statistics_[0])
    row = {"a": 0.3, "b": 0.1}
    null = client.post("/predict/mixed?proba=true", json={**row, "color": None}).json()
    same = client.post("/predict/mixed?proba=true", json={**row, "color": frequent}).json()
    assert null["probabilities"] == same["probabilities"]


def test_bad_dates_are_refused() -> None:
    with pytest.raises(DataValidationError, match="ISO-8601"):
        check_columns({"n": [1], "c": ["a"], "b": [True], "d": ["yesterday"]}, FEATURES)


def test_rows_must_be_objects() -> None:
    with pytest.raises(DataValidationError, match="row 1 is a list"):
        rows_from_body([{"a": 1}, [1]])
    assert columns_from_rows([{"n": 1, "zzz": 2}], ["n"]) == {"n": [1]}


def test_an_internal_failure_is_a_plain_500(fresh_workspace) -> None:
    import operator

    import pandas as pd
    from fastapi.testclient import TestClient
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    from calmops.server import ServerConfig, create_app

    from .conftest import add_version

    ws = fresh_workspace
    frame = pd.DataFrame({"x0": [0.0, 1.0], "secret_column_at_/etc/passwd": [0, 1]})
    broken = Pipeline(
        [
            ("pick", FunctionTransformer(operator.itemgetter(["secret_column_at_/etc/passwd"]))),
            ("model", DummyClassifier()),
        ]
    ).fit(frame, [0, 1])
    version = add_version(ws, "sea", broken)
    ws.store.models.set_aliases("sea", {"champion": version}, reason="broken model")
    app = create_app(ws.settings, config=ServerConfig())
    with TestClient(app, raise_server_exceptions=False) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        response = client.post("/predict/sea", json=ROW)
        assert response.status_code == 500
        assert response.json() == {
            "error": "internal server error (the server log has the details)"
        }
        assert client.post("/predict/sea", json=ROW).status_code == 500  # and it keeps serving
        assert client.get("/health").status_code == 200
