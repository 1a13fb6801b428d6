"""Every registered generator, through the same small checks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from calmops.data_generators import GENERATORS, StreamGenerator, generate_stream

NAMES = GENERATORS.names()


@pytest.mark.parametrize("name", NAMES)
def test_builds_with_defaults_and_is_documented(name):
    cls = GENERATORS.get(name)
    generator = cls()
    assert isinstance(generator, StreamGenerator)
    assert cls.__doc__ and "Examples" in cls.__doc__
    assert generator.name == name
    assert generator.task in ("binary", "multiclass", "regression")


@pytest.mark.parametrize("name", NAMES)
def test_sample_shapes_columns_and_classes(name):
    generator = GENERATORS.get(name)()
    s = generator.sample(500, np.random.default_rng(0))
    assert list(s.features) == list(generator.columns)
    assert all(v.shape == (500,) for v in s.features.values())
    assert s.target.shape == (500,)
    if generator.task == "binary":
        assert set(np.unique(s.target)) <= {0, 1}
    elif generator.task == "multiclass":
        assert s.target.min() >= 0 and s.target.max() < generator.n_classes
    else:
        assert np.isfinite(s.target).all()


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_rows(name):
    a = generate_stream(name, 300, seed=11).data
    b = generate_stream(name, 300, seed=11).data
    c = generate_stream(name, 300, seed=12).data
    assert a.equals(b)
    assert not a.equals(c)


@pytest.mark.parametrize("name", NAMES)
def test_parameters_are_frozen(name):
    generator = GENERATORS.get(name)()
    field = dataclasses.fields(generator)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(generator, field, None)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "waveform"])
def test_natural_drifted_concept_builds(name):
    data, record = generate_stream(name, 400, seed=1, params=None, schedule=None)
    generator = GENERATORS.get(name)()
    assert dataclasses.replace(generator, **generator.next_concept()) != generator


@pytest.mark.parametrize("name", NAMES)
def test_parameters_round_trip(name):
    from calmops.data_generators import make_generator
    from calmops.data_generators.streams.base import params_of

    generator = GENERATORS.get(name)()
    assert make_generator(name, **params_of(generator)) == generator


def test_catalog_lists_every_generator_with_its_fields():
    from calmops.data_generators import catalog

    listing = catalog()
    assert [g["name"] for g in listing["generators"]] == list(NAMES)
    for entry in listing["generators"]:
        fields = [f.name for f in dataclasses.fields(GENERATORS.get(entry["name"]))]
        assert [p["name"] for p in entry["parameters"]] == fields
