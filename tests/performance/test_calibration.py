"""The calibration map is chosen robustly, also on small held-out sets."""

from __future__ import annotations

import numpy as np

from calmops.performance.calibration import Calibrator, fit_calibrator


def _rows(n, truth, rng):
    p = rng.uniform(size=n)
    y = (rng.uniform(size=n) < truth(p)).astype(int)
    return np.c_[1 - p, p], y


def test_isotonic_is_kept_unless_another_map_is_clearly_better():
    """On 188 rows (Phishing's held-out size) the cross-fitted errors are noisy: another map
    replaces isotonic only with an error at least 10% lower."""
    for seed in range(8):
        proba, y = _rows(188, lambda p: p, np.random.default_rng(seed))
        cal = fit_calibrator(proba, y, seed=seed)
        assert set(cal.errors) == {"identity", "sigmoid", "isotonic"}
        assert cal.kind == "isotonic" or cal.errors[cal.kind] <= 0.9 * cal.errors["isotonic"]


def test_a_shape_the_sigmoid_cannot_follow_gets_isotonic_even_on_few_rows():
    for seed in range(8):
        rng = np.random.default_rng(seed)
        proba, y = _rows(188, lambda p: np.where(p > 0.5, 0.9, 0.1), rng)
        assert fit_calibrator(proba, y, seed=seed).kind == "isotonic"


def test_a_model_with_halved_logits_gets_a_map_that_fixes_it():
    """P(y | p) = logistic(2 logit(p)): the sigmoid is exact, isotonic close; either must
    bring the calibration error well below the raw probabilities'."""
    rng = np.random.default_rng(3)
    proba, y = _rows(4000, lambda p: 1 / (1 + ((1 - p) / p) ** 2), rng)
    cal = fit_calibrator(proba, y, seed=0)
    assert cal.kind in ("sigmoid", "isotonic")
    assert cal.errors[cal.kind] < 0.5 * cal.errors["identity"]
    assert Calibrator.from_dict(cal.to_dict()) == cal
    assert fit_calibrator(proba, y, seed=0) == cal  # the same seed, the same choice
