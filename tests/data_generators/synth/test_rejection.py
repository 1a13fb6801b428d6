"""Conditioning by rejection: exact counts, joint rows kept, rare values as clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.synth.columns import infer_schema
from calmops.data_generators.synth.rejection import MAX_BATCH, rejection_sample, value_shares
from calmops.errors import DataValidationError

SHARES = {"g": {"a": 0.7, "b": 0.25, "c": 0.05}}


def draw(m: int, rng: np.random.Generator) -> pd.DataFrame:
    """A stand-in synthesizer: g with shares 70/25/5%, x depends on g (mean 0, 5, 10)."""
    g = rng.choice(["a", "b", "c"], size=m, p=[0.7, 0.25, 0.05])
    mean = pd.Series(g).map({"a": 0.0, "b": 5.0, "c": 10.0}).to_numpy()
    return pd.DataFrame({"g": g, "x": mean + rng.normal(size=m)})


@pytest.mark.parametrize("n", [1, 7, 1_000, 10_001])
def test_counts_are_exact(n):
    wanted = {"a": 0.2, "b": 0.3, "c": 0.5}
    out = rejection_sample(draw, n, {"g": wanted}, SHARES, np.random.default_rng(0))
    assert len(out) == n
    counts = out["g"].value_counts()
    for value, share in wanted.items():
        assert abs(counts.get(value, 0) - share * n) <= 1


def test_rows_are_joint_draws_so_the_other_columns_follow_the_value():
    out = rejection_sample(
        draw, 6_000, {"g": {"a": 1, "b": 1, "c": 1}}, SHARES, np.random.default_rng(1)
    )
    means = out.groupby("g")["x"].mean()
    assert means.to_dict() == pytest.approx({"a": 0.0, "b": 5.0, "c": 10.0}, abs=0.1)
    assert out.groupby("g")["x"].std().to_numpy() == pytest.approx([1, 1, 1], abs=0.06)


def test_rows_are_shuffled_not_grouped_by_value():
    out = rejection_sample(
        draw, 1_000, {"g": {"a": 0.5, "c": 0.5}}, SHARES, np.random.default_rng(2)
    )
    first_half = out["g"].iloc[:500]
    assert 0.4 < (first_half == "c").mean() < 0.6


def test_same_generator_state_gives_the_same_rows():
    def run(seed):
        return rejection_sample(draw, 300, {"g": {"c": 1}}, SHARES, np.random.default_rng(seed))

    pd.testing.assert_frame_equal(run(3), run(3))
    assert not run(3).equals(run(4))


def test_a_value_the_draws_underrate_is_still_reached():
    """The table's share is only a first guess: rounds adapt to the rate actually drawn."""
    out = rejection_sample(
        draw, 2_000, {"g": {"c": 1.0}}, {"g": {"c": 0.5}}, np.random.default_rng(5)
    )
    assert (out["g"] == "c").all() and len(out) == 2_000


def test_a_value_too_rare_is_an_error_naming_it_and_its_share():
    def rare(m, rng):
        return pd.DataFrame({"g": np.where(rng.random(m) < 1e-6, "z", "a")})

    with pytest.raises(DataValidationError) as info:
        rejection_sample(
            rare, 10_000, {"g": {"z": 0.5, "a": 0.5}}, {"g": {"z": 1e-6, "a": 1.0}},
            np.random.default_rng(6), max_rounds=3,
        )  # fmt: skip
    message = str(info.value)
    assert "g='z'" in message and "0.0001%" in message and "3 rounds" in message
    assert f"{3 * MAX_BATCH:,} rows drawn" in message


def test_value_shares_counts_every_conditionable_column_over_all_rows():
    df = pd.DataFrame(
        {
            "g": ["a", "a", "b", None],
            "flag": [True, False, True, True],
            "rating": [1, 2, 2, 3],
            "x": [0.1, 0.2, 0.3, 0.4],
        }
    )
    shares = value_shares(df, infer_schema(df))
    assert shares == {
        "g": {"a": 0.5, "b": 0.25},
        "flag": {True: 0.75, False: 0.25},
        "rating": {1: 0.25, 2: 0.5, 3: 0.25},
    }
