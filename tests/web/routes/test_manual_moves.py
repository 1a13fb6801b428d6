"""Promote and roll back by hand: a reason is required, a warning when the version made
champion scored worse on the newest rows neither was trained on, a log line and an audit
entry carrying the reason."""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sklearn.metrics import balanced_accuracy_score

from calmops.pipeline.retained import TARGET_COLUMN
from calmops.web.app import create_ui_app

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def moved(own, batches):
    """``own`` with two more batches: the second is one no model was trained on."""
    fresh = batches(9)
    own.write(fresh[7], pipeline="sea")
    own.write(fresh[8], pipeline="sea")
    own.run("sea")
    with TestClient(create_ui_app(own.settings())) as client:
        yield own, client


def _scores(lab, version: int, champion: int) -> tuple[float, float, int]:
    """balanced accuracy of ``version`` and ``champion`` on the newest retained batch,
    computed here with scikit-learn."""
    from calmops.models.registry import ModelRegistry

    ws = lab.workspace()
    newest = ws.store.runs.list("sea", limit=1)[0]
    frame = pd.read_parquet(ws.paths("sea").data / f"{newest.id}.parquet")
    y = frame.pop(TARGET_COLUMN).to_numpy()
    registry = ModelRegistry(ws.store, "sea", ws.paths("sea").models)
    found = [
        balanced_accuracy_score(
            y, registry.load(registry.get(v)).predict(frame[["x0", "x1", "x2"]])
        )
        for v in (version, champion)
    ]
    return found[0], found[1], len(y)


def test_a_reason_is_required(moved) -> None:
    lab, client = moved
    store = lab.workspace().store
    before = store.models.aliases("sea")
    for body in (None, {}, {"reason": "   "}):
        answer = client.post("/api/pipelines/sea/models/rollback", headers=JSON, json=body)
        assert answer.status_code == 422 and "a reason is required" in answer.json()["detail"]
        answer = client.post("/api/pipelines/sea/models/1/promote", headers=JSON, json=body)
        assert answer.status_code == 422
    too_long = client.post(
        "/api/pipelines/sea/models/1/promote", headers=JSON, json={"reason": "x" * 501}
    )
    assert too_long.status_code == 422
    assert store.models.aliases("sea") == before  # nothing moved


def test_the_check_warns_when_the_version_is_worse(moved) -> None:
    lab, client = moved
    champion = lab.workspace().store.models.aliases("sea")["champion"]
    warned = 0
    for version in range(1, champion):
        check = client.get(f"/api/pipelines/sea/models/{version}/check").json()
        ours, theirs, rows = _scores(lab, version, champion)
        assert check["chosen_score"] == pytest.approx(ours, abs=1e-9)
        assert check["champion_score"] == pytest.approx(theirs, abs=1e-9)
        assert check["rows"] == rows and check["metric"] == "balanced_accuracy"
        assert (check["warning"] is not None) == (ours < theirs)
        warned += check["warning"] is not None
    assert warned >= 1  # the old concept's model is worse on the new concept's rows
    previous = lab.workspace().store.models.aliases("sea")["previous"]
    rollback = client.get("/api/pipelines/sea/models/rollback/check").json()
    assert rollback["version"] == previous and rollback["champion"] == champion
    assert client.get("/api/pipelines/sea/models/99/check").status_code == 404


def test_no_new_rows_no_comparison(client, built) -> None:
    """In the session's workspace the champion was trained on the newest batch."""
    check = client.get("/api/pipelines/sea/models/1/check").json()
    assert check["warning"] is None and check["chosen_score"] is None
    assert "cannot be compared on the same new rows" in check["note"]


def test_the_move_is_logged_and_audited_with_its_reason(moved) -> None:
    lab, client = moved
    ws = lab.workspace()
    champion = ws.store.models.aliases("sea")["champion"]
    worst = min(
        range(1, champion), key=lambda v: _scores(lab, v, champion)[0]
    )  # a version surely worse than the champion
    answer = client.post(
        f"/api/pipelines/sea/models/{worst}/promote",
        headers=JSON,
        json={"reason": "testing the old concept on site B"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["reason"] == "testing the old concept on site B"
    assert body["warning"] and f"v{worst} scored" in body["warning"]
    last = ws.store.models.history("sea")[-1]
    assert last.alias in ("champion", "previous")
    reasons = {h.reason for h in ws.store.models.history("sea")[-2:]}
    assert reasons == {
        f"promoted by hand (the dashboard) to v{worst}: testing the old concept on site B"
    }
    log = (ws.paths("sea").logs / "pipeline.log").read_text()
    line = [x for x in log.splitlines() if "testing the old concept" in x][-1]
    assert " WARNING " in line and f"champion v{champion} → v{worst}" in line
    assert "warned:" in line
    events = (ws.paths("sea").logs / "events.jsonl").read_text()
    assert '"kind": "manual_move"' in events and "testing the old concept" in events

    rolled = client.post(
        "/api/pipelines/sea/models/rollback", headers=JSON, json={"reason": "undo the test"}
    )
    assert rolled.status_code == 200 and rolled.json()["warning"] is None  # back to the better
    assert ws.store.models.aliases("sea")["champion"] == champion
    assert (
        ws.store.models.history("sea")[-1].reason
        == "rolled back by hand (the dashboard): undo the test"
    )
