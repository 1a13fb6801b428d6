from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.drift import Profile, Verdict, compare
from calmops.errors import DataValidationError, RegistryError


def _pair(n: int, seed: int = 0, shift: float = 0.0):
    rng = np.random.default_rng(seed)

    def frame(delta, p):
        return pd.DataFrame(
            {
                "x": rng.normal(delta, 1, n),
                "y": rng.exponential(1, n),
                "city": rng.choice(["a", "b", "c"], n, p=p),
                "flag": rng.choice([0, 1], n),
            }
        )

    return frame(0, [0.5, 0.3, 0.2]), frame(shift, [0.4, 0.35, 0.25] if shift else [0.5, 0.3, 0.2])


def test_small_reference_uses_tests_large_uses_distances():
    small = compare(*_pair(500))
    assert {n: f.test for n, f in small.features.items()} == {
        "x": "ks", "y": "ks", "city": "chi2", "flag": "z",
    }  # fmt: skip
    large = compare(*_pair(5000))
    assert {n: f.test for n, f in large.features.items()} == {
        "x": "wasserstein", "y": "wasserstein", "city": "jensen_shannon", "flag": "jensen_shannon",
    }  # fmt: skip
    assert all(f.threshold == 0.1 for f in large.features.values())


def test_tests_are_forced_per_kind_and_per_column():
    report = compare(
        *_pair(3000), numeric_test="cvm", categorical_test="chi2", tests={"y": "psi", "flag": "z"}
    )
    assert {n: f.test for n, f in report.features.items()} == {
        "x": "cvm", "y": "psi", "city": "chi2", "flag": "z",
    }  # fmt: skip


def test_a_test_that_does_not_fit_the_kind_is_a_clear_error():
    with pytest.raises(DataValidationError, match="'chi2' does not apply to numeric columns"):
        compare(*_pair(100), numeric_test="chi2")
    with pytest.raises(DataValidationError, match=r"column 'city' \(categorical\)"):
        compare(*_pair(100), tests={"city": "ks"})
    with pytest.raises(RegistryError, match="choose from anderson"):
        compare(*_pair(100), numeric_test="kss")
    with pytest.raises(RegistryError, match="choose from bh, bonferroni, holm, none"):
        compare(*_pair(100), correction="fdr")


def test_the_evidently_blind_spot_is_visible():
    # 50/30/20 -> 40/35/25 on 200k rows: JS 0.072 < 0.1 is not drift, but it is a warning,
    # and PSI / chi2 say how large and how certain the change is.
    ref, cur = _pair(200_000, shift=0.0)[0], _pair(200_000, seed=1, shift=0.5)[1]
    city = compare(ref, cur, columns=["city"]).features["city"]
    assert city.test == "jensen_shannon" and city.verdict is Verdict.WARNING
    assert city.statistic == pytest.approx(0.0717, abs=0.003)
    assert city.effect_sizes["psi"] == pytest.approx(0.041, abs=0.003)
    forced = compare(ref, cur, columns=["city"], categorical_test="chi2").features["city"]
    # certain but not material: a warning, not drift
    assert forced.significant and forced.p_value < 1e-100
    assert not forced.drift and forced.verdict is Verdict.WARNING


def test_effect_sizes_sit_beside_every_verdict():
    report = compare(*_pair(800, shift=0.3))
    assert set(report.features["x"].effect_sizes) == {"wasserstein", "psi"}
    assert set(report.features["city"].effect_sizes) == {"jensen_shannon", "psi"}
    assert report.features["x"].effect_sizes["wasserstein"] == pytest.approx(0.3, abs=0.1)


def test_profile_and_dataframe_references_agree():
    ref, cur = _pair(4000, shift=0.2)
    assert compare(Profile.fit(ref), cur).to_dict() == compare(ref, cur).to_dict()


