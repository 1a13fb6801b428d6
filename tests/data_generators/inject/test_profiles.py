"""Profiles: the shapes, their direction, and where they are placed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import PROFILES, Cosine, Linear, Recurrent, Sigmoid, Step
from calmops.data_generators.inject.injector import profile_weights
from calmops.errors import SpecError

X = np.linspace(0, 1, 11)


@pytest.mark.parametrize("cls", [Linear, Sigmoid, Cosine])
def test_ramps_rise_from_zero_to_one_and_reverse_down(cls):
    up, down = cls().weights(X), cls(direction="down").weights(X)
    assert up[0] == 0 and up[-1] == pytest.approx(1) and np.all(np.diff(up) > 0)
    assert np.allclose(down, up[::-1])


def test_step_and_recurrent():
    assert Step(direction="down").weights(X).tolist() == [1.0] * 11
    r = Recurrent(windows=3, duty=0.5).weights(np.linspace(0, 1, 12))
    assert r.tolist() == [1, 1, 0, 0] * 3
    assert Recurrent(windows=2, duty=0.25).weights(np.linspace(0, 1, 8)).sum() == 2


def test_registry_and_errors():
    assert PROFILES.names() == ("cosine", "linear", "recurrent", "sigmoid", "step")
    with pytest.raises(SpecError, match="direction"):
        Linear(direction="sideways")
    with pytest.raises(SpecError, match="duty must be > 0"):
        Recurrent(duty=0)


def test_profile_is_placed_over_the_selected_rows_by_row_or_by_time():
    df = pd.DataFrame({"t": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-11"])})
    mask = np.array([True, True, True])
    assert profile_weights(df, mask, Linear()).tolist() == [0.0, 0.5, 1.0]
    assert profile_weights(df, mask, Linear(), "t").tolist() == pytest.approx([0, 0.1, 1])
    assert profile_weights(df, np.zeros(3, bool), Linear()).tolist() == [0, 0, 0]


def test_a_profile_must_define_its_shape() -> None:
    from calmops.data_generators.inject.profiles import StrengthProfile

    with pytest.raises(TypeError, match="abstract method shape"):
        StrengthProfile()

    class Flat(StrengthProfile):  # a new profile without ``shape`` is refused when built
        name = "flat"

    with pytest.raises(TypeError, match="abstract method shape"):
        Flat()


def test_the_old_name_profile_still_works_and_warns() -> None:
    import calmops.data_generators as generators
    from calmops.data_generators.inject import profiles
    from calmops.drift import Profile as ReferenceProfile

    with pytest.warns(DeprecationWarning, match="now StrengthProfile"):
        assert generators.Profile is generators.StrengthProfile
    with pytest.warns(DeprecationWarning, match="now StrengthProfile"):
        assert profiles.Profile is profiles.StrengthProfile
    assert generators.StrengthProfile is not ReferenceProfile
    assert "Profile" not in generators.__all__
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        generators.Nope  # noqa: B018
