"""With an API key, every route but the health checks needs it, as a bearer token or header."""

from __future__ import annotations

import pytest

from calmops.server.auth import key_matches

from .conftest import make_client, wait_for

KEY = "correct horse battery staple"
ROW = {"x0": 1.0, "x1": 2.0, "x2": 3.0}
GUARDED = [
    ("POST", "/predict/sea", ROW),
    ("GET", "/pipelines", None),
    ("GET", "/pipelines/sea", None),
    ("GET", "/metrics", None),
    ("POST", "/feedback/sea", {"request_id": "abc", "label": 1}),
    ("GET", "/v2", None),
    ("GET", "/v2/models/sea", None),
    ("GET", "/v2/models/sea/ready", None),
    ("POST", "/v2/models/sea/infer", {"inputs": []}),
    ("POST", "/predict/ghost", ROW),  # even the answer "no such pipeline" needs the key
]


@pytest.fixture
def guarded(workspace):
    with make_client(workspace, api_key=KEY) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        yield client


@pytest.mark.parametrize(("method", "path", "body"), GUARDED)
def test_every_route_needs_the_key(guarded, method, path, body) -> None:
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}):
        response = guarded.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, (path, headers)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "API key" in response.json()["error"]


def test_the_key_works_as_a_bearer_token_or_a_header(guarded) -> None:
    for headers in ({"X-API-Key": KEY}, {"Authorization": f"Bearer {KEY}"}):
        assert guarded.post("/predict/sea", json=ROW, headers=headers).status_code == 200
        assert guarded.get("/pipelines", headers=headers).status_code == 200


@pytest.mark.parametrize("path", ["/health", "/ready", "/v2/health/live", "/v2/health/ready"])
def test_health_checks_need_no_key(guarded, path) -> None:
    assert guarded.get(path).status_code == 200


def test_readiness_tells_champions_only_to_key_holders(guarded, client) -> None:
    assert guarded.get("/ready").json() == {"ready": True}
    assert guarded.get("/ready", headers={"X-API-Key": "wrong"}).json() == {"ready": True}
    detailed = guarded.get("/ready", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert detailed["pipelines"]["sea"] == 1
    assert client.get("/ready").json()["pipelines"]["sea"] == 1  # no key configured: open


def test_no_key_configured_means_open(client) -> None:
    assert client.post("/predict/sea", json=ROW).status_code == 200


def test_the_key_is_read_from_the_settings(workspace) -> None:
    from fastapi.testclient import TestClient

    from calmops.server import create_app
    from calmops.settings import Settings

    settings = Settings(home=workspace.home, api_key="from-env")
    with TestClient(create_app(settings)) as client:
        assert client.get("/pipelines").status_code == 401
        assert client.get("/pipelines", headers={"X-API-Key": "from-env"}).status_code == 200


def test_comparison() -> None:
    assert key_matches(KEY, KEY)
    assert not key_matches(KEY[:-1], KEY) and not key_matches("", KEY)
    assert not key_matches("clé", "cle")
