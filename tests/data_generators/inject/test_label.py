"""Label operations: flips at the asked rate, priors at the asked proportions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import RowRange, inject
from calmops.errors import SpecError


@pytest.fixture
def table():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 9000)
    return pd.DataFrame({"x": rng.normal(y, 1.0), "target": y})


def test_flip_rate_is_hit_exactly(table):
    out, record = inject(table, "label_flip", rate=0.2, selector=RowRange(3000), seed=0)
    changed = out["target"] != table["target"]
    assert changed[:3000].sum() == 0
    assert changed.sum() == pytest.approx(0.2 * 6000, abs=2)  # exact per class, rounded
    assert record.events[0].params["flipped"] == changed.sum()
    assert record.events[0].kind == "label"


def test_transition_matrix_is_hit_per_class(table):
    out, _ = inject(table, "label_flip", matrix={0: {1: 0.5}, 2: {0: 0.1, 1: 0.1}}, seed=2)
    before, after = table["target"], out["target"]
    n0, n2 = (before == 0).sum(), (before == 2).sum()
    assert ((before == 0) & (after == 1)).sum() == round(n0 * 0.5)
    assert ((before == 1) & (after != 1)).sum() == 0
    assert ((before == 2) & (after == 0)).sum() == pytest.approx(n2 * 0.1, abs=1)


def test_prior_shift_hits_the_proportions_and_keeps_p_x_given_y(table):
    out, _ = inject(
        table, "prior_shift", proportions={0: 0.7, 1: 0.2, 2: 0.1}, selector=RowRange(4500), seed=3
    )
    shares = out["target"][4500:].value_counts().sort_index().tolist()
    assert shares == [3150, 900, 450]
    for c in range(3):
        x_new = out["x"][4500:][out["target"][4500:] == c]
        assert x_new.mean() == pytest.approx(c, abs=0.12)


def test_label_errors(table):
    with pytest.raises(SpecError, match="exactly one of rate and matrix"):
        inject(table, "label_flip")
    with pytest.raises(SpecError, match="class '5' is not in the target"):
        inject(table, "label_flip", matrix={5: {0: 0.1}})
    with pytest.raises(SpecError, match="add up to more than 1"):
        inject(table, "label_flip", matrix={0: {1: 0.7, 2: 0.7}})
