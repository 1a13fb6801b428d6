"""Differential-privacy noise has the scale its mechanism promises, and spends its budget."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.errors import DataValidationError
from calmops.privacy import add_noise
from calmops.privacy.config import NoiseConfig
from calmops.privacy.noise import dp_mechanisms

N = 20_000


def _noise(epsilon, **column):
    frame = pd.DataFrame({"x": np.zeros(N)})
    config = NoiseConfig(columns={"x": {"epsilon": epsilon, **column}})
    return add_noise(frame, config, seed=1)


def test_diffprivlib_provides_the_mechanisms():
    mechanisms = dp_mechanisms()
    assert {"Laplace", "Gaussian", "GaussianAnalytic"} <= set(dir(mechanisms))


@pytest.mark.parametrize(("epsilon", "sensitivity"), [(1.0, 1.0), (0.5, 3.0)])
def test_laplace_noise_has_sd_sqrt2_sensitivity_over_epsilon(epsilon, sensitivity):
    result = _noise(epsilon, sensitivity=sensitivity)
    draws = result.frame["x"].to_numpy()
    scale = sensitivity / epsilon
    assert draws.std() == pytest.approx(math.sqrt(2) * scale, rel=0.04)
    assert abs(draws.mean()) < 4 * math.sqrt(2) * scale / math.sqrt(N)
    assert stats.kstest(draws, stats.laplace(scale=scale).cdf).pvalue > 0.001
    assert result.epsilon_spent == epsilon and result.columns["x"]["scale"] == scale


def test_classic_gaussian_noise_has_its_textbook_sigma():
    epsilon, delta, sensitivity = 0.5, 1e-5, 2.0
    result = _noise(epsilon, mechanism="gaussian", delta=delta, sensitivity=sensitivity)
    sigma = math.sqrt(2 * math.log(1.25 / delta)) * sensitivity / epsilon
    assert result.frame["x"].std() == pytest.approx(sigma, rel=0.04)
    assert result.delta_spent == delta


def test_analytic_gaussian_is_tighter_than_the_classic_one():
    epsilon, delta = 0.5, 1e-5
    classic = _noise(epsilon, mechanism="gaussian", delta=delta, sensitivity=1.0)
    analytic = _noise(epsilon, mechanism="gaussian_analytic", delta=delta, sensitivity=1.0)
    assert analytic.frame["x"].std() < 0.9 * classic.frame["x"].std()


def test_bounds_clip_first_and_set_the_sensitivity():
    frame = pd.DataFrame({"income": [-5.0, 50.0, 1e9, np.nan]})
    config = NoiseConfig(columns={"income": {"epsilon": 1e6, "bounds": [0, 100]}})
    out = add_noise(frame, config, seed=0)
    assert out.columns["income"]["sensitivity"] == 100
    assert out.frame["income"][:3].to_numpy() == pytest.approx([0, 50, 100], abs=0.01)
    assert np.isnan(out.frame["income"][3])


def test_seeded_and_columns_compose():
    frame = pd.DataFrame({"a": np.zeros(50), "b": np.zeros(50), "c": list("x" * 50)})
    config = NoiseConfig(
        columns={
            "a": {"epsilon": 0.3, "sensitivity": 1},
            "b": {"mechanism": "gaussian_analytic", "epsilon": 2, "delta": 1e-6, "sensitivity": 1},
        }
    )
    first, again = add_noise(frame, config, seed=7), add_noise(frame, config, seed=7)
    assert first.frame.equals(again.frame)
    assert not first.frame.equals(add_noise(frame, config, seed=8).frame)
    assert not np.allclose(first.frame["a"], first.frame["b"])
    assert first.epsilon_spent == pytest.approx(2.3) and first.delta_spent == 1e-6
    assert first.frame["c"].equals(frame["c"])


def test_non_numeric_and_unknown_columns_are_refused():
    frame = pd.DataFrame({"c": ["x"]})
    with pytest.raises(DataValidationError, match="column 'c': noise needs numbers"):
        add_noise(frame, NoiseConfig(columns={"c": {"epsilon": 1, "sensitivity": 1}}))
    with pytest.raises(DataValidationError, match="unknown column 'z' in noise.columns"):
        add_noise(frame, NoiseConfig(columns={"z": {"epsilon": 1, "sensitivity": 1}}))
