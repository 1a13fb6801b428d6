"""The registries of :mod:`calmops.drift`, filled here explicitly, one line per item.

They live in this module rather than in the package ``__init__`` because
:func:`~calmops.drift.compare` looks tests up by name; the ``__init__`` re-exports them.
To add a test, write its class in its own module (copy ``ks.py``) and add one line below.
"""

from __future__ import annotations

from calmops.drift.anderson import AndersonDarling
from calmops.drift.base import DriftTest
from calmops.drift.chi2 import ChiSquare
from calmops.drift.cvm import CramerVonMises
from calmops.drift.energy import Energy
from calmops.drift.hellinger import Hellinger
from calmops.drift.jensen_shannon import JensenShannon
from calmops.drift.kl import KL
from calmops.drift.ks import KS
from calmops.drift.mann_whitney import MannWhitney
from calmops.drift.multivariate import CLASSIFIER, MMD, MultivariateTest
from calmops.drift.psi import PSI
from calmops.drift.wasserstein import Wasserstein
from calmops.drift.z import ZTest
from calmops.registry import Registry

__all__ = ["MULTIVARIATE", "TESTS"]

TESTS: Registry[DriftTest] = Registry("drift test")
"""Univariate drift tests by name (the spec's ``drift.numeric_test``, ``categorical_test``)."""
TESTS.register(AndersonDarling())
TESTS.register(ChiSquare())
TESTS.register(CramerVonMises())
TESTS.register(Energy())
TESTS.register(Hellinger())
TESTS.register(JensenShannon())
TESTS.register(KL())
TESTS.register(KS())
TESTS.register(MannWhitney())
TESTS.register(PSI())
TESTS.register(Wasserstein())
TESTS.register(ZTest())

MULTIVARIATE: Registry[MultivariateTest] = Registry("multivariate method")
"""Multivariate tests by name (``compare(multivariate=...)``)."""
MULTIVARIATE.register(MMD)
MULTIVARIATE.register(CLASSIFIER)
