"""The overview dict: every pipeline, those needing attention first."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.overview import build_overview


def test_every_pipeline_with_attention_first(reader) -> None:
    view = build_overview(reader)
    names = [p["name"] for p in view["pipelines"]]
    assert sorted(names) == [
        "blocky",
        "broken",
        "fresh",
        "ipipmonths",
        "ippy",
        "months",
        "reg",
        "sea",
    ]
    attention = [p["name"] for p in view["pipelines"] if p["attention"]]
    assert names[: len(attention)] == attention  # those needing attention come first
    assert names[0] == "broken"  # a failed run weighs more than drift or a missing champion
    broken = next(p for p in view["pipelines"] if p["name"] == "broken")
    assert "last run failed" in broken["attention"]
    assert broken["last_run"]["status"] == "failed"


def test_champion_metric_and_sparkline(reader) -> None:
    sea = next(p for p in build_overview(reader)["pipelines"] if p["name"] == "sea")
    assert sea["kind"] == "stream" and sea["trigger"] == "manual"
    assert sea["champion"] >= 2 and sea["metric"] == "balanced_accuracy"
    assert 0.5 < sea["metric_value"] <= 1.0
    assert len(sea["spark"]) == 6 and sea["spark"][0] is None  # the first run had no champion
    assert sea["breaker"] == "closed"
    assert sea["last_run"]["file"].startswith("batch_")  # a file name, never a server path
    assert "/" not in sea["last_run"]["file"]


def test_sections_and_token(reader) -> None:
    view = build_overview(reader)
    kpis = {k["label"]: k["value"] for k in find(view, "overview-kpis")["items"]}
    assert kpis["pipelines"] == "8"
    table = find(view, "overview-pipelines")
    assert len(table["rows"]) == 8 and table["columns"][0] == "pipeline"
    assert all(isinstance(p["token"], str) for p in view["pipelines"])
    assert view["token"] == build_overview(reader)["token"]  # stable while nothing changes


def test_empty_workspace_says_what_to_do(tmp_path) -> None:
    from calmops.settings import Settings
    from calmops.web.reader import Reader
    from calmops.workspace import Workspace

    view = build_overview(Reader(Workspace(Settings(home=tmp_path / "none"))))
    assert view["pipelines"] == []
    assert "calmops create" in find(view, "overview-empty")["text"]


def test_a_monitor_that_died_shows_as_failed_not_running(own) -> None:
    from calmops.web.reader import Reader

    ws = own.workspace()
    ws.store.pipelines.update("sea", state="running")  # what a SIGKILLed monitor leaves behind
    view = build_overview(Reader(ws))
    sea = next(p for p in view["pipelines"] if p["name"] == "sea")
    assert sea["state"] == "failed"
    assert "monitor died" in sea["attention"]


def test_a_pipeline_that_only_trained_shows_its_champions_holdout_score(own, batches) -> None:
    from calmops.web.reader import Reader

    own.create("solo")
    own.write(batches(4)[0], pipeline="solo")
    own.run("solo")
    solo = next(p for p in build_overview(Reader(own.ws))["pipelines"] if p["name"] == "solo")
    assert solo["champion"] == 1 and solo["spark"] == [None]  # no batch was scored yet
    assert solo["metric"] == "holdout_balanced_accuracy"
    assert 0.5 < solo["metric_value"] <= 1.0
