"""Concept schedules: windows, confinement, numerical stability, recurrence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from calmops.data_generators import (
    ConceptSchedule,
    Transition,
    abrupt,
    gradual,
    incremental,
    recurrent,
)
from calmops.data_generators.streams.schedule import gradual_probability
from calmops.errors import SpecError


def test_abrupt_switches_exactly_at_the_position():
    rows = abrupt(300).rows(1000)
    assert rows.weight[:300].max() == 0 and rows.weight[300:].min() == 1
    assert rows.new[299] == 0 and rows.new[300] == 1


def test_gradual_is_confined_to_its_window_and_monotone():
    rows = gradual(5000, 1000).rows(10000)
    w = rows.weight
    assert np.all(w[:4500] == 0) and np.all(w[5500:] == 1)
    inside = w[4500:5500]
    assert np.all((inside > 0) & (inside < 1))
    assert np.all(np.diff(inside) > 0)
    assert w[4999] < 0.5 < w[5000]


def test_gradual_far_from_its_position_does_not_overflow():
    """river's ConceptDriftStream computes exp(-4 (t - position) / width), which overflows."""
    import itertools

    from river.datasets import synth

    river_stream = synth.ConceptDriftStream(
        synth.SEA(seed=1), synth.SEA(variant=1, seed=2), position=100_000, width=100, seed=1
    )
    with pytest.raises(OverflowError):
        list(itertools.islice(river_stream, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = gradual(3_000_000, 2).rows(4_000_000)
    assert np.isfinite(rows.weight).all()
    assert rows.weight[0] == 0 and rows.weight[-1] == 1


def test_rescaled_logistic_hits_zero_half_and_one():
    x = np.linspace(0, 1, 101)
    p = gradual_probability(x)
    assert p[0] == 0 and p[-1] == 1 and p[50] == pytest.approx(0.5)
    assert np.all(np.diff(p) > 0)


def test_incremental_share_rises_linearly():
    rows = incremental(500, 100).rows(1000)
    share = rows.weight[450:550]
    assert np.allclose(np.diff(share), 0.01)
    assert rows.incremental[450:550].all() and not rows.incremental[550:].any()


def test_recurrent_returns_to_the_first_concept():
    rows = recurrent(200, 300, width=50, kind="gradual").rows(1000)
    assert rows.new[0] == 0 and rows.new[300] == 1 and rows.new[900] == 0
    assert rows.old[900] == 1
    assert rows.transition[[0, 300, 900]].tolist() == [-1, 0, 1]


def test_several_transitions_in_order():
    schedule = ConceptSchedule(
        ({}, {"variant": 1}, {"variant": 2}),
        (Transition("abrupt", 600, 0, 2), Transition("gradual", 300, 100, 1)),
    )
    rows = schedule.rows(1000)
    assert rows.new[[0, 400, 700]].tolist() == [0, 1, 2]
    assert rows.old[700] == 1


@pytest.mark.parametrize(
    ("schedule", "fragment"),
    [
        (abrupt(1000), "must lie inside the stream"),
        (gradual(990, 100), "must lie inside the stream"),
        (gradual(20, 100), "must lie inside the stream"),
        (
            ConceptSchedule(
                ({}, {}), (Transition("gradual", 500, 200, 1), Transition("abrupt", 550, 0, 0))
            ),
            "must not overlap",
        ),
    ],
)
def test_positions_beyond_the_stream_or_overlapping_are_errors(schedule, fragment):
    with pytest.raises(SpecError, match=fragment):
        schedule.rows(1000)


def test_bad_transitions_are_errors():
    with pytest.raises(SpecError, match="transition kind"):
        Transition("sudden", 10)
    with pytest.raises(SpecError, match="only 2 concepts"):
        ConceptSchedule(({}, {}), (Transition("abrupt", 10, 0, 2),))
    with pytest.raises(SpecError, match="position must be >= 0"):
        abrupt(-5)
    with pytest.raises(SpecError, match="needs a width > 0"):
        gradual(100, 0)
    with pytest.raises(SpecError, match="has no width"):
        Transition("abrupt", 100, 10)
