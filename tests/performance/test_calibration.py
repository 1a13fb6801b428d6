"""The calibration map is chosen robustly, also on small held-out sets."""

from __future__ import annotations

import numpy as np

from calmops.performance import calibration
from calmops.performance.calibration import Calibrator, fit_calibrator


def _rows(n, truth, rng):
    p = rng.uniform(size=n)
    y = (rng.uniform(size=n) < truth(p)).astype(int)
    return np.c_[1 - p, p], y


def test_isotonic_is_kept_on_small_held_out_sets_without_confident_evidence():
    """On 188 rows (Phishing's held-out size) where Platt's sigmoid is the exact map, its
    lower error is noise in too many bootstrap resamples to abandon isotonic."""
    for seed in range(6):
        proba, y = _rows(188, lambda p: 1 / (1 + ((1 - p) / p) ** 2), np.random.default_rng(seed))
        cal = fit_calibrator(proba, y, seed=seed)
        assert set(cal.errors) == {"identity", "sigmoid", "isotonic"}
        assert cal.kind == "isotonic"


def test_a_map_better_in_nearly_every_resample_replaces_isotonic(monkeypatch):
    """The rule itself: an isotonic map that is clearly off (here: reversed) loses."""
    fit_column = calibration._fit_column

    def broken(kind, p, hit):
        if kind == "isotonic":
            return {"x": [0.0, 1.0], "y": [0.9, 0.1]}
        return fit_column(kind, p, hit)

    monkeypatch.setattr(calibration, "_fit_column", broken)
    proba, y = _rows(400, lambda p: p, np.random.default_rng(0))
    assert fit_calibrator(proba, y, seed=0).kind in ("identity", "sigmoid")


def test_a_shape_the_sigmoid_cannot_follow_gets_isotonic_even_on_few_rows():
    for seed in range(8):
        rng = np.random.default_rng(seed)
        proba, y = _rows(188, lambda p: np.where(p > 0.5, 0.9, 0.1), rng)
        assert fit_calibrator(proba, y, seed=seed).kind == "isotonic"


def test_a_model_with_halved_logits_gets_a_map_that_fixes_it():
    """P(y | p) = logistic(2 logit(p)): the map must bring the calibration error well
    below the raw probabilities'."""
    rng = np.random.default_rng(3)
    proba, y = _rows(4000, lambda p: 1 / (1 + ((1 - p) / p) ** 2), rng)
    cal = fit_calibrator(proba, y, seed=0)
    assert cal.kind == "isotonic"  # the sigmoid is exact, but isotonic is as good here
    assert cal.errors["isotonic"] < 0.5 * cal.errors["identity"]
    assert Calibrator.from_dict(cal.to_dict()) == cal
    assert fit_calibrator(proba, y, seed=0) == cal  # the same seed, the same choice
