"""Conformance of every registered drift test, generated from the registry."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.drift import TESTS, DriftResult, DriftTest, Verdict, get_test
from calmops.errors import RegistryError

RNG = np.random.default_rng(7)
NUMBERS = (RNG.normal(size=400), RNG.normal(0.1, size=300))
LABELS = (list(RNG.choice(["a", "b", "c"], 400)), list(RNG.choice(["a", "b", "c"], 300)))
BINARY = (list(RNG.choice(["y", "n"], 400)), list(RNG.choice(["y", "n"], 300)))


def _data(test: DriftTest):
    if "numeric" in test.applies_to:
        return NUMBERS
    return BINARY if test.name == "z" else LABELS


def test_every_test_of_the_issue_is_registered():
    assert set(TESTS.names()) == {
        "ks", "chi2", "z", "psi", "wasserstein", "jensen_shannon", "hellinger", "kl", "cvm",
        "anderson", "mann_whitney", "energy",
    }  # fmt: skip


@pytest.mark.parametrize("name", TESTS.names())
def test_conformance(name):
    test = get_test(name)
    assert isinstance(test, DriftTest)
    assert test.name == name
    assert test.applies_to and test.applies_to <= {"numeric", "categorical", "binary"}
    assert test.yields in ("p_value", "distance")
    assert 0 < test.default_threshold < 1
    assert type(test).__doc__ and "Examples" in type(test).__doc__
    reference, current = _data(test)
    first, second = test(reference, current), test(reference, current)
    assert isinstance(first, DriftResult) and first == second
    assert (first.p_value is None) == (test.yields == "distance")
    assert first.threshold == test.default_threshold
    assert first.drift == (first.verdict is Verdict.DRIFT)
    with pytest.raises(Exception, match="frozen|cannot assign"):
        first.statistic = 0.0  # type: ignore[misc]
    assert test(reference, current, threshold=0.5).threshold == 0.5


@pytest.mark.parametrize("name", TESTS.names())
def test_identical_sides_never_drift(name):
    test = get_test(name)
    reference, _ = _data(test)
    result = test(reference, reference)
    assert result.verdict is Verdict.NO_DRIFT
    if result.p_value is not None:
        assert result.p_value >= 0.25  # anderson clips its p-value at 0.25


@pytest.mark.parametrize("name", [n for n in TESTS.names() if "numeric" in get_test(n).applies_to])
def test_constant_identical_sides_give_zero_and_no_drift(name):
    result = get_test(name)(np.full(30, 2.0), np.full(40, 2.0))
    assert result.statistic == 0.0 and result.verdict is Verdict.NO_DRIFT


@pytest.mark.parametrize("name", TESTS.names())
def test_empty_side_is_a_clear_error(name):
    test = get_test(name)
    reference, _ = _data(test)
    empty = np.array([np.nan, np.nan]) if "numeric" in test.applies_to else [None, None]
    with pytest.raises(ValueError, match="no usable values"):
        test(reference, empty)


def test_unknown_name_lists_the_choices():
    with pytest.raises(RegistryError) as info:
        get_test("kss")
    assert str(info.value) == (
        "no drift test 'kss'; choose from anderson, chi2, cvm, energy, hellinger, "
        "jensen_shannon, kl, ks, mann_whitney, psi, wasserstein, z; did you mean 'ks'?"
    )


def test_a_name_registers_once():
    with pytest.raises(ValueError, match="already registered"):
        TESTS.register(get_test("ks"))
