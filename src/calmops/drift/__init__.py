"""Drift engine: univariate tests, multivariate tests, reference profiles, data quality,
reports and streaming detectors, on numpy and scipy.

>>> import numpy as np, pandas as pd
>>> from calmops.drift import Profile, compare
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=5000), "c": rng.choice(["a", "b", "c"], 5000)})
>>> cur = pd.DataFrame({"x": rng.normal(0.3, size=5000), "c": rng.choice(["a", "b", "c"], 5000)})
>>> report = compare(Profile.fit(ref), cur)
>>> report.drifted, round(report.features["x"].statistic, 2)
(['x'], 0.3)

Tests are registered by name in :data:`TESTS`, filled explicitly in
:mod:`calmops.drift.registry`; to add one, write a class following :class:`DriftTest` in its
own module and add one line there.
"""

from __future__ import annotations

from calmops.drift.base import DriftResult, DriftTest, Verdict
from calmops.drift.compare import compare
from calmops.drift.correction import CORRECTIONS, adjust
from calmops.drift.multivariate import MultivariateTest, classifier_test, mmd_test
from calmops.drift.profile import ColumnProfile, Profile
from calmops.drift.quality import Finding
from calmops.drift.registry import MULTIVARIATE, TESTS
from calmops.drift.report import DriftReport, FeatureDrift, MultivariateResult
from calmops.drift.selection import default_test
from calmops.drift.sides import CategoricalSide, NumericSide
from calmops.registry import Registry

__all__ = [
    "CORRECTIONS",
    "MULTIVARIATE",
    "TESTS",
    "CategoricalSide",
    "ColumnProfile",
    "DriftReport",
    "DriftResult",
    "DriftTest",
    "FeatureDrift",
    "Finding",
    "MultivariateResult",
    "MultivariateTest",
    "NumericSide",
    "Profile",
    "Registry",
    "Verdict",
    "adjust",
    "classifier_test",
    "compare",
    "default_test",
    "get_test",
    "mmd_test",
]


def get_test(name: str) -> DriftTest:
    """The registered test called ``name``.

    Examples
    --------
    >>> get_test("ks").yields
    'p_value'
    >>> get_test("kss")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no drift test 'kss'; choose from ..., z; did you mean 'ks'?
    """
    return TESTS.get(name)
