from __future__ import annotations

import pytest

from calmops.drift.base import DriftResult, Verdict, verdict_for


@pytest.mark.parametrize(
    "p, verdict", [(0.001, "drift"), (0.0499, "drift"), (0.05, "warning"), (0.0999, "warning"),
                   (0.1, "no_drift"), (1.0, "no_drift")],
)  # fmt: skip
def test_p_value_bands(p, verdict):
    assert verdict_for(0.0, p, 0.05).value == verdict


@pytest.mark.parametrize(
    "d, verdict", [(0.2, "drift"), (0.1, "drift"), (0.0999, "warning"), (0.05, "warning"),
                   (0.0499, "no_drift")],
)  # fmt: skip
def test_distance_bands(d, verdict):
    assert verdict_for(d, None, 0.1).value == verdict


def test_nan_never_becomes_a_verdict():
    with pytest.raises(ValueError, match="NaN"):
        DriftResult.decide("ks", float("nan"), 0.5, 0.05)


def test_to_dict_has_no_infinities():
    result = DriftResult.decide("psi", float("inf"), None, 0.1)
    assert result.verdict is Verdict.DRIFT
    assert result.to_dict()["statistic"] is None
