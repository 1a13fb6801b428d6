"""A ROC or confusion matrix never silently uses rows the model was trained on (issue 18,
item 5)."""

from __future__ import annotations

import pytest
from tests.web.truth_workspace import build_truth

from calmops.web.reader import Reader
from calmops.web.sections import find
from calmops.web.views.performance import build_performance


@pytest.fixture(scope="module")
def truth_reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    return Reader(build_truth(tmp_path_factory.mktemp("truth")).workspace())


@pytest.mark.slow
def test_the_only_batch_trained_the_champion_so_the_roc_uses_its_holdout(truth_reader) -> None:
    page = build_performance(truth_reader, "once")
    roc = find(page, "performance-roc")
    assert roc["kind"] == "figure" and "held-out rows" in roc["title"]
    assert "no labelled batch arrived after" in roc["note"].lower()
    holdout = truth_reader.registry("once").holdout(truth_reader.registry("once").alias("champion"))
    assert f"({len(holdout.y_true):,} rows)" in roc["title"]
    confusion = find(page, "performance-confusion")
    assert "held-out rows" in confusion["title"] and "refit" in confusion["note"]


@pytest.mark.slow
def test_a_batch_that_came_after_the_champion_is_used_for_the_roc(truth_reader) -> None:
    assert [r.decision for r in truth_reader.runs("stable")] == ["no_drift", "train"]
    roc = find(build_performance(truth_reader, "stable"), "performance-roc")
    assert "not trained on" in roc["title"] and "arrived after" in roc["note"]
    assert roc["figure"]["data"][1]["name"].startswith("AUC")


def test_an_ipip_champion_is_judged_on_its_prequential_predictions(reader) -> None:
    page = build_performance(reader, "ipipmonths")
    roc = find(page, "performance-roc")
    assert "prequential" in roc["title"] and "before the model learned it" in roc["note"]
