"""``/alerts`` and ``/api/alerts``: the same dict as a page and as JSON."""

from __future__ import annotations


def test_the_json_twin(client) -> None:
    body = client.get("/api/alerts").json()
    assert body["total"] == len(body["alerts"]) > 0
    assert body["alerts"][0]["url"].startswith("/pipelines/")
    failed = client.get("/api/alerts", params={"kind": "failed"}).json()
    assert [a["pipeline"] for a in failed["alerts"]] == ["broken"]
    sea = client.get("/api/alerts", params={"pipeline": "sea", "limit": 3}).json()
    assert len(sea["alerts"]) == 3 and sea["total"] > 3
    assert {a["pipeline"] for a in sea["alerts"]} == {"sea"}


def test_bad_parameters_are_one_sentence(client) -> None:
    ghost = client.get("/api/alerts", params={"pipeline": "ghost"})
    assert ghost.status_code == 404 and "ghost" in ghost.json()["detail"]
    kind = client.get("/api/alerts", params={"kind": "everything"})
    assert kind.status_code == 422 and kind.json()["detail"].startswith("kind:")
    assert client.get("/api/alerts", params={"limit": 0}).status_code == 422


def test_the_page_lists_filters_and_pages(client) -> None:
    html = client.get("/alerts").text
    assert "<h1>Alerts</h1>" in html and 'id="alerts-table"' in html
    assert 'href="/pipelines/broken/runs/' in html and "run failed" in html
    assert '<option value="sea">sea</option>' in html
    html = client.get("/alerts", params={"pipeline": "sea", "kind": ""}).text
    assert '<option value="sea" selected>' in html and "/pipelines/broken/runs/" not in html
    html = client.get("/alerts", params={"kind": "breaker"}).text
    assert 'id="alerts-empty"' in html and 'id="alerts-next"' not in html
    assert client.get("/alerts", params={"pipeline": "ghost"}).status_code == 404
    assert client.get("/alerts", params={"kind": "nope"}).status_code == 422


def test_every_page_links_to_the_alerts(client) -> None:
    for path in ("/", "/pipelines/sea", "/alerts"):
        assert 'id="nav-alerts" href="/alerts"' in client.get(path).text
