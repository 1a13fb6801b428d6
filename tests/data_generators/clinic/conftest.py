"""Shared fixtures for the cohort tests."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats


@pytest.fixture
def normal_scores():
    """Each column replaced by the normal quantiles of its ranks (average ranks for ties)."""

    def scores(values: np.ndarray) -> np.ndarray:
        ranks = stats.rankdata(values, axis=0)
        return stats.norm.ppf(ranks / (values.shape[0] + 1))

    return scores
