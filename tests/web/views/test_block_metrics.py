"""Empty metric axes become the per-block figures or words saying why (issue 18, item 4)."""

from __future__ import annotations

import pytest

from calmops.store import RunRecord
from calmops.web.sections import find
from calmops.web.views.blocks import block_entries
from calmops.web.views.runs import build_runs


def test_an_ipip_pipeline_shows_the_prequential_metric_of_each_block(reader) -> None:
    page = build_runs(reader, "ipipmonths")
    section = find(page, "runs-block-metric")
    assert "Prequential" in section["title"]
    trace = section["figure"]["data"][0]
    expected = [
        e.metrics["balanced_accuracy"]
        for run in reversed(reader.runs("ipipmonths"))
        for e in block_entries(reader.report("ipipmonths", run))
        if "balanced_accuracy" in e.metrics  # the very first block trains, unscored
    ]
    assert trace["y"] == pytest.approx(expected) and len(trace["y"]) >= 4
    assert all(" · 2024-" in x for x in trace["x"])  # file · block, not a count


def test_a_stream_pipeline_has_no_block_figure(reader) -> None:
    with pytest.raises(KeyError):
        find(build_runs(reader, "sea"), "runs-block-metric")


def test_no_batch_metric_yet_says_why_instead_of_empty_axes(built) -> None:
    from calmops.web.reader import Reader

    reader = Reader(built.workspace())
    first = reader.runs("sea")[-1]  # the run that trained the first model
    summary = {"metric": "balanced_accuracy", "metrics": {"holdout_balanced_accuracy": 0.9}}
    only = RunRecord(id=first.id, pipeline="sea", status="succeeded", decision="train",
                     source=first.source, summary=summary)  # fmt: skip
    reader.runs = lambda name, limit=200: [only]  # the pipeline as it was after its first run
    section = find(build_runs(reader, "sea"), "runs-metric")
    assert section["kind"] == "notice"
    assert "trained the first model" in section["text"]
