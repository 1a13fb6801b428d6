"""The report objects: flat access to each feature's result, JSON-ready dicts."""

from __future__ import annotations

from calmops.drift.base import DriftResult, Verdict
from calmops.drift.report import DriftReport, FeatureDrift


def _feature(name: str, p: float) -> FeatureDrift:
    result = DriftResult.decide("ks", 0.2, p, 0.05)
    return FeatureDrift(name, "numeric", result, p / 2, {"psi": 0.3}, 100, 90, 0.0, 0.1)


def test_feature_exposes_its_result():
    feature = _feature("x", 0.01)
    assert (feature.test, feature.statistic, feature.p_value, feature.threshold) == (
        "ks", 0.2, 0.01, 0.05,
    )  # fmt: skip
    assert feature.drift and feature.verdict is Verdict.DRIFT
    assert feature.to_dict() == {
        "kind": "numeric", "test": "ks", "statistic": 0.2, "p_value": 0.01, "threshold": 0.05,
        "drift": True, "verdict": "drift", "small_sample": False, "p_value_raw": 0.005,
        "effect_sizes": {"psi": 0.3},
        "significance": {"test": "ks", "p_value": 0.01, "alpha": 0.05, "significant": True},
        "effect": {"name": "", "value": None, "threshold": None, "material": True},
        "n_reference": 100, "n_current": 90, "missing_reference": 0.0, "missing_current": 0.1,
    }  # fmt: skip


def test_report_counts_and_share():
    features = {"x": _feature("x", 0.01), "y": _feature("y", 0.07), "z": _feature("z", 0.5)}
    report = DriftReport(True, "why", features, {}, (), {}, 0.05, "holm", 0.5, 100, 90)
    assert report.drifted == ["x"] and report.share_drifted == 1 / 3
    payload = report.to_dict()
    assert (payload["n_tested"], payload["n_drifted"], payload["n_warning"]) == (3, 1, 1)
    assert payload["schema_version"] == 1 and payload["reason"] == "why"


def test_empty_report_has_zero_share():
    report = DriftReport(False, "none", {}, {}, (), {}, 0.05, "holm", 0.5, 1, 1)
    assert report.share_drifted == 0.0 and report.to_dict()["features"] == {}


def test_on_a_small_sample_only_significance_warns():
    result = DriftResult.decide("ks", 0.2, 0.5, 0.05)
    common = dict(effect="wasserstein", effect_size=0.3, effect_threshold=0.1)
    large = FeatureDrift("x", "numeric", result, 0.5, {}, 5000, 5000, 0.0, 0.0, **common)
    small = FeatureDrift(
        "x", "numeric", result, 0.5, {}, 114, 114, 0.0, 0.0, small_sample=True, **common
    )
    assert large.material and large.verdict is Verdict.WARNING
    assert small.material and small.verdict is Verdict.NO_DRIFT
    assert small.to_dict()["small_sample"] is True
