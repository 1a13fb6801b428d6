from __future__ import annotations

import itertools
from math import comb

import numpy as np
import pytest

from calmops.data_generators.evaluation import closer
from calmops.data_generators.evaluation.closer import closer_to_train, miss_chance


def _brute_force(train: np.ndarray, holdout: np.ndarray, queries: np.ndarray) -> float:
    """The share averaged over every cut of the larger side to the smaller's size."""

    def share(t: np.ndarray, h: np.ndarray) -> float:
        d_t = np.linalg.norm(queries[:, None] - t[None], axis=2).min(axis=1)
        d_h = np.linalg.norm(queries[:, None] - h[None], axis=2).min(axis=1)
        return float(np.mean((d_t < d_h) + 0.5 * (d_t == d_h)))

    m = min(len(train), len(holdout))
    if len(train) >= len(holdout):
        cuts = [
            share(train[list(c)], holdout) for c in itertools.combinations(range(len(train)), m)
        ]
    else:
        cuts = [
            share(train, holdout[list(c)]) for c in itertools.combinations(range(len(holdout)), m)
        ]
    return float(np.mean(cuts))


@pytest.mark.parametrize("n, m", [(10, 3), (7, 7), (12, 1), (9, 5)])
def test_miss_chance_is_the_hypergeometric_zero(n, m):
    for k in range(n + 1):
        assert miss_chance(n, m, np.array([k]))[0] == pytest.approx(comb(n - k, m) / comb(n, m))


@pytest.mark.parametrize("count_every_row", [False, True])
@pytest.mark.parametrize("train_rows, holdout_rows", [(8, 4), (4, 8), (6, 6), (9, 2)])
def test_the_expectation_equals_the_mean_over_every_cut(
    train_rows, holdout_rows, count_every_row, monkeypatch
):
    if count_every_row:  # the path of a much larger side: every distance, in chunks
        monkeypatch.setattr(closer, "MAX_CANDIDATES", 0)
        monkeypatch.setattr(closer, "CHUNK_VALUES", 50)  # a few queries per chunk
    rng = np.random.default_rng(train_rows * 10 + holdout_rows)
    # integer coordinates: many exact ties, and copies of train and holdout rows among queries
    train = rng.integers(0, 3, size=(train_rows, 2)).astype(float)
    holdout = rng.integers(0, 3, size=(holdout_rows, 2)).astype(float)
    queries = np.vstack([rng.integers(0, 3, size=(15, 2)), train[:2], holdout[:2]]).astype(float)
    assert closer_to_train(train, holdout, queries) == pytest.approx(
        _brute_force(train, holdout, queries), abs=1e-12
    )


def test_rows_of_the_same_law_score_one_half_and_copies_of_train_more():
    rng = np.random.default_rng(3)
    train, holdout = rng.normal(size=(1400, 4)), rng.normal(size=(600, 4))
    assert closer_to_train(train, holdout, rng.normal(size=(4000, 4))) == pytest.approx(
        0.5, abs=0.02
    )
    assert closer_to_train(train, holdout, train[:1000]) == pytest.approx(5 / 7, abs=0.03)
    assert closer_to_train(holdout, train, holdout) == pytest.approx(1.0)  # the smaller side