def test_dataset_decision_rules():
    ref, cur = _pair(600, shift=0.5)
    report = compare(ref, cur)
    assert report.drift_detected and "rule any" in report.reason
    quiet = compare(*_pair(600, seed=4))
    assert not quiet.drift_detected and quiet.reason.startswith("no drift")
    # one rule for tests and distances: under `any` one drifted column is enough ...
    big_ref, big_cur = _pair(5000, shift=0.5)
    one_of_three = compare(big_ref, big_cur, columns=["x", "y", "flag"])
    assert one_of_three.drifted == ["x"] and one_of_three.drift_detected
    # ... under `share` it takes drift_share of them
    share = compare(big_ref, big_cur, columns=["x", "y", "flag"], dataset_rule="share")
    assert not share.drift_detected and "share 33% < 50% (rule share)" in share.reason
    assert compare(
        big_ref, big_cur, columns=["x", "y", "flag"], dataset_rule="share", drift_share=0.3
    ).drift_detected


def test_columns_and_exclude_select_what_is_tested():
    ref, cur = _pair(300)
    assert list(compare(ref, cur, columns=["x", "city"]).features) == ["x", "city"]
    assert "flag" not in compare(ref, cur, exclude=["flag"]).features
    with pytest.raises(DataValidationError, match="columns not in the reference: nope"):
        compare(Profile.fit(ref), cur, columns=["nope"])


def test_to_dict_is_strict_json_with_a_schema_version():
    ref, cur = _pair(300, shift=0.4)
    cur.loc[0, "x"] = np.inf
    payload = compare(ref, cur, multivariate=["mmd"], distributions=True).to_dict()
    text = json.dumps(payload, allow_nan=False)
    assert json.loads(text)["schema_version"] == 1
    assert set(payload) == {
        "schema_version", "drift_detected", "reason", "settings", "n_reference", "n_current",
        "n_tested", "n_drifted", "n_warning", "share_drifted", "features", "multivariate",
        "quality", "skipped",
    }  # fmt: skip
    feature = payload["features"]["x"]
    assert {"test", "statistic", "p_value", "p_value_raw", "verdict", "effect_sizes"} <= set(
        feature
    )
    assert feature["distribution"]["type"] == "histogram"


def test_multivariate_methods_run_on_request():
    ref, cur = _pair(400, shift=0.6)
    report = compare(ref, cur, multivariate=["mmd", "classifier"])
    assert set(report.multivariate) == {"mmd", "classifier"}
    assert report.multivariate["mmd"].drift
    with pytest.raises(RegistryError, match="choose from classifier, mmd"):
        compare(ref, cur, multivariate=["pca"])


def test_progress_callback_sees_every_column():
    seen: list[str] = []
    compare(*_pair(200), on_column=seen.append)
    assert seen == ["x", "y", "city", "flag"]


def test_same_inputs_same_report():
    ref, cur = _pair(3000, shift=0.1)
    a = compare(ref, cur, multivariate=["mmd"], seed=3).to_dict()
    assert a == compare(ref, cur, multivariate=["mmd"], seed=3).to_dict()


def test_distance_thresholds_by_test_name():
    ref, cur = _pair(5000, shift=0.15)
    default = compare(ref, cur).features["x"]
    strict = compare(ref, cur, thresholds={"wasserstein": 0.5}).features["x"]
    assert default.drift and strict.threshold == 0.5 and not strict.drift
    assert strict.significant and strict.verdict is Verdict.WARNING  # significant, immaterial


# -- two tables are tested in full, and a test named after scipy's equals scipy's (issue 13)


def test_ks_on_two_tables_is_scipy_on_the_full_data():
    rng = np.random.default_rng(12)
    ref = pd.DataFrame({"x": rng.normal(size=150_000)})  # above the profile's cap
    cur = pd.DataFrame({"x": rng.normal(0.01, size=30_000)})
    feature = compare(ref, cur, numeric_test="ks").features["x"]
    expected = stats.ks_2samp(ref["x"], cur["x"])
    assert feature.statistic == expected.statistic and feature.p_value_raw == expected.pvalue
    assert feature.n_reference == 150_000


