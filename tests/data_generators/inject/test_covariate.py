"""Covariate operations reach the asked change, within sampling error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import RowRange, Where, inject
from calmops.errors import DataValidationError, SpecError


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    n = 20000
    return pd.DataFrame(
        {
            "a": rng.normal(10, 2, n),
            "b": rng.normal(0, 1, n),
            "k": rng.integers(0, 100, n),
            "city": rng.choice(["x", "y", "z"], n, p=[0.6, 0.3, 0.1]),
        }
    )


def test_shift_in_standard_deviations(table):
    out, record = inject(
        table, "shift", columns=["a", "b"], selector=RowRange(10000), magnitude=1.5, seed=1
    )
    sd = table["a"].std()
    delta = out["a"][10000:].mean() - table["a"][10000:].mean()
    assert delta == pytest.approx(1.5 * sd, rel=1e-9)
    assert out["a"][:10000].equals(table["a"][:10000])
    assert record.events[0].params["delta"]["a"] == pytest.approx(1.5 * sd)
    # as seen by a user: the selected rows moved by 1.5 sd against the untouched rows
    z = (out["b"][10000:].mean() - out["b"][:10000].mean()) / table["b"].std()
    assert z == pytest.approx(1.5, abs=0.05)


def test_shift_in_absolute_units_with_a_ramp(table):
    out, _ = inject(
        table, "shift", columns="k", magnitude=-10, unit="absolute", profile="linear", seed=1
    )
    change = (out["k"] - table["k"]).to_numpy()
    assert change[0] == 0 and change[-1] == pytest.approx(-10)
    assert np.all(np.diff(change) < 0)


def test_scale_multiplies_the_spread(table):
    out, _ = inject(table, "scale", columns="a", selector=RowRange(0, 8000), factor=2.0, seed=0)
    ratio = out["a"][:8000].std() / table["a"][:8000].std()
    assert ratio == pytest.approx(2.0, rel=1e-9)
    assert out["a"][:8000].mean() == pytest.approx(table["a"][:8000].mean())


def test_gaussian_noise_adds_the_asked_variance(table):
    out, _ = inject(table, "gaussian_noise", columns="b", magnitude=0.5, seed=3)
    extra = (out["b"] - table["b"]).std()
    assert extra == pytest.approx(0.5 * table["b"].std(), rel=0.03)


def test_quantile_warp_keeps_the_order_and_skews(table):
    out, _ = inject(table, "quantile_warp", columns="b", power=3.0, seed=0)
    assert np.array_equal(
        np.argsort(out["b"], kind="stable"), np.argsort(table["b"], kind="stable")
    )
    assert out["b"].median() < table["b"].median() - 0.5


def test_category_prior_hits_the_proportions_exactly(table):
    out, _ = inject(
        table,
        "category_prior",
        columns="city",
        selector=RowRange(0, 10000),
        proportions={"x": 0.1, "y": 0.2, "z": 0.7},
        seed=4,
    )
    counts = out["city"][:10000].value_counts()
    assert counts.to_dict() == {"z": 7000, "y": 2000, "x": 1000}
    assert out["city"][10000:].equals(table["city"][10000:])


def test_new_category_appears_at_the_asked_rate(table):
    out, record = inject(
        table, "new_category", columns="city", selector=RowRange(15000), value="w", rate=0.2
    )
    assert (out["city"] == "w").sum() == 1000
    assert (out["city"][:15000] == "w").sum() == 0
    with pytest.raises(SpecError, match="already occurs"):
        inject(table, "new_category", columns="city", value="x")


@pytest.mark.parametrize("target", [-0.6, 0.0, 0.9])
def test_correlation_reaches_the_asked_value_and_keeps_the_marginal(table, target):
    out, _ = inject(table, "correlation", columns=["a", "b"], correlation=target, seed=5)
    assert np.corrcoef(out["a"], out["b"])[0, 1] == pytest.approx(target, abs=0.02)
    assert np.array_equal(np.sort(out["b"]), np.sort(table["b"]))
    assert out["a"].equals(table["a"])


def test_correlation_only_in_the_selected_rows(table):
    out, _ = inject(
        table, "correlation", columns=["a", "b"], selector=Where("k", "<", 50), correlation=0.8
    )
    low = table["k"] < 50
    assert np.corrcoef(out["a"][low], out["b"][low])[0, 1] == pytest.approx(0.8, abs=0.02)
    assert abs(np.corrcoef(out["a"][~low], out["b"][~low])[0, 1]) < 0.05


def test_numeric_operations_refuse_text_columns(table):
    with pytest.raises(DataValidationError, match="column 'city' is .* needs a numeric column"):
        inject(table, "shift", columns="city")
    with pytest.raises(SpecError, match="exactly two columns"):
        inject(table, "correlation", columns="a")
