"""Every registered synthesizer against the protocol: built by name, seeded, typed, exact
conditions, and a clear answer to bad input (generated from the registry)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.synth import SYNTHESIZERS, Synthesizer, make_synthesizer
from calmops.errors import DataValidationError, RegistryError

NAMES = list(SYNTHESIZERS.names())


@pytest.fixture(scope="module")
def small(real: pd.DataFrame) -> pd.DataFrame:
    return real.iloc[:600].reset_index(drop=True)


@pytest.mark.parametrize("name", NAMES)
def test_builds_by_name_and_follows_the_protocol(name):
    synthesizer = make_synthesizer(name)
    assert isinstance(synthesizer, Synthesizer) and synthesizer.name == name
    assert type(synthesizer).__doc__ and type(synthesizer).sample.__doc__


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_rows_same_dtypes(name, small):
    fitted = make_synthesizer(name).fit(small, target="y")
    first = fitted.sample(200, seed=7)
    pd.testing.assert_frame_equal(first, fitted.sample(200, seed=7))
    assert list(first.columns) == list(small.columns)
    assert first.dtypes.to_dict() == small.dtypes.to_dict()
    assert len(first) == 200 and first.index.equals(pd.RangeIndex(200))


@pytest.mark.parametrize("name", NAMES)
def test_conditions_are_exact(name, small):
    fitted = make_synthesizer(name).fit(small, target="y")
    rows = fitted.sample(301, conditions={"y": {"yes": 0.3, "no": 0.7}}, seed=1)
    assert rows.y.value_counts().to_dict() == {"no": 211, "yes": 90}  # 210.7 and 90.3


@pytest.mark.parametrize("name", NAMES)
def test_constant_and_all_missing_columns_are_kept(name):
    rng = np.random.default_rng(0)
    real = pd.DataFrame(
        {"x": rng.normal(size=200), "same": 4, "label": "k", "empty": np.nan, "none": None}
    )
    rows = make_synthesizer(name).fit(real).sample(50, seed=0)
    assert (rows.same == 4).all() and (rows.label == "k").all()
    assert rows["empty"].isna().all() and rows["none"].isna().all()
    assert rows.dtypes.to_dict() == real.dtypes.to_dict()


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_is_a_clear_error(name, small):
    synthesizer = make_synthesizer(name)
    with pytest.raises(DataValidationError, match="not fitted"):
        synthesizer.sample(5)
    with pytest.raises(DataValidationError, match="empty table"):
        synthesizer.fit(pd.DataFrame())
    with pytest.raises(DataValidationError, match="empty table"):
        synthesizer.fit(small.iloc[:0])
    with pytest.raises(DataValidationError, match="1 distinct value"):
        synthesizer.fit(small.assign(y="yes"), target="y")
    with pytest.raises(DataValidationError, match="target 'nope' is not a column"):
        synthesizer.fit(small, target="nope")
    fitted = synthesizer.fit(small, target="y")
    with pytest.raises(DataValidationError, match="names 'maybe', which the real table"):
        fitted.sample(10, conditions={"y": {"maybe": 1.0}})
    with pytest.raises(DataValidationError, match="no column 'nope'"):
        fitted.sample(10, conditions={"nope": {"a": 1.0}})
    with pytest.raises(DataValidationError, match="conditions apply to categorical"):
        fitted.sample(10, conditions={"x": {0.5: 1.0}})
    with pytest.raises(DataValidationError, match="one column at a time"):
        fitted.sample(10, conditions={"y": {"yes": 1}, "city": {"nice": 1}})
    with pytest.raises(DataValidationError, match="whole number ≥ 1"):
        fitted.sample(0)


def test_unknown_names_and_parameters():
    with pytest.raises(RegistryError, match="no synthesizer 'crat'.*did you mean 'cart'"):
        make_synthesizer("crat")
    with pytest.raises(DataValidationError, match="does not take depth; its parameters are"):
        make_synthesizer("cart", depth=3)
    with pytest.raises(DataValidationError, match="noise must be a number"):
        make_synthesizer("bootstrap", noise=-1).fit(pd.DataFrame({"a": [1.0, 2.0]}))


@pytest.mark.parametrize("name", NAMES)
def test_columns_labelled_by_numbers_keep_their_labels(name):
    rng = np.random.default_rng(0)
    real = pd.DataFrame(rng.normal(size=(300, 3))).assign(**{"3": rng.choice(["a", "b"], 300)})
    real.columns = [0, 1, 2, 3]
    fitted = make_synthesizer(name).fit(real, target=3)
    rows = fitted.sample(40, conditions={3: {"a": 0.5, "b": 0.5}}, seed=0)
    assert list(rows.columns) == [0, 1, 2, 3] and rows[3].value_counts().to_dict() == {
        "a": 20,
        "b": 20,
    }
    with pytest.raises(DataValidationError, match="'0' appears more than once"):
        make_synthesizer(name).fit(pd.DataFrame([[1.0, 2.0]], columns=[0, "0"]))
