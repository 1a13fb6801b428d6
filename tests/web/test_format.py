"""How the pages put numbers, times, states and metrics: in words, not codes (issue 18)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from calmops.models.metrics import METRICS
from calmops.web.format import (
    METRIC_NAMES,
    cell_time,
    clock,
    label,
    metric_label,
    number,
    words,
)


@pytest.mark.parametrize(
    ("code", "shown"),
    [("no_drift", "no drift"), ("predict_only", "predict only"), ("half_open", "half-open"),
     ("retrain", "retrain"), ("some_new_state", "some new state"), (None, "—")],
)  # fmt: skip
def test_states_read_as_words(code, shown) -> None:
    assert label(code) == shown


def test_every_calmops_metric_is_spelled_out() -> None:
    for name in METRICS.names():
        assert name in METRIC_NAMES, name
        assert "_" not in metric_label(name)
        assert metric_label(f"holdout_{name}") == f"holdout {metric_label(name)}"
    assert metric_label("balanced_accuracy") == "balanced accuracy"
    assert metric_label("roc_auc") == "ROC AUC"


def test_words_spell_codes_and_leave_names_alone() -> None:
    text = "balanced_accuracy 0.862 vs the champion's; no_drift on x_1, batch_0007.csv, f1_macro"
    assert words(text) == (
        "balanced accuracy 0.862 vs the champion's; no drift on x_1, batch_0007.csv, F1 (macro)"
    )
    assert words("holdout_rmse of my_feature") == "holdout RMSE of my_feature"
    assert words("") == "" and words(None) == ""
    assert words("https://host/api/pipelines/a_b") == "https://host/api/pipelines/a_b"


def test_numbers_have_thousands_separators() -> None:
    assert [number(v) for v in (1234567, 1500.0, 0.5, -12345)] == [
        "1,234,567", "1,500", "0.500", "-12,345",
    ]  # fmt: skip


def test_times_are_never_raw_iso() -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    assert clock(moment) == "2026-03-04 03:06 UTC"
    cell = cell_time(moment)
    assert cell == {"time": "2026-03-04T03:06:07+00:00", "text": "2026-03-04 03:06 UTC"}
    assert not re.search(r"\dT\d", cell["text"])
    assert clock(datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)) == "2026-01-01 00:00 UTC"
