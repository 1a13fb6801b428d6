from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.drift.chooser import Chooser
from calmops.drift.profile import Profile
from calmops.errors import DataValidationError


def _profile(n: int) -> Profile:
    rng = np.random.default_rng(0)
    return Profile.fit(pd.DataFrame({"x": rng.normal(size=n), "c": rng.choice(["a", "b", "d"], n)}))


def test_default_is_the_p_value_test_when_either_side_is_small():
    profile = _profile(5000)
    chooser = Chooser(profile=profile)
    assert chooser.test_for(profile.columns["x"], n_current=114).name == "ks"
    assert chooser.test_for(profile.columns["c"], n_current=114).name == "chi2"
    assert chooser.test_for(profile.columns["x"], n_current=5000).name == "wasserstein"
    assert chooser.findings() == []


def test_a_distance_forced_on_a_small_sample_is_a_finding_once():
    profile = _profile(300)
    chooser = Chooser(numeric="psi", categorical="jensen_shannon", profile=profile)
    for n in (200, 150):
        chooser.test_for(profile.columns["x"], n_current=n)
    chooser.test_for(profile.columns["c"], n_current=150)
    found = {f.details["test"]: f for f in chooser.findings()}
    assert set(found) == {"psi", "jensen_shannon"}
    assert found["psi"].message.startswith("150 rows is small for psi")
    assert found["psi"].details["suggested"] == "ks" and found["psi"].severity == "warning"
    assert "consider --categorical-test chi2" in found["jensen_shannon"].message


def test_no_finding_for_a_distance_on_a_large_sample():
    profile = _profile(3000)
    chooser = Chooser(numeric="psi", profile=profile)
    chooser.test_for(profile.columns["x"], n_current=3000)
    assert chooser.findings() == []


def test_a_test_that_does_not_fit_the_kind_is_refused():
    with pytest.raises(DataValidationError, match="choose from"):
        Chooser(numeric="chi2", profile=_profile(100))
