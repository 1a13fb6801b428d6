"""The HTML pages: rendered on the server from the same dicts as the JSON API."""

from __future__ import annotations

import pytest


def test_overview_page(client) -> None:
    html = client.get("/").text
    assert "<h1>Pipelines</h1>" in html and 'href="/pipelines/sea"' in html
    assert 'data-plotly="/assets/plotly.min.js"' in html and "cdn" not in html.lower()
    assert 'id="view-data"' in html and "last run failed" in html


@pytest.mark.parametrize(
    "tab", ["runs", "data", "drift", "performance", "models", "training", "logs"]
)
def test_pipeline_page_renders_each_tab(client, tab: str) -> None:
    response = client.get(f"/pipelines/sea?tab={tab}")
    assert response.status_code == 200
    html = response.text
    assert f'data-tab="{tab}"' in html and 'class="tab active" data-tab="' + tab in html
    section = client.get(f"/api/pipelines/sea/{tab}").json()["sections"][0]["id"]
    assert f'id="{section}"' in html


def test_block_tabs_and_unknown_tab(client) -> None:
    html = client.get("/pipelines/blocky?tab=blocks").text
    assert 'data-tab="ipip"' not in html and 'id="blocks-latest"' in html
    html = client.get("/pipelines/ippy?tab=ipip").text
    assert 'data-tab="blocks"' in html and 'id="ipip-structure"' in html
    assert 'data-tab="runs" data-token' in client.get("/pipelines/sea?tab=ipip").text


def test_pages_show_no_workspace_path(client, built) -> None:
    for url in ["/", "/pipelines/broken", "/pipelines/broken?tab=logs", "/pipelines/sea?tab=data"]:
        assert str(built.home) not in client.get(url).text, url


def test_empty_state_names_the_data_folder(client, built) -> None:
    html = client.get("/pipelines/fresh").text
    assert "No runs yet: drop a file into" in html and str(built.root / "in-fresh") in html


def test_unknown_pipeline_page_is_a_404_page(client) -> None:
    response = client.get("/pipelines/ghost")
    assert response.status_code == 404 and "no pipeline named" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_mounted_under_a_prefix(built) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from calmops.web.app import create_ui_app

    outer = FastAPI()
    outer.mount("/ui", create_ui_app(built.settings()))
    with TestClient(outer) as client:
        html = client.get("/ui/").text
        assert (
            'href="/ui/pipelines/sea"' in html and 'data-plotly="/ui/assets/plotly.min.js"' in html
        )
        assert client.get("/ui/api/pipelines/sea/models").json()["tab"] == "models"
        assert client.get("/ui/assets/plotly.min.js").status_code == 200
        promote = client.get("/ui/api/pipelines/sea/models").json()["sections"][1]["rows"]
        assert any(isinstance(r[-1], dict) and r[-1].get("url", "").startswith("/ui/api/")
                   for r in promote)  # fmt: skip


def test_mounted_beside_the_prediction_server(built) -> None:
    from fastapi.testclient import TestClient

    from calmops.server.app import create_app
    from calmops.web.app import mount_ui

    app = mount_ui(create_app(built.settings()), built.settings())
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/ui/api/pipelines/sea").json()["name"] == "sea"
        assert 'href="/ui/pipelines/sea"' in client.get("/ui/").text


def test_text_from_the_workspace_is_escaped(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from calmops.settings import Settings
    from calmops.spec import PipelineSpec
    from calmops.web.app import create_ui_app
    from calmops.workspace import Workspace

    settings = Settings(home=tmp_path / "home")
    spec = {"name": "x", "description": "<script>alert(1)</script>", "data": {"dir": "in"}}
    Workspace(settings).create(PipelineSpec.from_dict(spec, base_dir=tmp_path))
    with TestClient(create_ui_app(settings)) as client:
        for url in ["/", "/pipelines/x"]:
            html = client.get(url).text
            assert "<script>alert" not in html and "alert(1)" in html, url


def test_an_open_breaker_is_shown_and_needs_attention(own) -> None:
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient

    from calmops.store import BreakerState
    from calmops.web.app import create_ui_app

    retry = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    own.workspace().store.state.set_breaker(
        "reg", BreakerState("open", failures=3, opened_at=retry, retry_at=retry)
    )
    with TestClient(create_ui_app(own.settings())) as client:
        html = client.get("/pipelines/reg").text
        assert "open · 3 failures, retry" in html and "2030-01-02T03:04:00+00:00" in html
        overview = client.get("/api/overview").json()["pipelines"]
        reg = next(p for p in overview if p["name"] == "reg")
        assert reg["breaker"] == "open" and "breaker open" in reg["attention"]


def test_run_page_and_its_json_twin(client) -> None:
    runs = client.get("/api/pipelines/sea/runs").json()
    run_id = runs["runs"][0]["id"]
    link = runs["sections"][-1]["rows"][0][1]["link"]
    assert link == f"/pipelines/sea/runs/{run_id}"
    html = client.get(link).text
    assert 'id="run-reason"' in html and f"/api/pipelines/sea/runs/{run_id}" in html
    twin = client.get(f"/api/pipelines/sea/runs/{run_id}/view").json()
    assert twin["tab"] == "run" and twin["run_id"] == run_id
    assert client.get("/pipelines/sea/runs/nope").status_code == 404


def test_only_the_allowed_host_names_are_answered(built) -> None:
    from fastapi.testclient import TestClient

    from calmops.web.app import create_ui_app

    app = create_ui_app(built.settings(), allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8501") as client:
        assert client.get("/api/overview").status_code == 200
        rebound = client.get("/api/overview", headers={"Host": "evil.example:8501"})
        assert rebound.status_code == 400  # a re-pointed name (DNS rebinding) is refused
