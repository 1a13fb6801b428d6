from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators.evaluation.privacy import privacy
from calmops.data_generators.evaluation.tables import align


def test_real_against_itself_is_all_copies(tables):
    train = tables["train"]
    result = privacy(align(train, train, tables["holdout"]), seed=0)
    assert result.exact_copies == 1.0
    assert result.dcr_5th_percentile == 0.0
    assert result.dcr_closer_to_train == 1.0  # train and holdout have the same size


def test_an_independent_sample_is_as_close_to_train_as_to_holdout(tables):
    result = privacy(align(tables["train"], tables["independent"], tables["holdout"]), seed=0)
    assert result.exact_copies == 0.0
    assert result.dcr_closer_to_train == pytest.approx(0.5, abs=0.04)
    assert result.dcr_5th_percentile == pytest.approx(result.holdout_dcr_5th_percentile, rel=0.25)


def test_a_verbatim_copy_of_a_larger_train_is_closer_in_proportion(tables):
    # 70/30: the train is cut to the holdout's size (in expectation over every cut); a copy
    # keeps its own row at distance 0 in 3/7 of the cuts and lands either side otherwise:
    # 3/7 + 4/7 · 1/2 = 5/7
    rng = np.random.default_rng(5)
    pool = pd.concat([tables["train"], tables["independent"]], ignore_index=True)
    train = pool.iloc[rng.permutation(len(pool))[:2800]]
    holdout = tables["holdout"].iloc[:1200]
    result = privacy(align(train, train.copy(), holdout), seed=0)
    assert result.dcr_closer_to_train == pytest.approx(5 / 7, abs=0.03)


def test_exact_copies_and_the_holdout_rate_count_duplicates_by_hand():
    train = pd.DataFrame({"a": [1, 2, 3, np.nan], "b": ["x", "y", "z", None]})
    synthetic = pd.DataFrame({"a": [1, 2, 9, np.nan, 3], "b": ["x", "z", "z", None, "z"]})
    holdout = pd.DataFrame({"a": [1, 5], "b": ["x", "x"]})
    result = privacy(align(train, synthetic, holdout), seed=0)
    assert result.exact_copies == pytest.approx(3 / 5)  # (1,x), (nan,None), (3,z)
    assert result.holdout_exact_copies == pytest.approx(1 / 2)


def test_distances_use_standardized_numbers_and_one_hot_labels():
    train = pd.DataFrame({"a": [0.0, 2.0], "b": ["x", "y"]})  # mean 1, std 1
    synthetic = pd.DataFrame({"a": [0.0], "b": ["y"]})  # nearest: (0, x) at √2 or (2, y) at 2
    result = privacy(align(train, synthetic), seed=0)
    assert result.dcr_5th_percentile == pytest.approx(np.sqrt(2))
    assert result.dcr_closer_to_train is None and result.holdout_exact_copies is None
