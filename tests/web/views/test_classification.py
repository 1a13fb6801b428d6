"""Classifiers: the confusion matrix on the full holdout, per-class numbers, ROC."""

from __future__ import annotations

import numpy as np

from calmops.web.sections import find
from calmops.web.views.performance import build_performance


def test_confusion_matrix_counts_every_holdout_row(reader) -> None:
    view = build_performance(reader, "sea")
    champion = reader.registry("sea").alias("champion")
    holdout = reader.registry("sea").holdout(champion)
    section = find(view, "performance-confusion")
    assert f"({len(holdout.y_true):,} rows)" in section["title"]
    text = section["figure"]["data"][0]["text"]
    counted = sum(int(cell.split(" ")[0].replace(",", "")) for row in text for cell in row)
    assert counted == len(holdout.y_true) > 10  # the full holdout, never a sample of ten
    expected = int(np.sum(holdout.y_true.astype(str) == holdout.y_pred.astype(str)))
    assert sum(int(text[i][i].split(" ")[0]) for i in range(len(text))) == expected


def test_roc_and_history(reader) -> None:
    view = build_performance(reader, "sea")
    roc = find(view, "performance-roc")
    # the latest labelled batch trained v3: its held-out rows, not its training rows
    assert roc["kind"] == "figure" and "held-out rows" in roc["title"]
    curve = roc["figure"]["data"][1]
    assert curve["name"].startswith("AUC ") and curve["x"][0] == 0 and curve["y"][-1] == 1
    history = find(view, "performance-history")["figure"]
    names = {t["name"] for t in history["data"]}
    assert {"accuracy", "balanced accuracy", "F1 (macro)"} <= names
    assert any(name.startswith("challenger holdout") for name in names)
    # only the decision's metric starts visible: log loss would flatten accuracy's scale
    visible = {t["name"] for t in history["data"] if t.get("visible") != "legendonly"}
    assert visible == {"balanced accuracy", "challenger holdout balanced accuracy"}
    classes = find(view, "performance-classes")
    assert [row[0] for row in classes["rows"]] == ["0", "1"]


def test_roc_uses_the_newest_labelled_batch_when_the_latest_has_no_labels(own, batches) -> None:
    from calmops.web.reader import Reader

    unlabelled = batches(7)[6].drop(columns="target")
    own.write(unlabelled, pipeline="sea")
    own.run("sea")
    reader = Reader(own.ws)
    assert reader.runs("sea")[0].decision == "predict_only"
    roc = find(build_performance(reader, "sea"), "performance-roc")
    assert roc["kind"] == "figure" and roc["figure"]["data"][1]["name"].startswith("AUC ")