@pytest.mark.parametrize(
    "name, scipy_call",
    [
        ("ks", stats.ks_2samp),
        ("cvm", stats.cramervonmises_2samp),
        ("mann_whitney", lambda a, b: stats.mannwhitneyu(a, b, alternative="two-sided")),
        ("anderson", lambda a, b: stats.anderson_ksamp([a, b], variant="midrank")),
    ],
)
@pytest.mark.filterwarnings("ignore:p-value (capped|floored)")
def test_scipy_backed_tests_equal_scipy_on_tables_and_on_profiles(name, scipy_call):
    rng = np.random.default_rng(13)
    ref = pd.DataFrame({"x": rng.normal(size=12_000)})
    cur = pd.DataFrame({"x": rng.normal(0.03, size=3_000)})
    expected = scipy_call(ref["x"].to_numpy(), cur["x"].to_numpy())
    p = getattr(expected, "pvalue", getattr(expected, "significance_level", None))
    for reference in (ref, Profile.fit(ref)):  # 12k rows: under the cap, the profile is exact
        feature = compare(reference, cur, numeric_test=name).features["x"]
        assert feature.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert feature.p_value_raw == pytest.approx(p, rel=1e-12)


# -- one dataset rule for tests and distances (issue 13)


def _ten_features(seed: int, n: int, shifted: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    names = [f"f{i}" for i in range(10)]
    ref = pd.DataFrame(rng.normal(size=(n, 10)), columns=names)
    cur = pd.DataFrame(rng.normal(size=(n, 10)), columns=names)
    cur["f3"] += shifted
    return ref, cur


def test_one_feature_at_six_times_the_threshold_is_dataset_drift_under_any():
    ref, cur = _ten_features(1, 5000, shifted=0.6)  # normed Wasserstein 0.6 = 6 x 0.1
    report = compare(ref, cur)
    assert report.features["f3"].test == "wasserstein" and report.drifted == ["f3"]
    assert report.features["f3"].significance.test == "ks"
    assert report.drift_detected and "1 of 10 columns drifted" in report.reason
    assert "rule any" in report.reason and report.to_dict()["settings"]["dataset_rule"] == "any"
    # the same with p-value tests (small samples), where Holm decides significance
    small = compare(*_ten_features(1, 400, shifted=0.6))
    assert small.features["f3"].test == "ks" and small.drifted == ["f3"] and small.drift_detected


def test_one_feature_of_ten_is_not_dataset_drift_under_share():
    ref, cur = _ten_features(1, 5000, shifted=0.6)
    report = compare(ref, cur, dataset_rule="share", drift_share=0.5)
    assert report.drifted == ["f3"] and not report.drift_detected
    assert report.reason.startswith("no drift: 1 of 10 columns drifted")
    assert "share 10% < 50% (rule share)" in report.reason


def test_unknown_dataset_rule_lists_the_choices():
    with pytest.raises(DataValidationError, match="choose from any, share"):
        compare(*_ten_features(0, 100), dataset_rule="most")


@pytest.mark.parametrize("n", [300, 3000])
def test_no_dataset_drift_on_the_same_distribution_across_seeds(n):
    # 60 seeds x 10 features; with tests (300 rows) or distances (3000 rows)
    # Holm keeps the family-wise rate at 5% (8 of 150 seeds at 300 rows); materiality only
    # lowers it (0 of 40 at 3000 rows, where the distances decide)
    hits = sum(compare(*_ten_features(seed, n)).drift_detected for seed in range(60))
    assert hits <= 6


def test_no_column_in_common_is_an_error():
    ref = pd.DataFrame({"age": [1.0, 2.0, 3.0], "city": ["a", "b", "a"]})
    cur = pd.DataFrame({" AGE": [1.0, 2.0, 3.0], "CITY ": ["a", "b", "a"]})
    with pytest.raises(DataValidationError, match="no column in common") as caught:
        compare(ref, cur)
    assert "'age', 'city' (2 columns)" in str(caught.value)
    assert "they match when spaces and case are ignored" in str(caught.value)


def test_missing_columns_reduce_the_tested_set_and_are_named_in_the_reason():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(rng.normal(size=(300, 4)), columns=list("abcd"))
    report = compare(ref, ref.drop(columns=["b", "d"]))
    assert list(report.features) == ["a", "c"]
    assert report.reason.endswith("; 2 of 4 columns could not be compared: b, d")
    assert [f.column for f in report.quality if f.kind == "missing_column"] == ["b", "d"]
