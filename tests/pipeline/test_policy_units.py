"""The decision policy, the promotion rule and the circuit breaker, one rule at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from calmops.models.metrics import PairedComparison, compare_paired, primary_metric, scores
from calmops.pipeline.breaker import after_failure, after_success, is_paused, trial
from calmops.pipeline.policy import Signal, decide
from calmops.pipeline.promotion import judge, trivial_baseline
from calmops.spec import BreakerSpec, PromotionSpec
from calmops.store import BreakerState

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ACC = primary_metric("classification")
RMSE = primary_metric("regression")


def _decide(signals, **kw):
    options = dict(
        retrain_on=("performance", "detector"),
        has_labels=True,
        has_champion=True,
        prediction_only=False,
        paused_until=None,
        target="y",
    )
    return decide(signals, **(options | kw))


def test_decisions() -> None:
    quiet = {
        "performance": Signal("performance", False, "held"),
        "data": Signal("data", True, "3 drifted"),
    }
    assert _decide(quiet).kind == "no_drift"  # data drift alone does not retrain by default
    assert _decide(quiet, retrain_on=("data",)).kind == "retrain"
    fired = {"performance": Signal("performance", True, "fell")}
    assert _decide(fired).kind == "retrain" and _decide(fired).triggers == ("performance",)
    assert _decide(fired, paused_until="2026-01-01T10:00").kind == "paused"
    assert _decide(fired, has_labels=False).kind == "predict_only"
    assert _decide({}, has_champion=False).kind == "train"
    assert _decide({}, has_champion=False, has_labels=False).kind == "predict_only"
    assert _decide(fired, prediction_only=True).kind == "predict_only"


def _comparison(improvement, p_value=0.01):
    return PairedComparison(improvement, improvement - 0.02, improvement + 0.02, p_value)


def test_promotion_needs_a_real_improvement() -> None:
    spec = PromotionSpec()
    ok, reason = judge(
        ACC, {"balanced_accuracy": 0.9}, {"balanced_accuracy": 0.8}, _comparison(0.1), spec, 200
    )
    assert ok and reason.startswith("promoted: balanced_accuracy 0.900 vs the champion's 0.800")
    tie, reason = judge(
        ACC, {"balanced_accuracy": 0.8}, {"balanced_accuracy": 0.8}, _comparison(0.0), spec, 200
    )
    assert not tie and "an improvement is needed" in reason
    margin, reason = judge(
        ACC,
        {"balanced_accuracy": 0.81},
        {"balanced_accuracy": 0.8},
        _comparison(0.01),
        PromotionSpec(margin=0.02),
        200,
    )
    assert not margin and "an improvement of more than 0.02 is needed" in reason


def test_promotion_significance_and_thresholds() -> None:
    spec = PromotionSpec(significance=0.05)
    weak, reason = judge(
        ACC,
        {"balanced_accuracy": 0.82},
        {"balanced_accuracy": 0.8},
        _comparison(0.02, p_value=0.2),
        spec,
        200,
    )
    assert not weak and "not significant (p = 0.200" in reason
    low, reason = judge(
        ACC,
        {"balanced_accuracy": 0.6, "accuracy": 0.9},
        None,
        None,
        PromotionSpec(thresholds={"balanced_accuracy": 0.7}),
        200,
    )
    assert not low and "below the threshold 0.700" in reason
    errors, reason = judge(
        RMSE,
        {"rmse": 2.0, "mae": 1.0, "r2": 0.5},
        None,
        None,
        PromotionSpec(thresholds={"rmse": 1.5}),
        200,
    )
    assert not errors and "rmse 2.000 is above the threshold 1.500" in reason


def test_breaker_opens_backs_off_exponentially_and_closes_on_success() -> None:
    spec = BreakerSpec(max_failures=2, backoff_minutes=10, backoff_factor=3, max_backoff_minutes=60)
    state = after_failure(BreakerState(), spec, NOW)
    assert state == BreakerState("closed", 1)
    state = after_failure(state, spec, NOW)
    assert state.state == "open" and state.retry_at == NOW + timedelta(minutes=10)
    assert is_paused(state, NOW) and not trial(state, NOW)
    later = NOW + timedelta(minutes=11)
    assert not is_paused(state, later) and trial(state, later)
    state = after_failure(state, spec, later)  # the half-open trial failed
    assert state.retry_at == later + timedelta(minutes=30)
    state = after_failure(state, spec, later)
    assert state.retry_at == later + timedelta(minutes=60)  # capped
    assert after_success(state) == BreakerState()


@pytest.mark.parametrize("failures", [0, 1])
def test_a_closed_breaker_never_pauses(failures: int) -> None:
    assert not is_paused(BreakerState("closed", failures), NOW)


# ---- honest promotion, on real predictions ---------------------------------------------------


def _predictions(n: int, wrong: int, seed: int):
    """Labels and predictions with exactly ``wrong`` mistakes (balanced classes)."""
    rng = np.random.default_rng(seed)
    y = np.tile([0, 1], n // 2)
    predicted = y.copy()
    flip = rng.choice(n, size=wrong, replace=False)
    predicted[flip] = 1 - predicted[flip]
    return y, predicted


def test_an_improvement_whose_interval_spans_zero_is_not_promoted() -> None:
    y, champion = _predictions(200, 40, seed=1)  # 0.80
    challenger = champion.copy()
    fixed = np.flatnonzero(challenger != y)[:15]  # 15 rows fixed, 10 others broken: 0.825
    broken = np.flatnonzero(challenger == y)[:10]
    challenger[fixed] = y[fixed]
    challenger[broken] = 1 - y[broken]
    comparison = compare_paired(y, challenger, champion, ACC, confidence=0.95, seed=0)
    assert comparison.improvement == pytest.approx(0.025)
    assert comparison.low <= 0 < comparison.high
    trivial = trivial_baseline(y, challenger, ACC)
    mine, theirs = scores(y, challenger, "classification"), scores(y, champion, "classification")
    promoted, reason = judge(
        ACC, mine, theirs, comparison, PromotionSpec(), len(y), trivial=trivial
    )
    assert not promoted and "not significant" in reason
    # the same gain on 20 times the rows is significant
    big_y, big_champion = np.tile(y, 20), np.tile(champion, 20)
    big_challenger = np.tile(challenger, 20)
    big = compare_paired(big_y, big_challenger, big_champion, ACC, seed=0)
    promoted, reason = judge(
        ACC,
        scores(big_y, big_challenger, "classification"),
        scores(big_y, big_champion, "classification"),
        big,
        PromotionSpec(),
        len(big_y),
        trivial=trivial_baseline(big_y, big_challenger, ACC),
    )
    assert promoted, reason


def test_a_model_no_better_than_the_majority_class_is_never_promoted() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(400) < 0.7).astype(int)  # 70% ones
    coin = rng.integers(0, 2, 400)
    trivial = trivial_baseline(y, coin, ACC)
    assert trivial.name == "always predicting the majority class" and trivial.value == 0.5
    mine = scores(y, coin, "classification")
    first, reason = judge(ACC, mine, None, None, PromotionSpec(), 400, trivial=trivial)
    assert not first and "no better than always predicting the majority class" in reason
    # even against a champion it beats: worse-than-trivial champions do not make it useful
    bad_champion = 1 - y
    comparison = compare_paired(y, coin, bad_champion, ACC, seed=0)
    assert comparison.improvement > 0.4 and comparison.p_value < 0.01
    theirs = scores(y, bad_champion, "classification")
    beaten, reason = judge(ACC, mine, theirs, comparison, PromotionSpec(), 400, trivial=trivial)
    assert not beaten and "no better than always predicting" in reason
    # regression: a model no better than the mean
    target = rng.normal(size=300)
    noise = rng.normal(size=300)
    assert trivial_baseline(target, noise, RMSE).name == "always predicting the mean"
    assert not trivial_baseline(target, noise, RMSE).beaten(0.05)
    assert trivial_baseline(target, target + 0.1 * noise, RMSE).beaten(0.05)


def test_the_best_of_several_candidates_needs_a_bonferroni_corrected_p_value() -> None:
    comparison = PairedComparison(0.03, 0.001, 0.06, 0.02)
    one, _ = judge(
        ACC,
        {"balanced_accuracy": 0.83},
        {"balanced_accuracy": 0.8},
        comparison,
        PromotionSpec(),
        300,
    )
    four, reason = judge(
        ACC,
        {"balanced_accuracy": 0.83},
        {"balanced_accuracy": 0.8},
        comparison,
        PromotionSpec(),
        300,
        compared=4,
    )
    assert one and not four
    assert "needs < 0.0125 (0.05 / 4 candidates)" in reason


def test_rejections_never_count_toward_the_breaker_option_is_deprecated() -> None:
    assert BreakerSpec().count_rejections is None
    assert BreakerSpec(count_rejections=True).count_rejections is True  # accepted, ignored


def test_prediction_only_alerts_on_a_fallen_estimate_and_never_retrains() -> None:
    fell = Signal("estimated_performance", True, "estimated accuracy fell from 0.91 to 0.70")
    signals = {"estimated_performance": fell, "data": Signal("data", True, "5 drifted")}
    watched = ("performance", "estimated_performance", "data")
    alert = _decide(signals, prediction_only=True, has_labels=False, retrain_on=watched)
    assert alert.kind == "alert" and alert.triggers == ("estimated_performance",)
    assert alert.reason.startswith("estimated accuracy fell from 0.91 to 0.70")
    assert "prediction_only" in alert.reason
    # not listed in retrain_on: scored and monitored only
    quiet = _decide(signals, prediction_only=True, has_labels=False, retrain_on=("data",))
    assert quiet.kind == "predict_only"
    # labelled: the realized performance stands for the estimate, and it alerts, not retrains
    realized = {"performance": Signal("performance", True, "accuracy fell"), **signals}
    labelled = _decide(realized, prediction_only=True, retrain_on=watched)
    assert labelled.kind == "alert" and labelled.triggers == ("performance",)
    held = {"performance": Signal("performance", False, "held"), **signals}
    assert _decide(held, prediction_only=True, retrain_on=watched).kind == "predict_only"
