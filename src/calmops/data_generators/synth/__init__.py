"""Synthesize new rows from a real table (sequential CART, Gaussian copula, GMM, bootstrap).

Every synthesizer follows :class:`~calmops.data_generators.synth.base.Synthesizer`:
``fit(data, target=None)`` then ``sample(n, conditions=None, seed=None)``; they are found by
name in :data:`SYNTHESIZERS` and built with :func:`make_synthesizer`. :func:`synthesize` does
it in one call, with conditions, ``balance`` and per-block synthesis.

- :mod:`.cart` — sequential CART with leaf donors (synthpop's method), the default;
- :mod:`.bootstrap` — real rows resampled, optionally with noise (the baseline);
- :mod:`.blocks` — each block of a block column learned and drawn on its own;
- :mod:`.columns`, :mod:`.encoding` — column kinds, and a table as numbers and back;
- :mod:`.conditions` — exact shares of one column's values;
- :mod:`.leaves` — donor sampling from the leaves of a tree, with kernel smoothing.
"""

from __future__ import annotations

from calmops.data_generators.synth.base import Conditions, Synthesizer
from calmops.data_generators.synth.bootstrap import BootstrapSynthesizer
from calmops.data_generators.synth.cart import CartSynthesizer
from calmops.data_generators.synth.columns import ColumnInfo, TableSchema, infer_schema
from calmops.data_generators.synth.conditions import exact_counts
from calmops.data_generators.synth.gaussian_copula import GaussianCopulaSynthesizer
from calmops.data_generators.synth.gmm import GMMSynthesizer
from calmops.data_generators.synth.marginals import fit_marginal
from calmops.data_generators.synth.registry import (
    DEFAULT_SYNTHESIZER,
    SYNTHESIZERS,
    make_synthesizer,
)
from calmops.data_generators.synth.synthesize import synthesize

__all__ = [
    "DEFAULT_SYNTHESIZER",
    "SYNTHESIZERS",
    "BootstrapSynthesizer",
    "CartSynthesizer",
    "ColumnInfo",
    "Conditions",
    "GMMSynthesizer",
    "GaussianCopulaSynthesizer",
    "Synthesizer",
    "TableSchema",
    "exact_counts",
    "fit_marginal",
    "infer_schema",
    "make_synthesizer",
    "synthesize",
]
