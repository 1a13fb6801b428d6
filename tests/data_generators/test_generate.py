"""generate_stream: drift ground truth, determinism and errors."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from calmops.data_generators import (
    SEA,
    Agrawal,
    Hyperplane,
    abrupt,
    generate_stream,
    gradual,
    incremental,
    make_generator,
    recurrent,
)
from calmops.errors import RegistryError, SpecError


def _labels_of(generator, data):
    return generator.label({c: data[c].to_numpy() for c in generator.columns})


def test_abrupt_drift_changes_the_labelling_function_at_the_position():
    data, record = generate_stream("agrawal", 2000, seed=1, schedule=abrupt(1200))
    before, after = data.iloc[:1200], data.iloc[1200:]
    assert np.array_equal(_labels_of(Agrawal(), before), before["target"])
    f1 = Agrawal(classification_function=1)
    assert np.array_equal(_labels_of(f1, after), after["target"])
    assert record.concept.tolist() == [0] * 1200 + [1] * 800
    assert record.concepts[1]["classification_function"] == 1
    event = record.events[0]
    assert (event.kind, event.operation, event.columns) == ("concept", "abrupt", ("target",))
    assert (event.onset_row, event.end_row, event.last_row) == (1200, 1200, 1999)


def test_gradual_drift_mixes_with_the_recorded_probability():
    data, record = generate_stream(
        "sea", 40000, seed=5, schedule=gradual(20000, 20000, to={"variant": 3})
    )
    window = slice(10000, 30000)
    share = np.mean(record.concept[window] == 1)
    assert share == pytest.approx(record.weight[window].mean(), abs=0.01)
    assert set(record.concept[:10000]) == {0} and set(record.concept[30000:]) == {1}
    # every row follows the concept the record says
    for k, variant in ((0, 0), (1, 3)):
        rows = record.concept == k
        assert np.array_equal(_labels_of(SEA(variant=variant), data[rows]), data["target"][rows])


def test_incremental_drift_blends_the_decision_boundary():
    data, record = generate_stream(
        "sea", 3000, seed=2, schedule=incremental(1500, 1000, to={"variant": 3})
    )
    s = data.iloc[1000:2000]
    share = record.weight[1000:2000]
    threshold = (1 - share) * 8.0 + share * 9.5
    expected = (s["x0"] + s["x1"] > threshold).astype(int)
    assert np.array_equal(expected, s["target"])
    assert record.events[0].operation == "incremental"


def test_incremental_keeps_the_noise_of_the_old_concept():
    data, _ = generate_stream(
        "sea",
        20000,
        seed=2,
        params={"noise": 0.1},
        schedule=incremental(10000, 20000 - 2, to={"variant": 2}),
    )
    share = np.clip((np.arange(20000) + 0.5 - 1) / 19998, 0, 1)
    clean = (data["x0"] + data["x1"] > (1 - share) * 8 + share * 7).astype(int)
    assert np.mean(clean != data["target"]) == pytest.approx(0.1, abs=0.01)


def test_incremental_needs_a_decision_value():
    with pytest.raises(SpecError, match="decision value"):
        generate_stream("agrawal", 1000, seed=0, schedule=incremental(500, 100))


def test_hyperplane_incremental_with_explicit_weights():
    w = tuple(np.linspace(0.1, 1, 10))
    data, record = generate_stream(
        "hyperplane",
        1000,
        seed=0,
        params={"weights": w, "noise_percentage": 0.0},
        schedule=incremental(500, 200, to={"weights": tuple(reversed(w))}),
    )
    early = data.iloc[:400]
    assert np.array_equal(_labels_of(Hyperplane(weights=w), early), early["target"])


def test_recurrent_drift_returns_to_the_first_concept():
    data, record = generate_stream("stagger", 900, seed=3, schedule=recurrent(300, 300))
    assert record.concept[[0, 299, 300, 599, 600, 899]].tolist() == [0, 0, 1, 1, 0, 0]
    assert record.weight[[0, 300, 600]].tolist() == [0.0, 1.0, 0.0]
    assert [e.onset_row for e in record.events] == [300, 600]


def test_concept_streams_continue_across_a_recurrence():
    """Rows of concept A after B resume A's stream, they do not restart it."""
    data, record = generate_stream("sea", 600, seed=9, schedule=recurrent(200, 200))
    first = data.iloc[:200][["x0", "x1", "x2"]].to_numpy()
    last = data.iloc[400:][["x0", "x1", "x2"]].to_numpy()
    assert not np.array_equal(first, last)


