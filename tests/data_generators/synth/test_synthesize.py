"""synthesize(): one call, every option, and clear errors for combinations that mean nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from calmops.data_generators import synthesize
from calmops.errors import DataValidationError, RegistryError


def test_default_is_cart_with_as_many_rows_as_the_real_table(real):
    rows = synthesize(real, seed=1)
    assert len(rows) == len(real) and rows.dtypes.to_dict() == real.dtypes.to_dict()
    pd.testing.assert_frame_equal(rows, synthesize(real, method="cart", seed=1))


@pytest.mark.parametrize("method", ["cart", "bootstrap"])
def test_balance_is_the_uniform_condition_on_the_target(real, method):
    assert (real.y == "yes").mean() < 0.35
    rows = synthesize(real, method=method, n=1001, target="y", balance=True, seed=0)
    assert sorted(rows.y.value_counts().tolist()) == [500, 501]


def test_parameters_reach_the_synthesizer_and_steps_are_reported(real):
    steps = []
    rows = synthesize(real, n=50, smoothing=False, seed=0, on_step=lambda *step: steps.append(step))
    assert rows.x.isin(set(real.x)).all()
    assert steps == [("fitted cart", 1, 2), ("sampled 50 rows", 2, 2)]


def test_meaningless_combinations_are_errors(real):
    with pytest.raises(DataValidationError, match="either conditions or balance"):
        synthesize(real, target="y", balance=True, conditions={"y": {"yes": 1}})
    with pytest.raises(DataValidationError, match="balance=True needs a target"):
        synthesize(real, balance=True)
    with pytest.raises(DataValidationError, match="n_per_block needs a block_column"):
        synthesize(real, n_per_block=3)
    with pytest.raises(DataValidationError, match="cannot be the target"):
        synthesize(real, target="y", block_column="y")
    with pytest.raises(DataValidationError, match="conditions apply to categorical"):
        synthesize(real, target="x", balance=True)
    with pytest.raises(RegistryError, match="no synthesizer 'gan'"):
        synthesize(real, method="gan")
    with pytest.raises(DataValidationError, match="does not take leaf"):
        synthesize(real, leaf=3)
    with pytest.raises(DataValidationError, match="whole number ≥ 1"):
        synthesize(real, n=-5)
    with pytest.raises(DataValidationError, match="empty table"):
        synthesize(pd.DataFrame({"a": []}))
    with pytest.raises(DataValidationError, match="fits a pandas DataFrame"):
        synthesize([[1, 2]])
