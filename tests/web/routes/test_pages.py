"""The HTML pages: rendered on the server from the same dicts as the JSON API."""

from __future__ import annotations

import pytest


def test_overview_page(client) -> None:
    html = client.get("/").text
    assert "<h1>Pipelines</h1>" in html and 'href="/pipelines/sea"' in html
    assert 'src="/assets/plotly.min.js"' in html and "cdn" not in html.lower()
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
        assert 'href="/ui/pipelines/sea"' in html and 'src="/ui/assets/plotly.min.js"' in html
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
