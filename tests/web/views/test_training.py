"""The Training tab dict: every retraining with its window, sizes and fit time."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.training import build_training


def test_every_training_with_window_rows_and_fit_time(reader) -> None:
    view = build_training(reader, "sea")
    policy = {k["label"]: k["value"] for k in find(view, "training-policy")["items"]}
    assert policy["strategy"] == "window" and policy["window"] == "1 batch"
    rows = find(view, "training-table")["rows"]
    assert len(rows) == len(reader.ws.store.models.versions("sea"))
    first = rows[0]
    assert first[2] == {"badge": "train", "tone": "info"} and first[3] == "v1"
    # all 800 rows: judged on 75% of them, then refitted with its holdout (promotion.refit)
    assert first[6] == "800" and float(first[7]) > 0  # a measured fit time
    fig = find(view, "training-sizes")["figure"]
    assert fig["data"][0]["y"][0] == 800 and fig["data"][1]["name"] == "fit time (s)"


def test_no_training_yet(reader) -> None:
    view = build_training(reader, "fresh")
    assert "No training yet" in find(view, "training-empty")["text"]
    assert find(view, "training-policy")["items"][0]["value"] == "adaptive"
