"""Stream options: balance, label noise, timestamps and blocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import Blocks, Timestamps, generate_stream, gradual, incremental
from calmops.errors import SpecError


@pytest.mark.parametrize("name", ["sea", "agrawal", "stagger", "hyperplane"])
def test_balance_hits_equal_shares_exactly(name):
    data, _ = generate_stream(name, 3001, seed=2, balance=True)
    counts = data["target"].value_counts().sort_index().tolist()
    assert counts == [1500, 1501] or counts == [1501, 1500]


def test_balance_hits_asked_proportions_exactly_across_a_drift():
    data, record = generate_stream(
        "agrawal",
        4000,
        seed=3,
        balance={0: 0.2, 1: 0.8},
        schedule=gradual(2000, 400, to={"classification_function": 4}),
    )
    assert (data["target"] == 1).sum() == 3200
    # the concept still labels its rows: function 0 rows satisfy function 0
    from calmops.data_generators import Agrawal

    first = data.iloc[:1500]
    features = {c: first[c].to_numpy() for c in Agrawal.columns}
    assert np.array_equal(Agrawal().label(features), first["target"].to_numpy())


def test_balance_with_multiclass_and_incremental():
    data, _ = generate_stream("led", 1000, seed=1, balance=True)
    assert data["target"].value_counts().tolist() == [100] * 10
    data, _ = generate_stream(
        "sea", 1000, seed=1, balance=True, schedule=incremental(500, 200, to={"variant": 3})
    )
    assert data["target"].sum() == 500


def test_label_noise_changes_exactly_the_asked_share():
    clean, _ = generate_stream("random_rbf", 2000, seed=4)
    noisy, record = generate_stream("random_rbf", 2000, seed=4, label_noise=0.15)
    assert (clean["target"] != noisy["target"]).sum() == 300
    assert record.source["label_noise"] == 0.15


def test_timestamps_and_blocks_come_first():
    data, record = generate_stream(
        "sine",
        10,
        seed=0,
        timestamps=Timestamps("2024-03-01", "1D", column="when"),
        blocks=Blocks(rows_per_block=4),
    )
    assert list(data.columns[:2]) == ["when", "block"]
    assert data["when"].iloc[-1] == pd.Timestamp("2024-03-10")
    assert data["block"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]


def test_drift_times_are_in_the_record():
    _, record = generate_stream(
        "sea", 100, seed=0, schedule=gradual(50, 10), timestamps=Timestamps("2024-01-01", "1h")
    )
    event = record.events[0]
    assert (event.onset_row, event.end_row) == (45, 55)
    assert event.onset_time == "2024-01-02T21:00:00"
    assert event.end_time == "2024-01-03T07:00:00"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"balance": {7: 1.0}}, "does not produce"),
        ({"balance": "yes"}, "balance must be True"),
        ({"label_noise": 2}, "label_noise must be in"),
        ({"blocks": Blocks(n_blocks=500)}, "larger than the rows"),
        ({"target": "x0"}, "used twice"),
        ({"timestamps": Timestamps(step="-1h")}, "must be positive"),
    ],
)
def test_bad_options_are_clear_errors(kwargs, fragment):
    with pytest.raises(SpecError, match=fragment):
        generate_stream("sea", 100, seed=0, **kwargs)


def test_blocks_needs_exactly_one_size():
    with pytest.raises(SpecError, match="exactly one"):
        Blocks()
    with pytest.raises(SpecError, match="balance and label_noise"):
        generate_stream("friedman", 10, seed=0, balance=True)


def test_a_class_too_rare_to_balance_is_a_clear_error():
    from dataclasses import dataclass
    from typing import ClassVar

    from calmops.data_generators import Sample

    @dataclass(frozen=True)
    class Rare:
        """A custom generator whose class 1 almost never occurs."""

        name: ClassVar[str] = "rare"
        task: ClassVar[str] = "binary"
        columns: ClassVar[tuple[str, ...]] = ("x",)

        def sample(self, n, rng):
            x = rng.random(n)
            return Sample({"x": x}, (x < 1e-6).astype(np.int64))

    data, _ = generate_stream(Rare(), 100, seed=0)  # any generator instance works
    assert list(data.columns) == ["x", "target"]
    with pytest.raises(SpecError, match="produces class 1 too rarely"):
        generate_stream(Rare(), 1000, seed=0, balance=True)
