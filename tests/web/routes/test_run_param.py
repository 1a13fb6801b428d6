"""``?run=RUN_ID`` on the pages and their JSON twins; an unknown run is a 404 that says so."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("tab", ["data", "drift"])
def test_the_json_twin_takes_a_run(client, tab) -> None:
    runs = client.get("/api/pipelines/sea/runs").json()["runs"]
    chosen = runs[2]["id"]
    view = client.get(f"/api/pipelines/sea/{tab}", params={"run": chosen}).json()
    assert view["run_id"] == chosen
    picker = next(s for s in view["sections"] if s["kind"] == "picker")
    assert picker["selected"] == chosen and picker["param"] == "run"
    missing = client.get(f"/api/pipelines/sea/{tab}", params={"run": "nope"})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no run 'nope' in pipeline 'sea' (see `calmops runs sea`)"


def test_blocks_take_a_run(client) -> None:
    runs = client.get("/api/pipelines/months/runs").json()["runs"]
    oldest = runs[-1]["id"]
    assert (
        client.get("/api/pipelines/months/blocks", params={"run": oldest}).json()["run_id"]
        == oldest
    )
    assert client.get("/api/pipelines/months/blocks?run=nope").status_code == 404


def test_the_page_takes_a_run(client) -> None:
    runs = client.get("/api/pipelines/sea/runs").json()["runs"]
    chosen = runs[2]["id"]
    page = client.get("/pipelines/sea", params={"tab": "drift", "run": chosen})
    assert page.status_code == 200
    assert f'data-run="{chosen}"' in page.text
    assert f'<option value="{chosen}" selected>' in page.text
    missing = client.get("/pipelines/sea", params={"tab": "data", "run": "nope"})
    assert missing.status_code == 404 and "no run &#39;nope&#39; in pipeline" in missing.text
    ignored = client.get("/pipelines/sea", params={"tab": "runs", "run": "nope"})
    assert ignored.status_code == 200  # the Runs tab shows every run: no run to choose
    run_page = client.get("/pipelines/sea/runs/nope")
    assert run_page.status_code == 404 and "no run &#39;nope&#39;" in run_page.text
    assert client.get("/api/pipelines/sea/runs/nope/view").status_code == 404
