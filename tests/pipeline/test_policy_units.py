"""The decision policy, the promotion rule and the circuit breaker, one rule at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calmops.models.metrics import PairedComparison, primary_metric
from calmops.pipeline.breaker import after_failure, after_success, is_paused, trial
from calmops.pipeline.policy import Signal, decide
from calmops.pipeline.promotion import judge
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
    assert not margin and "more than +0.020 is needed" in reason


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
