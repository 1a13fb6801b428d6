"""The performance signal with probability metrics, and the trivial model for them."""

from __future__ import annotations

import numpy as np

from calmops.models.metrics import Proba, get_metric
from calmops.models.registry import Holdout
from calmops.pipeline.promotion import trivial_baseline
from calmops.pipeline.signals import performance_signal
from calmops.spec import DecisionSpec

ROC_AUC = get_metric("roc_auc", "classification")
CLASSES = np.array([0, 1])


def _scored(n: int, strength: float, seed: int):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s = np.clip(y * strength + rng.random(n) * (1 - strength), 0, 1)
    return y, (s > 0.5).astype(int), np.c_[1 - s, s]


def test_a_drop_of_roc_auc_fires_and_is_said_as_a_drop() -> None:
    y0, p0, q0 = _scored(1000, 0.5, 0)
    y1, p1, q1 = _scored(400, 0.05, 1)
    baseline = Holdout(y0, p0, q0, CLASSES)
    signal = performance_signal(
        ROC_AUC, y1, p1, baseline, DecisionSpec(), 0, proba=Proba(q1, CLASSES), positive=1
    )
    assert signal.fired
    assert signal.summary.startswith("roc_auc fell from 1.000 to 0.5")
    assert "(worse; 99% interval of the drop +" in signal.summary
    assert signal.details["change_high"] < 0  # the improvement interval, kept for tools


def test_a_baseline_recorded_without_probabilities_gives_no_signal_and_says_why() -> None:
    y0, p0, _ = _scored(500, 0.5, 0)
    y1, p1, q1 = _scored(200, 0.05, 1)
    signal = performance_signal(
        ROC_AUC, y1, p1, Holdout(y0, p0), DecisionSpec(), 0, proba=Proba(q1, CLASSES)
    )
    assert not signal.fired
    assert signal.summary == "no roc_auc baseline (it was recorded without probabilities)"


def test_the_trivial_model_of_a_probability_metric_forecasts_the_class_shares() -> None:
    y, p, q = _scored(600, 0.4, 2)
    trivial = trivial_baseline(y, p, ROC_AUC, proba=Proba(q, CLASSES), positive=1)
    assert trivial.value == 0.5  # a constant forecast ranks nothing
    assert trivial.beaten(0.05)
    log_loss = get_metric("log_loss", "classification")
    share = y.mean()
    entropy = -(share * np.log(share) + (1 - share) * np.log(1 - share))
    baseline = trivial_baseline(y, p, log_loss, proba=Proba(q, CLASSES), positive=1)
    assert abs(baseline.value - entropy) < 1e-12
