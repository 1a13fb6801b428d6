"""Concept operations: relabel a subgroup, or relabel by a new function."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.data_generators import SEA, RowRange, Where, generate_stream, inject
from calmops.errors import SpecError


def test_relabel_a_subgroup_only():
    data, _ = generate_stream("agrawal", 4000, seed=0)
    out, record = inject(data, "relabel", selector=Where("age", ">=", 60), seed=1)
    old = data["age"] >= 60
    assert (out["target"][old] == 1 - data["target"][old]).all()
    assert out["target"][~old].equals(data["target"][~old])
    assert record.events[0].kind == "concept"
    assert record.events[0].weight.sum() == old.sum()


def test_relabel_with_a_value_or_mapping():
    data, _ = generate_stream("led", 500, seed=0)
    out, _ = inject(data, "relabel", selector=RowRange(400), mapping={1: 7, 7: 1})
    swapped = data["target"][400:].replace({1: 7, 7: 1})
    assert out["target"][400:].tolist() == swapped.tolist()
    out, _ = inject(data, "relabel", selector=RowRange(0, 10), value=3)
    assert (out["target"][:10] == 3).all()


def test_relabel_by_a_generator_function():
    data, _ = generate_stream("sea", 3000, seed=4)
    out, record = inject(
        data,
        "relabel_function",
        selector=RowRange(1500),
        function="sea",
        params={"variant": 3},
    )
    late = out.iloc[1500:]
    features = {c: late[c].to_numpy() for c in SEA.columns}
    assert np.array_equal(SEA(variant=3).label(features), late["target"])
    assert out["target"][:1500].equals(data["target"][:1500])
    assert record.events[0].params["changed"] > 0


def test_relabel_by_a_callable():
    data, _ = generate_stream("sea", 200, seed=4)
    out, _ = inject(data, "relabel_function", function=lambda rows: (rows["x2"] > 5).astype(int))
    assert np.array_equal(out["target"], (data["x2"] > 5).astype(int))


def test_concept_errors():
    data, _ = generate_stream("led", 50, seed=0)
    with pytest.raises(SpecError, match="unless the target has two classes"):
        inject(data, "relabel")
    with pytest.raises(SpecError, match="needs function"):
        inject(data, "relabel_function")
