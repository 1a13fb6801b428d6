"""Block synthesis: natural order, sizes per block, block differences kept, clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.synth.blocks import block_sizes, split_blocks
from calmops.data_generators.synth.synthesize import synthesize
from calmops.errors import DataValidationError


def _blocks_table(ids: list, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    parts = [
        pd.DataFrame(
            {"block": [b] * n, "x": rng.normal(i * 3, 1, n), "y": rng.choice(["a", "b"], n)}
        )
        for i, b in enumerate(ids)
    ]
    return pd.concat(parts, ignore_index=True).sample(frac=1, random_state=0)


@pytest.mark.parametrize(
    "ids",
    [
        ["b1", "b2", "b3", "b10"],
        [1.5, 2.0, 10.0],
        ["site-9-y", "site-10-x"],
        ["Dec 2023", "Jan 2024", "Feb 2024"],
        list(pd.to_datetime(["2023-12-31", "2024-01-02", "2024-10-01"])),
    ],
)
def test_natural_order(ids):
    real = pd.DataFrame({"block": list(reversed(ids)), "x": range(len(ids))})
    assert list(split_blocks(real, "block")) == ids


@pytest.mark.parametrize("ids", [["b1", "b2", "b10"], [1, 2, 10]])
def test_blocks_come_out_in_natural_order_with_their_own_means(ids):
    real = _blocks_table(list(reversed(ids)))  # block i has mean 3 (len - 1 - i)
    rows = synthesize(real, block_column="block", seed=0)
    assert list(pd.unique(rows.block)) == ids
    assert rows.block.dtype == real.block.dtype
    assert list(rows.columns) == list(real.columns)
    means = rows.groupby("block", sort=False).x.mean()
    expected = real.groupby("block").x.mean().reindex(means.index)
    assert means.to_numpy() == pytest.approx(expected.to_numpy(), abs=0.2)


def test_sizes_by_default_scale_with_the_real_blocks():
    assert block_sizes({"a": 100, "b": 50, "c": 1}, n=10, n_per_block=None) == {
        "a": 6,
        "b": 3,
        "c": 1,
    }
    real = _blocks_table(["m1", "m2"]).iloc[:450]
    rows = synthesize(real, n=90, block_column="block", seed=0)
    expected = (real.block.value_counts(normalize=True) * 90).round()
    assert rows.block.value_counts().to_dict() == expected.astype(int).to_dict()


def test_sizes_per_block_as_int_or_dict():
    real = _blocks_table([1, 2, 10])
    rows = synthesize(real, block_column="block", n_per_block=40, seed=0)
    assert rows.block.value_counts().to_dict() == {1: 40, 2: 40, 10: 40}
    rows = synthesize(real, block_column="block", n_per_block={"10": 5, 2: 7}, seed=0)
    assert rows.block.value_counts(sort=False).to_dict() == {1: 300, 2: 7, 10: 5}


def test_each_block_meets_the_condition_and_the_seed_repeats():
    real = _blocks_table(["b1", "b2"])
    args = dict(block_column="block", n_per_block=11, conditions={"y": {"a": 0.5, "b": 0.5}})
    rows = synthesize(real, seed=5, **args)
    for _, part in rows.groupby("block"):
        assert abs(part.y.value_counts()["a"] - 5.5) <= 0.5
    pd.testing.assert_frame_equal(rows, synthesize(real, seed=5, **args))


def test_block_errors_name_the_problem():
    real = _blocks_table(["b1", "b2"])
    with pytest.raises(DataValidationError, match="block column 'nope' is not a column"):
        split_blocks(real, "nope")
    with pytest.raises(DataValidationError, match="1 missing value"):
        split_blocks(real.assign(block=[None] + ["b1"] * (len(real) - 1)), "block")
    with pytest.raises(DataValidationError, match="names block 'b3'"):
        block_sizes({"b1": 3, "b2": 4}, None, {"b3": 2})
    with pytest.raises(DataValidationError, match="≥ the number of blocks"):
        block_sizes({"b1": 3, "b2": 4}, 1, None)
    with pytest.raises(DataValidationError, match=r"n_per_block\['b1'\] must be"):
        block_sizes({"b1": 3}, None, {"b1": 0})
    one_class = real.assign(y=np.where(real.block == "b2", "a", real.y))
    with pytest.raises(DataValidationError, match="block 'b2': target 'y' has 1 distinct"):
        synthesize(one_class, target="y", block_column="block")
    with pytest.raises(DataValidationError, match="no column besides the block"):
        split_blocks(real[["block"]], "block")
