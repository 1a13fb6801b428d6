from __future__ import annotations

import math

import numpy as np
import pytest

from calmops.drift.streaming import CUSUM, EWMA


def test_cusum_by_hand_with_known_parameters():
    detector = CUSUM(mean=0.0, std=1.0, k=0.5, drift_threshold=2.0, warning_threshold=1.0)
    seen = []
    for x in (1.0, 1.0, 1.0, 1.0, 1.0):
        detector.update(x)
        seen.append((detector.warning_detected, detector.drift_detected))
    # S+ = 0.5, 1.0, 1.5, 2.0, 2.5: warning above 1, drift above 2
    assert seen == [(False, False), (False, False), (True, False), (True, False), (True, True)]
    detector.update(0.0)  # a fresh start after a drift
    assert not detector.drift_detected and detector.to_dict()["state"]["high"] == 0.0


def test_cusum_learns_mean_and_std_during_warmup():
    detector = CUSUM(warmup=4)
    for x in (1.0, 3.0, 1.0, 3.0):
        detector.update(x)
    state = detector.to_dict()["state"]
    assert state["mean"] == 2.0 and state["std"] == pytest.approx(math.sqrt(4 / 3))


def test_cusum_detects_downward_shifts_too():
    rng = np.random.default_rng(0)
    detector = CUSUM()
    stream = np.r_[rng.normal(size=500), rng.normal(-1.5, 1, 200)]
    found = [i for i, x in enumerate(stream) if (detector.update(x), detector.drift_detected)[1]]
    assert found and 500 <= found[0] < 540


def test_ewma_by_hand():
    detector = EWMA(mean=0.0, std=1.0, lam=0.5, drift_threshold=1.5, warning_threshold=1.0)
    detector.update(1.0)  # E = 0.5, sd = sqrt(1/3 * (1 - 0.25)) = 0.5 -> score 1.0
    assert not detector.warning_detected and not detector.drift_detected
    detector.update(1.0)  # E = 0.75, sd = sqrt(1/3 * (1 - 1/16)) ~ 0.559 -> 1.342
    assert detector.warning_detected and not detector.drift_detected
    detector.update(2.0)  # E = 1.375, sd ~ 0.572 -> 2.40
    assert detector.drift_detected


def test_ewma_validates_lambda_and_values():
    with pytest.raises(ValueError, match="lam"):
        EWMA(lam=0.0)
    with pytest.raises(ValueError, match="cannot update"):
        EWMA().update(float("nan"))


def test_constant_warmup_does_not_divide_by_zero():
    detector = CUSUM(warmup=10)
    for _ in range(10):
        detector.update(0.0)
    detector.update(1.0)  # std floored at 1e-3: a jump of 1 is a thousand stds
    assert detector.drift_detected
