"""Identifier-like columns: found by their rows per label, drawn from their attributes only."""

from __future__ import annotations

import numpy as np

from calmops.data_generators.synth.identifiers import (
    MAX_ROWS_PER_LABEL,
    MIN_LABELS,
    identifier_attributes,
    predictors,
)


def _values(labels: int, rows_each: int) -> dict[str, np.ndarray]:
    person = np.repeat(np.arange(float(labels)), rows_each)
    rng = np.random.default_rng(0)
    return {
        "person": person,
        "group": person % 4,  # constant within each person: an attribute
        "visit": np.tile(np.arange(float(rows_each)), labels),
        "value": rng.normal(size=person.size),
    }


def test_many_labels_with_few_rows_each_are_identifiers_with_their_attributes():
    values = _values(MIN_LABELS, MAX_ROWS_PER_LABEL - 1)
    names = list(values)
    found = identifier_attributes(values, names, labels=["person", "group"])
    assert found == {"person": ("group",)}


def test_few_labels_or_many_rows_per_label_are_not_identifiers():
    names = ["person", "group", "visit", "value"]
    few = _values(MIN_LABELS - 1, 3)
    assert identifier_attributes(few, names, labels=["person"]) == {}
    crowded = _values(MIN_LABELS, MAX_ROWS_PER_LABEL)
    assert identifier_attributes(crowded, names, labels=["person"]) == {}


def test_identifiers_split_only_their_attributes_and_only_those_split_on_them():
    ids = {"person": ("group",)}
    assert predictors("person", ["group", "visit", "value"], ids) == ["group"]
    assert predictors("value", ["person", "group", "visit"], ids) == ["group", "visit"]
    assert predictors("group", ["person", "visit"], ids) == ["person", "visit"]
