"""inject and inject_all: records, composition, determinism and errors."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import (
    OPERATIONS,
    BlockSet,
    Injection,
    Sigmoid,
    TimeRange,
    generate_stream,
    gradual,
    inject,
    inject_all,
)
from calmops.errors import DataValidationError, RegistryError, SpecError


@pytest.fixture
def stream():
    from calmops.data_generators import Blocks, Timestamps

    return generate_stream(
        "hyperplane",
        2000,
        seed=1,
        schedule=gradual(1000, 200),
        timestamps=Timestamps("2024-01-01", "1h"),
        blocks=Blocks(n_blocks=4),
    )


def test_input_is_not_modified(stream):
    data, _ = stream
    before = data.copy()
    inject(data, "shift", columns="x0", magnitude=3)
    inject(data, "missing", columns="x1")
    assert data.equals(before)


def test_record_of_a_time_range_with_a_sigmoid(stream):
    data, record = stream
    out, rec = inject(
        data,
        "shift",
        columns="x0",
        selector=TimeRange("timestamp", "2024-01-20", "2024-01-30"),
        profile=Sigmoid(),
        time_column="timestamp",
        magnitude=2,
        seed=0,
        record=record,
    )
    event = rec.events[-1]
    assert event.onset_time == "2024-01-20T01:00:00"
    assert event.end_time == "2024-01-29T23:00:00"
    assert rec.events[0] == record.events[0]  # the stream's own drift is kept
    assert np.array_equal(rec.concept, record.concept)
    assert rec.weight.max() == 1 and rec.weight[event.onset_row] > 0


def test_blocks_selector_and_down_direction(stream):
    data, _ = stream
    out, rec = inject(
        data,
        "scale",
        columns="x1",
        selector=BlockSet("block", (2,)),
        profile="linear",
        direction="down",
        factor=3,
    )
    w = rec.events[0].weight
    rows = np.flatnonzero(w > 0)
    assert data["block"].iloc[rows].eq(2).all()
    assert w[rows[0]] == 1 and w[rows[-1] + 1] == 0


def test_inject_all_composes_steps(stream):
    data, record = stream
    steps = [
        Injection("shift", "x0", params={"magnitude": 1}),
        Injection("label_flip", params={"rate": 0.1}),
        Injection("missing", ("x2", "x3"), params={"rate": 0.05, "mechanism": "mcar"}),
    ]
    out, rec = inject_all(data, steps, seed=7, record=record)
    assert [e.operation for e in rec.events] == ["gradual", "shift", "label_flip", "missing"]
    assert [e.kind for e in rec.events] == ["concept", "covariate", "label", "quality"]
    again, _ = inject_all(data, steps, seed=7, record=record)
    assert out.equals(again)


def test_same_seed_same_bytes(stream):
    data, _ = stream

    def digest(seed):
        out, rec = inject(data, "gaussian_noise", columns=["x0", "x1"], seed=seed)
        return hashlib.sha256((out.to_csv() + rec.to_json()).encode()).hexdigest()

    assert digest(5) == digest(5) != digest(6)


def test_errors_are_clear(stream):
    data, record = stream
    with pytest.raises(RegistryError, match="no operation 'shfit'; choose from .*shift"):
        inject(data, "shfit", columns="x0")
    with pytest.raises(DataValidationError, match="unknown column 'nope'"):
        inject(data, "shift", columns="nope")
    with pytest.raises(SpecError, match="needs columns"):
        inject(data, "shift")
    with pytest.raises(
        SpecError, match="'shift' has no parameter 'size'; it takes magnitude, unit"
    ):
        inject(data, "shift", columns="x0", size=3)
    with pytest.raises(RegistryError, match="no profile 'ramp'"):
        inject(data, "shift", columns="x0", profile="ramp")
    with pytest.raises(DataValidationError, match="describes 2000 rows"):
        inject(data.iloc[:10], "shift", columns="x0", record=record)
    with pytest.raises(SpecError, match="needs a pandas DataFrame"):
        inject([1, 2], "shift", columns="x0")


@pytest.mark.parametrize("name", OPERATIONS.names())
def test_every_operation_is_documented(name):
    op = OPERATIONS.get(name)
    assert op.doc and op.kind in ("covariate", "label", "concept", "quality")


def test_works_on_any_table():
    df = pd.DataFrame({"price": [1.0, 2.0, 3.0, 4.0], "label": ["a", "b", "a", "b"]})
    out, rec = inject(df, "label_flip", target="label", rate=1.0, seed=0)
    assert out["label"].tolist() == ["b", "a", "b", "a"]


def test_text_times_are_parsed_and_bad_times_are_clear():
    df = pd.DataFrame({"when": ["2024-01-01", "2024-01-02", "2024-01-05"], "x": [1.0, 2.0, 3.0]})
    out, rec = inject(df, "shift", columns="x", profile="linear", time_column="when", magnitude=4)
    assert out["x"].tolist() == pytest.approx([1.0, 2.0 + 1.0, 3.0 + 4.0])
    assert rec.events[0].onset_time == "2024-01-02T00:00:00"
    bad = df.assign(when=["soon", "later", "never"])
    with pytest.raises(DataValidationError, match="neither ISO-8601 times nor numbers"):
        inject(bad, "shift", columns="x", time_column="when")
    with pytest.raises(DataValidationError, match="neither ISO-8601 times nor numbers"):
        inject(bad, "shift", columns="x", selector=TimeRange("when", "2024-01-01"))


def test_an_unseeded_injection_records_a_seed_that_replays_it(stream):
    data, _ = stream
    out, record = inject(data, "gaussian_noise", columns="x0")
    seed = record.events[-1].params["seed"]
    assert inject(data, "gaussian_noise", columns="x0", seed=seed).data.equals(out)
