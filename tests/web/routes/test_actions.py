"""Promote and roll back: a JSON body, the API key when one is set, compared in constant time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from calmops.web.app import create_ui_app

JSON = {"Content-Type": "application/json"}
WHY = {"reason": "a test"}


@pytest.fixture
def action_client(own):
    with TestClient(create_ui_app(own.settings())) as client:
        yield client


def test_rollback_then_promote(action_client, own) -> None:
    store = own.workspace().store
    before = store.models.aliases("sea")
    rolled = action_client.post(
        "/api/pipelines/sea/models/rollback", headers=JSON, json={"reason": "v3 too eager"}
    )
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["message"].startswith(f"sea: champion: v{before['champion']} → ")
    after = store.models.aliases("sea")
    assert after["champion"] == before["previous"] and after["previous"] == before["champion"]
    promoted = action_client.post(
        f"/api/pipelines/sea/models/{before['champion']}/promote",
        headers=JSON,
        json={"reason": "back again"},
    )
    assert promoted.status_code == 200
    assert store.models.aliases("sea")["champion"] == before["champion"]
    assert "promoted by hand (the dashboard) to v" in store.models.history("sea")[-1].reason
    assert store.models.history("sea")[-1].reason.endswith(": back again")


def test_refusals(action_client, own) -> None:
    champion = own.workspace().store.models.aliases("sea")["champion"]
    again = action_client.post(
        f"/api/pipelines/sea/models/{champion}/promote", headers=JSON, json=WHY
    )
    assert again.status_code == 409 and "already the champion" in again.json()["detail"]
    missing = action_client.post("/api/pipelines/sea/models/99/promote", headers=JSON, json=WHY)
    assert missing.status_code == 404
    none = action_client.post("/api/pipelines/reg/models/rollback", headers=JSON, json=WHY)
    assert none.status_code == 404 and "no previous model" in none.json()["detail"]
    form = action_client.post("/api/pipelines/sea/models/1/promote", data={"a": "b"})
    assert form.status_code == 415  # a plain form from another site cannot act
    assert action_client.get("/api/pipelines/sea/models/rollback").status_code == 405


def test_tampered_model_is_refused(action_client, own) -> None:
    model = own.home / "pipelines" / "sea" / "models" / "v1" / "model.joblib"
    model.write_bytes(model.read_bytes() + b"tampered")
    response = action_client.post("/api/pipelines/sea/models/1/promote", headers=JSON, json=WHY)
    assert response.status_code == 500 and str(own.home) not in response.text
    assert own.workspace().store.models.aliases("sea")["champion"] != 1


def test_api_key_required_when_set(own) -> None:
    with TestClient(create_ui_app(own.settings(api_key="s3cret-key"))) as client:
        assert client.get("/api/pipelines/sea").json()["api_key_required"] is True
        url = "/api/pipelines/sea/models/rollback"
        assert client.post(url, headers=JSON).status_code == 401
        wrong = client.post(url, headers=JSON | {"X-API-Key": "s3cret-kez"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        assert (
            client.post(url, headers=JSON | {"X-API-Key": "s3cret-key"}, json=WHY).status_code
            == 200
        )
        bearer = JSON | {"Authorization": "Bearer s3cret-key"}
        assert client.post(url, headers=bearer, json=WHY).status_code == 200
        assert client.get("/api/pipelines/sea/models").status_code == 200  # reading stays open
