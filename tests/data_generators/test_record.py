"""DriftRecord: JSON round trip, run-length encoding, reindexing."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calmops.data_generators import (
    DriftEvent,
    DriftRecord,
    Timestamps,
    generate_stream,
    gradual,
    inject,
    recurrent,
)
from calmops.errors import SpecError


def test_stream_record_round_trips_exactly(tmp_path):
    _, record = generate_stream(
        "agrawal",
        5000,
        seed=3,
        schedule=recurrent(1000, 2000, width=300, kind="gradual"),
        timestamps=Timestamps("2024-01-01", "15min"),
    )
    path = tmp_path / "drift_record.json"
    record.to_json(path)
    loaded = DriftRecord.load(path)
    assert loaded == record
    assert np.array_equal(loaded.weight, record.weight)  # floats bit for bit
    assert np.array_equal(loaded.concept, record.concept)
    assert loaded.events[1].onset_time == record.events[1].onset_time is not None


def test_json_is_compact_for_long_streams():
    _, record = generate_stream("sea", 200_000, seed=1, schedule=gradual(100_000, 50))
    assert len(record.to_json()) < 20_000


def test_record_arrays_are_read_only():
    _, record = generate_stream("sea", 100, seed=1)
    with pytest.raises(ValueError):
        record.weight[0] = 1.0


def test_event_fields_from_weight_and_reindexing():
    event = DriftEvent.from_weight("quality", "x", ["a"], np.array([0, 0.5, 1, 0.0]))
    assert (event.onset_row, event.end_row, event.last_row) == (1, 2, 2)
    moved = event.reindexed(np.array([0, 0, 1, 2, 2, 3]))
    assert moved.weight.tolist() == [0, 0, 0.5, 1, 1, 0]
    assert (moved.onset_row, moved.end_row, moved.last_row) == (2, 3, 4)
    nothing = DriftEvent.from_weight("quality", "x", ["a"], np.zeros(3))
    assert (nothing.onset_row, nothing.end_row) == (-1, -1)


def test_params_become_json_values():
    event = DriftEvent.from_weight(
        "covariate", "x", ("a",), np.ones(2), {"t": (1, 2), "v": np.float64(0.5), "i": np.int64(3)}
    )
    assert event.params == {"t": [1, 2], "v": 0.5, "i": 3}
    assert json.loads(json.dumps(event.to_dict()))["params"] == event.params


def test_injection_record_round_trips_and_composes():
    data, record = generate_stream("sea", 1000, seed=0, schedule=gradual(500, 100))
    data, record = inject(data, "missing", columns="x1", rate=0.1, seed=1, record=record)
    data, record = inject(data, "duplicates", rate=0.02, seed=2, record=record)
    assert record.n_rows == len(data) == 1020
    assert [e.operation for e in record.events] == ["gradual", "missing", "duplicates"]
    assert len(record.concept) == 1020
    assert DriftRecord.from_json(record.to_json()) == record


def test_not_a_record_is_an_error():
    with pytest.raises(SpecError, match="not a CalmOps drift record"):
        DriftRecord.from_json('{"n_rows": 3}')