def _csv_hash(data):
    return hashlib.sha256(data.to_csv(index=False).encode()).hexdigest()


@pytest.mark.parametrize("name", ["sea", "agrawal", "hyperplane", "random_rbf", "random_tree"])
def test_same_seed_same_bytes(name):
    kwargs = {"seed": 42, "schedule": gradual(500, 200), "balance": True}
    if name in ("random_rbf", "random_tree"):
        kwargs.pop("balance")
    a = _csv_hash(generate_stream(name, 1000, **kwargs).data)
    b = _csv_hash(generate_stream(name, 1000, **kwargs).data)
    assert a == b
    assert a != _csv_hash(generate_stream(name, 1000, **{**kwargs, "seed": 43}).data)


def test_a_numpy_generator_is_accepted_as_seed():
    a = generate_stream("sea", 50, seed=np.random.default_rng(1)).data
    b = generate_stream("sea", 50, seed=np.random.default_rng(1)).data
    assert a.equals(b)


def test_unknown_generator_lists_the_choices():
    with pytest.raises(RegistryError, match="no generator 'seaa'; choose from agrawal, .*sea"):
        generate_stream("seaa", 10)


@pytest.mark.parametrize(("n", "fragment"), [(-5, "n must be >= 1"), (2.5, "n must be an int")])
def test_bad_n_is_a_clear_error(n, fragment):
    with pytest.raises(SpecError, match=fragment):
        generate_stream("sea", n)


def test_drift_beyond_n_is_a_clear_error():
    with pytest.raises(SpecError, match="drift position 5000 .* inside the stream of 1000 rows"):
        generate_stream("sea", 1000, schedule=abrupt(5000))


def test_unknown_parameters_and_columns_mismatch():
    with pytest.raises(SpecError, match="has no parameter 'function'"):
        generate_stream("sea", 10, params={"function": 1})
    with pytest.raises(SpecError, match="same columns"):
        generate_stream("waveform", 10, schedule=abrupt(5, to={"has_noise": True}))
    with pytest.raises(SpecError, match="no natural drifted concept"):
        generate_stream("waveform", 10, schedule=abrupt(5))
    with pytest.raises(SpecError, match="seed must be"):
        generate_stream("sea", 10, seed="abc")


def test_make_generator_accepts_an_instance():
    assert make_generator(SEA(variant=1), noise=0.2) == SEA(variant=1, noise=0.2)


def test_concepts_of_a_stream_share_the_random_model():
    _, record = generate_stream("random_rbf", 500, seed=3, schedule=abrupt(250))
    first, second = record.concepts
    assert first["seed_model"] == second["seed_model"] is not None
    assert (first["change_speed"], second["change_speed"]) == (0.0, 0.0001)
    _, record = generate_stream("hyperplane", 500, seed=3, schedule=abrupt(250))
    assert record.concepts[0]["weights"] == record.concepts[1]["weights"]
    assert len(record.source["params"]["weights"]) == 10
    _, record = generate_stream("random_tree", 500, seed=3, schedule=abrupt(250))
    assert record.concepts[1]["seed_tree"] == record.concepts[0]["seed_tree"] + 1


def test_hyperplane_incremental_to_a_moving_hyperplane_is_refused():
    with pytest.raises(SpecError, match="no fixed decision value"):
        generate_stream("hyperplane", 1000, seed=0, schedule=incremental(500, 100))
    data, _ = generate_stream(
        "hyperplane", 1000, seed=0, schedule=incremental(500, 100, to={"n_drift_features": 0})
    )
    assert len(data) == 1000


def test_an_unseeded_stream_records_a_seed_that_replays_it():
    data, record = generate_stream("sea", 200, schedule=abrupt(100))
    seed = record.source["seed"]
    assert isinstance(seed, int)
    again, _ = generate_stream("sea", 200, seed=seed, schedule=abrupt(100))
    assert again.equals(data)
