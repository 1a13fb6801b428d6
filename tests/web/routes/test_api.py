"""Every JSON endpoint with the test client, on a workspace with real runs."""

from __future__ import annotations

import pytest

TABS = ["runs", "data", "drift", "performance", "models", "training", "logs"]


def test_overview(client) -> None:
    body = client.get("/api/overview").json()
    names = [p["name"] for p in body["pipelines"]]
    assert names[0] == "broken" and len(names) == 8 and {"sea", "months", "ippy"} <= set(names)
    assert body["token"] and body["sections"][0]["kind"] == "kpis"


def test_status(client) -> None:
    body = client.get("/api/pipelines/sea").json()
    assert body["name"] == "sea" and body["champion"] == body["aliases"]["champion"]
    assert [t["tab"] for t in body["tabs"]] == TABS
    assert body["api_key_required"] is False and body["breaker"]["state"] == "closed"


@pytest.mark.parametrize(
    "pipeline", ["sea", "reg", "fresh", "broken", "blocky", "ippy", "months", "ipipmonths"]
)
@pytest.mark.parametrize("tab", [*TABS, "blocks", "ipip"])
def test_every_tab_of_every_pipeline(client, pipeline: str, tab: str) -> None:
    response = client.get(f"/api/pipelines/{pipeline}/{tab}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tab"] == tab and body["sections"]
    assert all({"id", "kind"} <= set(s) for s in body["sections"])
    assert "NaN" not in response.text


def test_run_report(client) -> None:
    run_id = client.get("/api/pipelines/sea/runs").json()["runs"][0]["id"]
    report = client.get(f"/api/pipelines/sea/runs/{run_id}").json()
    assert report["run_id"] == run_id and report["drift"]["features"]["x0"]["drift"] is True
    missing = client.get("/api/pipelines/sea/runs/nope")
    assert missing.status_code == 404 and "no run 'nope'" in missing.json()["detail"]


def test_query_parameters(client) -> None:
    assert len(client.get("/api/pipelines/sea/runs?limit=2").json()["runs"]) == 2
    assert client.get("/api/pipelines/sea/runs?limit=0").status_code == 422
    logs = client.get("/api/pipelines/sea/logs?level=WARNING&q=x").json()
    assert logs["sections"][0]["lines"] == [] and logs["offset"] > 0
    assert client.get("/api/pipelines/sea/logs?after=-1").status_code == 422


@pytest.mark.parametrize(
    "path", ["/api/pipelines/ghost", "/api/pipelines/ghost/runs", "/api/pipelines/ghost/models"]
)
def test_unknown_pipeline_is_404(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "no pipeline named 'ghost' (see `calmops list`)"}


def test_invalid_name_is_refused(client) -> None:
    assert client.get("/api/pipelines/..%2Fetc").status_code in (404, 422)
    assert client.get("/api/pipelines/bad$name").status_code == 422


def test_openapi_documents_every_endpoint(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/overview",
        "/api/pipelines/{name}",
        "/api/pipelines/{name}/runs",
        "/api/pipelines/{name}/runs/{run_id}",
        "/api/pipelines/{name}/runs/{run_id}/view",
        "/api/pipelines/{name}/data",
        "/api/pipelines/{name}/drift",
        "/api/pipelines/{name}/performance",
        "/api/pipelines/{name}/models",
        "/api/pipelines/{name}/models/{version}/promote",
        "/api/pipelines/{name}/models/rollback",
        "/api/pipelines/{name}/training",
        "/api/pipelines/{name}/blocks",
        "/api/pipelines/{name}/ipip",
        "/api/pipelines/{name}/logs",
    ]:
        operation = next(iter(paths[path].values()))
        assert operation.get("description") or operation.get("summary"), path
    page = client.get("/api/docs").text  # our own page: no script from a CDN
    assert "/api/pipelines/{name}/models/{version}/promote" in page and "cdn" not in page.lower()
    assert "How many of the newest runs." in page


def test_plotly_is_served_from_the_package(client) -> None:
    from calmops.web.routes.assets import plotly_js_path

    response = client.get("/assets/plotly.min.js")
    assert response.status_code == 200 and response.content == plotly_js_path().read_bytes()
    assert response.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/app.css").status_code == 200
