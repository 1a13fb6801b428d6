"""target_formula: the target follows the recorded formula, so a trend in an input becomes
drift in the target that a drift test sees where, and only where, the trend is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from calmops.data_generators import Injection, RowRange, inject, inject_all
from calmops.drift import compare
from calmops.errors import SpecError


@pytest.fixture
def features():
    rng = np.random.default_rng(0)
    n = 50_000
    return pd.DataFrame({"x0": rng.normal(size=n), "x1": rng.normal(size=n)})


def test_a_known_regression_formula(features):
    exact, record = inject(features, "target_formula", formula="2*x0 - 0.5*x1**2", seed=1)
    x0, x1 = features["x0"], features["x1"]
    assert np.array_equal(exact["target"], 2 * x0 - 0.5 * x1**2)
    event = record.events[0]
    assert (event.kind, event.columns) == ("concept", ("target",))
    assert event.params["inputs"] == ["x0", "x1"]
    assert event.params["formula"] == "2*x0 - 0.5*x1**2"
    noisy, _ = inject(
        features, "target_formula", formula="2*x0 - 0.5*x1**2 + noise", noise=0.7, seed=1
    )
    residual = noisy["target"] - exact["target"]
    assert residual.std() == pytest.approx(0.7, rel=0.02)
    assert abs(residual.mean()) < 4 * 0.7 / np.sqrt(len(features))
    # without noise in the text the draw is added to the value: the same target
    added, _ = inject(features, "target_formula", formula="2*x0 - 0.5*x1**2", noise=0.7, seed=1)
    assert np.allclose(added["target"], noisy["target"])


def test_a_known_classification_formula(features):
    out, _ = inject(features, "target_formula", formula="sigmoid(x0 + x1) > 0.5", seed=0)
    assert out["target"].dtype == np.int64
    assert np.array_equal(out["target"], (expit(features.x0 + features.x1) > 0.5).astype(int))
    named, record = inject(
        features, "target_formula", formula="x0", threshold=[-1, 1], classes=["lo", "mid", "hi"]
    )
    expected = np.select([features.x0 <= -1, features.x0 <= 1], ["lo", "mid"], "hi")
    assert named["target"].tolist() == expected.tolist()
    assert record.events[0].params["threshold"] == [-1, 1]
    # P(x0 + noise > 0) = 1/2 for symmetric inputs; the noisy label flips some of them
    noisy, _ = inject(features, "target_formula", formula="x0 + noise > 0", noise=1.0, seed=3)
    agree = (noisy["target"] == (features.x0 > 0)).mean()
    # P(sign(x0 + e) == sign(x0)) for x0, e ~ N(0, 1) is 3/4
    assert agree == pytest.approx(0.75, abs=0.01)


def test_only_the_selected_rows_get_the_formula(features):
    base = features.assign(target=7)
    out, record = inject(base, "target_formula", formula="x0 > 0", selector=RowRange(100, 200))
    assert (out["target"].iloc[:100] == 7).all() and (out["target"].iloc[200:] == 7).all()
    assert np.array_equal(out["target"].iloc[100:200], (features.x0[100:200] > 0).astype(int))
    assert out[["x0", "x1"]].equals(features)
    assert record.events[0].params["rows"] == 100
    assert record.events[0].onset_row == 100 and not record.events[0].params["new_column"]
    new, _ = inject(features.head(6), "target_formula", formula="x0 * 0 + 1", target="y",
                    selector=RowRange(3))  # fmt: skip
    assert new["y"].isna().tolist() == [True, True, True, False, False, False]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "must be a text"),
        ({"formula": "x0 + zz"}, "unknown name 'zz'"),
        ({"formula": "x0.real"}, "attribute access"),
        ({"formula": "target + 1"}, "reads the target column 'target'"),
        ({"formula": "x0 > 0", "noise": 1.0}, "put noise inside"),
        ({"formula": "x0 > 0", "threshold": 0}, "already gives classes"),
        ({"formula": "x0", "threshold": [1, 0]}, "thresholds must increase"),
        ({"formula": "x0", "threshold": 0, "classes": [1, 2, 3]}, "make 2 classes"),
        ({"formula": "x0", "classes": ["a", "b"]}, "classes needs threshold"),
        ({"formula": "x0", "noise": -1}, "noise must be >= 0"),
    ],
)
def test_bad_formulas_are_refused(features, params, message):
    with pytest.raises(SpecError, match=message):
        inject(features.assign(target=0), "target_formula", **params)


def test_a_trend_in_an_input_becomes_target_drift_where_it_is():
    rng = np.random.default_rng(42)
    n = 6000
    data = pd.DataFrame(
        {
            "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) // 100, unit="D"),
            "x0": rng.normal(size=n),
            "x1": rng.normal(size=n),
        }
    )
    # x0 drifts up by 0.05 a day from day 30 (row 3000); the target reads x0
    steps = [
        Injection("trend", "x0", selector=RowRange(3000), params={"slope": 0.05}),
        Injection("target_formula", params={"formula": "2*x0 + x1 + noise", "noise": 0.5}),
    ]
    out, record = inject_all(data, steps, seed=7, time_column="day")
    trend, target = record.events
    assert trend.onset_time == "2024-01-31T00:00:00" and "x0" in target.params["inputs"]
    assert target.params["new_column"] and target.onset_row == -1  # defined, not changed
    assert record.drift_rows.tolist() == list(range(3000, n))
    reference = out.iloc[:1000]
    tested = ["x0", "x1", "target"]
    early = compare(reference, out.iloc[1000:3000], columns=tested, seed=0)
    late = compare(reference, out.iloc[4000:], columns=tested, seed=0)
    assert not early.drift_detected, early.reason
    assert late.drift_detected and set(late.drifted) == {"x0", "target"}
