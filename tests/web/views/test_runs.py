"""The Runs tab dict: timeline, metric with band and markers, latest runs."""

from __future__ import annotations

from calmops.web.format import metric_label
from calmops.web.sections import find
from calmops.web.views.runs import build_runs


def test_timeline_metric_and_table(reader) -> None:
    view = build_runs(reader, "sea")
    assert [r["decision"] for r in view["runs"]][-1] == "train"
    timeline = find(view, "runs-timeline")["figure"]
    assert sum(len(t["x"]) for t in timeline["data"]) == 6
    metric = find(view, "runs-metric")["figure"]
    names = [t["name"] for t in metric["data"]]
    assert "balanced accuracy" in names and "retrained" in names and "promoted" in names
    band = [t for t in metric["data"] if t["name"] == "99% interval the decision used"]
    line = next(t for t in metric["data"] if t["name"] == "balanced accuracy")
    assert len(band) == 2 and len(line["y"]) == 5  # the first run had no champion to measure
    table = find(view, "runs-table")
    assert len(table["rows"]) == 6
    assert table["rows"][-1][3] == {"badge": "train", "tone": "info"}


def test_promotions_are_marked_with_the_new_champion(reader) -> None:
    metric = find(build_runs(reader, "sea"), "runs-metric")["figure"]
    promoted = next(t for t in metric["data"] if t["name"] == "promoted")
    assert promoted["text"] and all("champion → v" in text for text in promoted["text"])


def test_limit_and_failed_runs(reader) -> None:
    assert len(build_runs(reader, "sea", limit=2)["runs"]) == 2
    broken = build_runs(reader, "broken")
    assert broken["runs"][0]["status"] == "failed"
    why = find(broken, "runs-table")["rows"][0][-1]
    assert "<workspace>" not in why and "bad.csv" in why


def test_no_runs_says_where_to_drop_a_file(reader, built) -> None:
    text = find(build_runs(reader, "fresh"), "runs-empty")["text"]
    assert "No runs yet: drop a file into" in text
    assert str(built.root / "in-fresh") in text and "calmops run fresh --once" in text


def test_the_table_shows_the_estimate_beside_the_metric(reader) -> None:
    view = build_runs(reader, "sea")
    table = find(view, "runs-table")
    metric = table["columns"][5]
    assert table["columns"][6] == f"estimated {metric}"
    runs = {r.id: r for r in reader.runs("sea")}
    estimated = [r for r in runs.values() if (r.summary.get("estimation") or {}).get("estimated")]
    assert estimated  # the fixture's runs after the first have an estimate
    for run, row in zip(reader.runs("sea"), table["rows"], strict=False):
        found = run.summary.get("estimation") or {}
        if metric_label(found.get("metric")) == metric and found.get("estimated") is not None:
            assert row[6].startswith(f"{found['estimated']:.3f} [")
        else:
            assert row[6] == "—"
