"""Locating a concept change inside a batch from the champion's error stream."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.pipeline.changepoint import locate_change


@pytest.mark.parametrize("position", [100, 400, 850])
def test_a_rise_of_the_error_rate_is_located_near_where_it_happened(position: int) -> None:
    found = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        errors = np.concatenate([rng.random(position) < 0.08, rng.random(1000 - position) < 0.4])
        change = locate_change(errors.astype(float))
        assert change is not None
        found.append(change.row)
    assert abs(np.median(found) - position) <= 10, found


def test_a_stationary_error_stream_has_no_change() -> None:
    false = sum(
        locate_change((np.random.default_rng(seed).random(1000) < p).astype(float)) is not None
        for seed in range(200)
        for p in (0.05, 0.3)
    )
    assert false <= 4  # at most 1% of 400 streams


def test_a_fall_of_the_error_is_not_a_change_and_the_detector_bounds_it() -> None:
    rng = np.random.default_rng(0)
    better = np.concatenate([rng.random(500) < 0.4, rng.random(500) < 0.05]).astype(float)
    assert locate_change(better) is None
    worse = np.concatenate([rng.random(500) < 0.05, rng.random(500) < 0.4]).astype(float)
    bounded = locate_change(worse, before=300)  # the change cannot follow its detection
    assert bounded is None or bounded.row <= 301
    assert locate_change(worse, before=600).row == pytest.approx(500, abs=15)


def test_regression_errors_work_too() -> None:
    rng = np.random.default_rng(1)
    errors = np.abs(np.concatenate([rng.normal(0, 1, 700), rng.normal(0, 3, 300)]))
    assert locate_change(errors).row == pytest.approx(700, abs=20)
