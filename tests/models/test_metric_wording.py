"""The wording of a metric change follows the metric's direction."""

from __future__ import annotations

import re

import numpy as np
import pytest

from calmops.models.metrics import compare_independent, describe_change, get_metric


@pytest.mark.parametrize(
    ("name", "task"), [("rmse", "regression"), ("r2", "regression"), ("roc_auc", "classification")]
)
def test_a_significant_change_is_said_with_a_positive_interval_of_its_own_kind(name, task) -> None:
    metric = get_metric(name, task)
    rng = np.random.default_rng(0)
    for _ in range(200):
        before, after = rng.normal(1, 0.5, 2)
        change = after - before
        improvement = change if metric.higher_is_better else -change
        width = abs(change) * rng.uniform(0.1, 0.9)
        text = describe_change(
            metric, before, after, improvement - width, improvement + width, 0.99
        )
        low, high = (
            float(v)
            for v in re.findall(r"interval of the \w+ ([-+][\d.]+) to ([-+][\d.]+)", text)[0]
        )
        assert 0 <= low <= high, text
        if after > before:
            assert " rose from " in text and "interval of the increase" in text
        else:
            assert " fell from " in text and "interval of the drop" in text
        worse = metric.better(after, before) < 0
        assert ("(worse;" in text) == worse and ("(better;" in text) == (not worse)


def test_a_real_rise_of_rmse_reads_as_the_issue_asks() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(size=800)
    rmse = get_metric("rmse", "regression")
    change = compare_independent(
        (y[:400], y[:400] + rng.normal(0, 2, 400)),
        (y[400:], y[400:] + rng.normal(0, 1, 400)),
        rmse,
        confidence=0.99,
    )
    text = describe_change(rmse, 1.0, 2.0, change.low, change.high, 0.99)
    assert text.startswith("rmse rose from 1.000 to 2.000 (worse; 99% interval of the increase +")
    assert " to +" in text
