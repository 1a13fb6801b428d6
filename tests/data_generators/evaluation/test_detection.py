from __future__ import annotations

import pytest

from calmops.data_generators.evaluation.detection import MAX_ROWS, detection
from calmops.data_generators.evaluation.tables import align

from .conftest import mixed_table, shuffle_columns


def test_an_independent_sample_is_indistinguishable(tables):
    result = detection(align(tables["train"], tables["independent"]), seed=0)
    assert result.auc == pytest.approx(0.5, abs=0.05)
    assert len(result.fold_aucs) == 3 and result.rows_per_side == 2000


def test_real_against_itself_is_indistinguishable(tables):
    assert detection(align(tables["train"], tables["train"]), seed=0).auc == pytest.approx(
        0.5, abs=0.05
    )


def test_a_shifted_copy_is_told_apart():
    result = detection(align(mixed_table(2000, 1), mixed_table(2000, 2, shift=1.0)), seed=0)
    assert result.auc > 0.7


def test_broken_relations_are_told_apart(tables):
    train = tables["train"]
    independent = detection(align(train, tables["independent"]), seed=0).auc
    shuffled = detection(align(train, shuffle_columns(train, 0)), seed=0).auc
    assert shuffled > 0.9 > independent + 0.3  # x and income lose their ρ ≈ 0.95


@pytest.mark.slow
def test_sides_are_balanced_and_capped(tables):
    big = mixed_table(MAX_ROWS + 500, 7)
    assert detection(align(big, tables["train"]), seed=0).rows_per_side == 2000
    assert detection(align(big, big), seed=0).rows_per_side == MAX_ROWS


def test_same_seed_same_auc(tables):
    aligned = align(tables["train"], tables["independent"])
    assert detection(aligned, seed=4) == detection(aligned, seed=4)
