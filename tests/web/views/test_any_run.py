"""Data, Drift and Blocks show any run (``run=RUN_ID``), not only the newest; the run page
shows that run's drift per feature and its blocks."""

from __future__ import annotations

import pytest

from calmops.errors import RunNotFoundError
from calmops.web.sections import find
from calmops.web.views.blocks import build_blocks
from calmops.web.views.data import build_data
from calmops.web.views.drift import build_drift
from calmops.web.views.run import build_run


def _runs(reader, name: str) -> list:
    return reader.runs(name)  # newest first


def test_the_drift_tab_looks_at_the_chosen_run(reader) -> None:
    runs = _runs(reader, "sea")
    older = next(r for r in runs[1:] if reader.report("sea", r).drift)
    view = build_drift(reader, "sea", run=older.id)
    assert view["run_id"] == older.id
    chosen = find(view, "drift-run")
    assert chosen["kind"] == "picker" and chosen["selected"] == older.id
    assert {o["value"] for o in chosen["options"]} >= {older.id, runs[0].id}
    expected = reader.report("sea", older).drift["features"]
    rows = find(view, "drift-features")["rows"]
    assert {row[0] for row in rows} == set(expected)
    for row in rows:
        assert row[3] == f"{expected[row[0]]['statistic']:.3f}"
    newest = build_drift(reader, "sea")
    assert (
        newest["run_id"] != older.id and find(newest, "drift-run")["selected"] == newest["run_id"]
    )


def test_the_heatmap_frames_the_run_and_its_columns_open_runs(reader) -> None:
    runs = _runs(reader, "sea")
    older = next(r for r in runs[1:] if reader.report("sea", r).drift)
    heat = find(build_drift(reader, "sea", run=older.id), "drift-heatmap")
    x = heat["figure"]["data"][0]["x"]
    links = heat["click"]["links"]
    assert heat["click"]["by"] == "x" and list(links) == [str(v) for v in x]
    assert f"/pipelines/sea?tab=drift&run={older.id}" in links.values()
    (frame,) = heat["figure"]["layout"]["shapes"]
    at = list(links.values()).index(f"/pipelines/sea?tab=drift&run={older.id}")
    assert frame["x0"] == at - 0.5 and frame["x1"] == at + 0.5


def test_a_run_without_drift_says_why(reader) -> None:
    first = _runs(reader, "sea")[-1]  # trained the first model
    view = build_drift(reader, "sea", run=first.id)
    assert "trained the first model" in find(view, "drift-untested")["text"]
    assert find(view, "drift-run")["selected"] == first.id
    broken = _runs(reader, "broken")[0]
    data = build_data(reader, "broken", run=broken.id)
    assert "failed" in find(data, "data-gone")["text"]


def test_the_data_tab_reads_the_chosen_batch(reader) -> None:
    runs = _runs(reader, "sea")
    newest, older = runs[0], runs[3]
    shifted = build_data(reader, "sea", run=newest.id)
    plain = build_data(reader, "sea", run=older.id)
    assert shifted["run_id"] == newest.id and plain["run_id"] == older.id
    mean = {v["run_id"]: dict((r[0], r[1]) for r in find(v, "data-stats")["rows"])
            for v in (shifted, plain)}  # fmt: skip
    # the newest batch's x0 was moved by +4: its mean differs by about 4
    gap = float(mean[newest.id]["x0"]) - float(mean[older.id]["x0"])
    assert gap == pytest.approx(4.0, abs=0.5)
    assert find(plain, "data-run")["selected"] == older.id


def test_unknown_runs_are_refused(reader) -> None:
    for build in (build_data, build_drift, build_blocks):
        with pytest.raises(RunNotFoundError, match="no run 'nope' in pipeline 'sea'"):
            build(reader, "sea", run="nope")


def test_the_blocks_tab_looks_at_the_chosen_run(reader) -> None:
    runs = _runs(reader, "months")
    assert len(runs) == 2
    for run in runs:
        view = build_blocks(reader, "months", run=run.id)
        assert view["run_id"] == run.id and find(view, "blocks-run")["selected"] == run.id
        expected = list(reader.report("months", run).blocks.order)
        assert [row[0] for row in find(view, "blocks-latest")["rows"]] == expected
    heat = find(build_blocks(reader, "months"), "blocks-drift")
    assert set(heat["click"]["links"].values()) == {
        f"/pipelines/months?tab=blocks&run={r.id}" for r in runs
    }


def test_the_run_page_shows_drift_per_feature_and_blocks(reader) -> None:
    sea = _runs(reader, "sea")[0]
    page = build_run(reader, "sea", sea.id)
    drift = reader.report("sea", sea).drift
    assert {row[0] for row in find(page, "run-drift")["rows"]} == set(drift["features"])
    facts = dict((r[0], r[1]) for r in find(page, "run-facts")["rows"])
    assert facts["this batch on the drift tab"]["link"].endswith(f"?tab=drift&run={sea.id}")
    month = _runs(reader, "months")[-1]
    page = build_run(reader, "months", month.id)
    blocks = reader.report("months", month).blocks
    assert [row[0] for row in find(page, "run-blocks")["rows"]] == list(blocks.order)
    assert "this batch on the blocks tab" in dict(
        (r[0], r[1]) for r in find(page, "run-facts")["rows"]
    )


def test_prediction_and_label_drift_follow_the_chosen_run(reader) -> None:
    runs = _runs(reader, "sea")
    older = next(r for r in runs[1:] if (reader.report("sea", r).signals or {}).get("prediction"))
    table = find(build_drift(reader, "sea", run=older.id), "drift-target")
    tests = reader.report("sea", older).signals["prediction"].details["tests"]
    shown = [row[7] for row in table["rows"] if row[0] == "predictions"]
    assert shown == [t["sentence"] for t in tests]


def test_the_blocks_heatmap_frames_the_chosen_run(reader) -> None:
    runs = _runs(reader, "months")
    heat = find(build_blocks(reader, "months", run=runs[0].id), "blocks-drift")
    (frame,) = heat["figure"]["layout"]["shapes"]
    assert (frame["x0"], frame["x1"]) == (0.5, 1.5)  # the newest of two runs: the second column
    assert "shapes" not in find(build_blocks(reader, "months"), "blocks-drift")["figure"]["layout"]
