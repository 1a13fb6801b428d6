"""The default verdict on real tables: random halves of one table show no drift, and a real
shift of a few features is found (scikit-learn's breast_cancer, 569 x 30, and wine, 178 x 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine

from calmops.drift import compare

LOADERS = {"breast_cancer": load_breast_cancer, "wine": load_wine}


def _table(name: str) -> pd.DataFrame:
    return LOADERS[name](as_frame=True).frame.drop(columns="target")


def _halves(
    table: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.random.Generator]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(table))
    half = len(table) // 2
    return table.iloc[order[:half]], table.iloc[order[half:]], rng


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_random_halves_show_no_drift_in_95_of_100_splits(name):
    table = _table(name)
    quiet = sum(not compare(*_halves(table, seed)[:2]).drift_detected for seed in range(100))
    assert quiet >= 95


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_one_std_added_to_five_features_is_detected(name):
    table = _table(name)
    for seed in range(5):
        ref, cur, rng = _halves(table, seed)
        cur = cur.copy()
        shifted = list(rng.choice(table.columns, 5, replace=False))
        for column in shifted:
            cur[column] += table[column].std()
        report = compare(ref, cur)
        assert report.drift_detected
        assert set(report.drifted) <= set(shifted) and report.drifted


def test_the_verdict_says_the_sample_is_small():
    table = _table("breast_cancer")
    ref, cur, _ = _halves(table, 0)
    report = compare(ref.iloc[:114], cur.iloc[:114])
    assert not report.drift_detected
    assert {f.test for f in report.features.values()} == {"ks"}
    assert "114 rows is a small sample (<= 1000)" in report.reason
    assert "the p-value test decides" in report.reason
    forced = compare(ref.iloc[:114], cur.iloc[:114], numeric_test="psi")
    assert [f.kind for f in forced.quality if f.kind == "small_sample"] == ["small_sample"]
    assert not forced.drift_detected
