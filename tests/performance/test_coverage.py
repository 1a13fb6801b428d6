"""Which scores the held-out rows cover: bins of their quantiles, and their point masses."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier

from calmops.performance.coverage import MAX_UNCOVERED, ScoreCoverage


def test_a_point_mass_the_held_out_rows_share_is_covered():
    # a decision tree with pure leaves on easy held-out rows: 99% of them exactly 1
    held_out = np.concatenate([np.ones(495), np.full(5, 0.9)])
    cover = ScoreCoverage.fit(held_out)
    assert cover.edges == (0.9, 1.0)  # every inner quantile collapsed onto 1
    assert cover.uncovered_share(np.ones(500)) == 0.0
    assert cover.caveat(np.ones(500), "highest probability") is None
    assert cover.uncovered_share(np.full(10, 0.3)) == 1.0  # below every held-out score


def test_a_rare_value_is_not_a_point_mass():
    held_out = np.concatenate([np.linspace(0.5, 0.9, 999), [1.0]])  # 1.0 once in 1,000
    cover = ScoreCoverage.fit(held_out)
    assert 1.0 not in cover.atoms
    assert cover.uncovered_share(np.full(20, 1.5)) == 1.0


def test_a_pure_tree_on_a_batch_like_its_held_out_rows_is_trusted():
    """A depth-limited tree gives a few distinct probabilities (many exactly 1): a batch drawn
    like the held-out rows must not read as covariate shift."""
    x, y = make_classification(6000, n_features=5, random_state=0)
    tree = DecisionTreeClassifier(max_depth=5, random_state=0).fit(x[:2000], y[:2000])
    top = tree.predict_proba(x).max(axis=1)
    cover = ScoreCoverage.fit(top[2000:4000])
    assert cover.uncovered_share(top[4000:]) <= MAX_UNCOVERED


def test_atoms_round_trip_and_old_records_load():
    cover = ScoreCoverage.fit(np.r_[np.ones(50), np.linspace(0, 1, 50)])
    assert ScoreCoverage.from_dict(cover.to_dict()) == cover
    old = {"edges": list(cover.edges), "barely": list(cover.barely)}  # saved before atoms
    assert ScoreCoverage.from_dict(old).atoms == ()
