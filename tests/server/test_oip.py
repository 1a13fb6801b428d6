"""Open Inference Protocol v2: routes in-process, and a ``tritonclient`` HTTP round trip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.server.served import load_served

ROWS = np.array([[0.5, 7.0, 3.0], [9.0, 9.5, 1.0], [2.0, 1.0, 8.0]])

DEV_ONLY = "tritonclient is a dev dependency: pip install -e '.[dev]'"


def _expected(workspace) -> np.ndarray:
    served = load_served(workspace, "sea", "champion")
    return served.model.predict(pd.DataFrame(ROWS, columns=["x0", "x1", "x2"]))


def _named(rows: np.ndarray) -> list[dict]:
    return [
        {"name": f"x{i}", "shape": [len(rows)], "datatype": "FP64", "data": rows[:, i].tolist()}
        for i in range(3)
    ]


def test_health_and_metadata(client) -> None:
    assert client.get("/v2/health/live").status_code == 200
    assert client.get("/v2/health/ready").json() == {"ready": True}
    assert client.get("/v2").json()["name"] == "calmops"
    meta = client.get("/v2/models/sea").json()
    assert meta["name"] == "sea" and meta["versions"] == ["1"]
    assert [(i["name"], i["datatype"]) for i in meta["inputs"]] == [
        ("x0", "FP64"),
        ("x1", "FP64"),
        ("x2", "FP64"),
    ]
    assert [o["name"] for o in meta["outputs"]] == ["predict", "predict_proba"]
    assert client.get("/v2/models/sea/ready").json() == {"name": "sea", "ready": True}
    assert client.get("/v2/models/sea/versions/1/ready").status_code == 200
    assert client.get("/v2/models/sea/versions/7/ready").status_code == 400
    assert client.get("/v2/models/empty/ready").status_code == 400
    assert client.get("/v2/models/ghost").status_code == 404


def test_infer_with_named_tensors_or_one_matrix(client, workspace) -> None:
    expected = _expected(workspace).tolist()
    named = client.post("/v2/models/sea/infer", json={"id": "r1", "inputs": _named(ROWS)})
    assert named.status_code == 200, named.text
    body = named.json()
    assert body["model_name"] == "sea" and body["model_version"] == "1" and body["id"] == "r1"
    outputs = {o["name"]: o for o in body["outputs"]}
    assert outputs["predict"]["data"] == expected and outputs["predict"]["shape"] == [3]
    assert outputs["predict_proba"]["shape"] == [3, 2]
    matrix = {
        "inputs": [{"name": "in", "shape": [3, 3], "datatype": "FP64", "data": ROWS.tolist()}],
        "outputs": [{"name": "predict"}],
    }
    answer = client.post("/v2/models/sea/versions/1/infer", json=matrix).json()
    assert [o["name"] for o in answer["outputs"]] == ["predict"]
    assert answer["outputs"][0]["data"] == expected


@pytest.mark.parametrize(
    ("inputs", "says"),
    [
        ([{"name": "x0", "shape": [1], "datatype": "FP64", "data": [1.0]}], "missing features"),
        ([{"name": "m", "shape": [1, 3], "datatype": "FP64", "data": [1, 2]}], "3 values"),
        ([{"name": "m", "shape": [1, 3], "datatype": "FP99", "data": [1, 2, 3]}], "datatype"),
        ([{"name": "m", "shape": [1, 4], "datatype": "FP64", "data": [1, 2, 3, 4]}], "shape"),
    ],
)
def test_bad_tensors(client, inputs, says) -> None:
    response = client.post("/v2/models/sea/infer", json={"inputs": inputs})
    assert response.status_code == 422
    assert says in response.json()["error"]


def test_bad_requests(client) -> None:
    assert client.post("/v2/models/sea/infer", json={"inputs": []}).status_code == 422
    unknown = client.post(
        "/v2/models/sea/infer", json={"inputs": _named(ROWS), "outputs": [{"name": "nope"}]}
    )
    assert unknown.status_code == 422 and "choose from predict" in unknown.json()["error"]
    wrong_version = client.post("/v2/models/sea/versions/9/infer", json={"inputs": _named(ROWS)})
    assert wrong_version.status_code == 404
    for length, body in (("2", b"{}"), ("x", b"{}"), ("99", b"{}")):
        binary = client.post(
            "/v2/models/sea/infer",
            content=body,
            headers={"Inference-Header-Content-Length": length},
        )
        assert binary.status_code in (400, 422), binary.text


def test_a_hooked_pipeline_takes_raw_named_columns(client) -> None:
    inputs = [
        {"name": "a", "shape": [1], "datatype": "FP64", "data": [1.0]},
        {"name": "b", "shape": [1], "datatype": "FP64", "data": [0.5]},
        {"name": "color", "shape": [1], "datatype": "BYTES", "data": ["red"]},
    ]
    answer = client.post("/v2/models/mixed/infer", json={"inputs": inputs})
    assert answer.status_code == 200, answer.text
    matrix = [{"name": "m", "shape": [1, 4], "datatype": "FP64", "data": [1, 2, 3, 4]}]
    refused = client.post("/v2/models/mixed/infer", json={"inputs": matrix})
    assert refused.status_code == 422 and "preprocess hook" in refused.json()["error"]


def test_tritonclient_round_trip(serve, workspace) -> None:
    triton = pytest.importorskip("tritonclient.http", reason=DEV_ONLY)
    live = serve(workspace)
    client = triton.InferenceServerClient(url=f"127.0.0.1:{live.port}")
    assert client.is_server_live() and client.is_server_ready()
    assert client.is_model_ready("sea") and not client.is_model_ready("empty")
    metadata = client.get_model_metadata("sea")
    assert [i["name"] for i in metadata["inputs"]] == ["x0", "x1", "x2"]

    inputs = []
    for i in range(3):
        tensor = triton.InferInput(f"x{i}", [len(ROWS)], "FP64")
        tensor.set_data_from_numpy(ROWS[:, i].copy(), binary_data=False)
        inputs.append(tensor)
    outputs = [
        triton.InferRequestedOutput("predict", binary_data=False),
        triton.InferRequestedOutput("predict_proba", binary_data=False),
    ]
    result = client.infer("sea", inputs, outputs=outputs, request_id="triton-1")
    assert result.as_numpy("predict").tolist() == _expected(workspace).tolist()
    proba = result.as_numpy("predict_proba")
    assert proba.shape == (3, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert result.get_response()["id"] == "triton-1"

    matrix = triton.InferInput("input-0", [len(ROWS), 3], "FP64")
    matrix.set_data_from_numpy(ROWS, binary_data=False)
    again = client.infer("sea", [matrix], outputs=outputs[:1], model_version="1")
    assert again.as_numpy("predict").tolist() == _expected(workspace).tolist()
    client.close()


def test_tritonclient_defaults_use_binary_tensors(serve, workspace) -> None:
    triton = pytest.importorskip("tritonclient.http", reason=DEV_ONLY)
    live = serve(workspace)
    client = triton.InferenceServerClient(url=f"127.0.0.1:{live.port}")
    inputs = []
    for i in range(3):
        tensor = triton.InferInput(f"x{i}", [len(ROWS)], "FP64")
        tensor.set_data_from_numpy(ROWS[:, i].copy())  # binary_data=True by default
        inputs.append(tensor)
    outputs = [triton.InferRequestedOutput("predict")]  # binary wanted: answered as JSON
    result = client.infer("sea", inputs, outputs=outputs)
    assert result.as_numpy("predict").tolist() == _expected(workspace).tolist()
    text = triton.InferInput("color", [1], "BYTES")
    text.set_data_from_numpy(np.array([b"red"], dtype=object))
    numbers = []
    for name, value in (("a", 1.0), ("b", 0.5)):
        tensor = triton.InferInput(name, [1], "FP32")
        tensor.set_data_from_numpy(np.array([value], dtype=np.float32))
        numbers.append(tensor)
    mixed = client.infer("mixed", [*numbers, text])
    assert mixed.as_numpy("predict").shape == (1,)
    client.close()
