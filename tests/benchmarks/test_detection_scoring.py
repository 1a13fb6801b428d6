"""Scoring of the detection benchmark on hand-made retrain and change lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from detection_kit.baselines import original_flags, psi, run_baseline
from detection_kit.drive import trace_of
from detection_kit.scoring import Detection, detect, post_change_accuracy
from detection_kit.streams import Change, make_stream
from sklearn.tree import DecisionTreeClassifier


def test_every_batch_detects_at_once_and_is_false_everywhere_else():
    d = detect(range(1, 20), [Change(10, 10)], 20)
    # window 10..12 holds 3 retrains; batches 1..9 and 13..19 are stationary (16)
    assert (d.changes, d.detected, d.retrains, d.hits, d.false) == (1, 1, 19, 3, 16)
    assert d.delays == (0,) and d.stationary == 16
    assert d.precision == pytest.approx(3 / 19) and d.recall == 1
    assert d.f1 == pytest.approx(2 * (3 / 19) / (3 / 19 + 1))
    assert d.false_per_20 == 20


def test_never_retraining_misses_the_change():
    d = detect([], [Change(10, 10)], 20)
    assert (d.detected, d.retrains, d.false, d.f1, d.mean_delay) == (0, 0, 0, 0.0, None)
    assert d.false_per_20 == 0


def test_a_retrain_two_batches_late_counts_three_late_is_false():
    assert detect([12], [Change(10, 10)], 20).delays == (2,)
    late = detect([13], [Change(10, 10)], 20)
    assert (late.detected, late.false, late.f1) == (0, 1, 0.0)


def test_early_retrain_is_false_and_delay_is_from_the_onset():
    d = detect([9, 11], [Change(10, 10)], 20)
    assert (d.hits, d.false, d.delays) == (1, 1, (1,))
    assert d.f1 == pytest.approx(2 / 3)  # precision 1/2, recall 1


def test_gradual_window_runs_from_onset_to_two_after_its_end():
    d = detect([13], [Change(10, 11)], 20)
    assert (d.detected, d.delays, d.false) == (1, (3,), 0)
    assert d.stationary == 19 - 4


def test_recurring_changes_each_need_their_own_retrain():
    d = detect([7, 15, 16], [Change(6, 6), Change(14, 14)], 20)
    assert (d.detected, d.hits, d.false, d.delays) == (2, 3, 0, (1, 1))
    assert d.f1 == 1.0
    assert detect([7], [Change(6, 6), Change(14, 14)], 20).recall == 0.5


def test_window_is_clipped_at_the_last_batch():
    d = detect([19], [Change(19, 19)], 20)
    assert (d.detected, d.stationary) == (1, 18)


def test_no_change_has_no_f1_but_a_false_rate():
    d = detect([3, 4], [], 21)
    assert d.f1 is None and d.recall is None
    assert d.false_per_20 == pytest.approx(20 * 2 / 20)


def test_counts_pool_across_runs():
    total = detect([10], [Change(10, 10)], 20) + detect([], [Change(10, 10)], 20)
    assert (total.changes, total.detected, total.retrains, total.hits) == (2, 1, 1, 1)
    assert total.f1 == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert Detection() + total == total


def test_post_change_accuracy_starts_at_the_first_onset():
    scores = [None, 1.0, 1.0, 0.4, 0.6, 0.8]
    assert post_change_accuracy(scores, [Change(3, 3)]) == pytest.approx(0.6)
    assert post_change_accuracy(scores, []) == pytest.approx(np.mean([1, 1, 0.4, 0.6, 0.8]))


def test_psi_against_a_hand_computed_value():
    reference = np.array([0.0] * 50 + [1.0] * 50)
    current = np.array([0.0] * 20 + [1.0] * 80)
    # two occupied bins: 0.5/0.5 against 0.2/0.8
    expected = (0.2 - 0.5) * np.log(0.2 / 0.5) + (0.8 - 0.5) * np.log(0.8 / 0.5)
    assert psi(reference, current) == pytest.approx(expected)


def test_original_rule_flags_any_test_on_any_column_and_nothing_on_equal_batches():
    rng = np.random.default_rng(3)
    a = pd.DataFrame({"x": rng.normal(size=400), "c": rng.choice(["u", "v"], 400)})
    assert original_flags(a, a) == []
    b = a.assign(c=np.where(rng.random(400) < 0.9, "u", "v"))
    assert original_flags(a, b) == ["c_chi2"]


def test_baselines_retrain_never_and_always():
    stream = make_stream("agrawal-abrupt", 0, 10, 200)
    model = DecisionTreeClassifier(random_state=0)
    never = run_baseline("never-retrain", stream.batches, model)
    every = run_baseline("every-batch", stream.batches, model)
    assert never.retrains == () and never.decisions[0] == "train"
    assert every.retrains == tuple(range(1, 10)) == every.promotions
    assert never.scores[0] is None and all(0 <= s <= 1 for s in never.scores[1:])
    # the first batch after training is scored by the same model in both
    assert never.scores[1] == every.scores[1]
    assert stream.changes == (Change(5, 5),)


def test_trace_from_run_reports():
    def report(kind, before, after, score=None, status="succeeded"):
        metrics = {} if score is None else {"balanced_accuracy": score}
        return {
            "status": status,
            "decision": None if kind is None else {"kind": kind},
            "champion": {"before": before, "after": after},
            "metrics": {"champion_on_batch": metrics},
        }

    trace = trace_of(
        "default",
        [
            report("train", None, 1),
            report("no_drift", 1, 1, 0.9),
            report("retrain", 1, 1, 0.5),  # challenger rejected
            report("retrain", 1, 2, 0.55),
            report("paused", 2, 2, 0.8),
            report(None, 2, 2, 0.7, status="failed"),
        ],
    )
    assert trace.decisions == ("train", "no_drift", "retrain", "retrain", "paused", "failed")
    assert trace.retrains == (2, 3) and trace.promotions == (3,)
    assert trace.scores == (None, 0.9, 0.5, 0.55, 0.8, 0.7)
    assert (trace.failed, trace.paused) == (1, 1)
