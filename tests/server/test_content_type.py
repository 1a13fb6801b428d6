"""Writes take JSON only: a web page cannot post into the prediction log (415 otherwise).

A browser sends ``text/plain``, form and multipart bodies, and bodies without a type, to any
site without asking it first; each must be refused on every route that writes, while JSON,
the OIP binary type, and non-browser clients that send no Content-Type keep working.
"""

from __future__ import annotations

import json

import pytest

ROW = {"x0": 1.0, "x1": 2.0, "x2": 3.0}
INFER = {
    "inputs": [
        {"name": "x0", "shape": [1], "datatype": "FP64", "data": [1.0]},
        {"name": "x1", "shape": [1], "datatype": "FP64", "data": [2.0]},
        {"name": "x2", "shape": [1], "datatype": "FP64", "data": [3.0]},
    ]
}
WRITES = [
    ("/predict/sea", ROW),
    ("/v2/models/sea/infer", INFER),
    ("/v2/models/sea/versions/1/infer", INFER),
    ("/feedback/sea", {"request_id": "no-such-request", "label": 1}),
]
SIMPLE_TYPES = [
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
]


@pytest.mark.parametrize("path,body", WRITES)
@pytest.mark.parametrize("content_type", SIMPLE_TYPES)
def test_a_body_a_browser_may_send_anywhere_is_refused(client, path, body, content_type) -> None:
    answer = client.post(path, content=json.dumps(body), headers={"Content-Type": content_type})
    assert answer.status_code == 415, answer.text
    assert "application/json" in answer.json()["error"]


@pytest.mark.parametrize("path,body", WRITES)
def test_an_untyped_body_from_a_browser_is_refused(client, path, body) -> None:
    answer = client.post(path, content=json.dumps(body), headers={"Origin": "https://evil.example"})
    assert answer.status_code == 415


@pytest.mark.parametrize("path,body", WRITES[:3])
def test_json_and_untyped_bodies_from_programs_are_served(client, path, body) -> None:
    typed = client.post(path, json=body)
    untyped = client.post(path, content=json.dumps(body))  # the Triton client sends no type
    assert typed.status_code == 200, typed.text
    assert untyped.status_code == 200, untyped.text
    assert typed.json()["model_version"] == untyped.json()["model_version"]


def test_the_refusal_is_documented(client) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/predict/{pipeline}", "/v2/models/{name}/infer", "/feedback/{pipeline}"):
        assert "415" in schema["paths"][path]["post"]["responses"], path
