"""Synthetic drifting streams and drift injection, each with its ground truth.

Every entry point returns a :class:`Generated` (``data, record = ...``): the table and a
:class:`DriftRecord` saying what changed, where and how much. Generators, operations and
profiles are found by name in :data:`GENERATORS`, :data:`OPERATIONS` and :data:`PROFILES`,
filled explicitly in :mod:`calmops.data_generators.registry` (one line each); :func:`catalog`
lists them with their parameters.

**Streams.** A generator is one concept (SEA, Agrawal, Hyperplane, STAGGER, Sine, Mixed,
RandomRBF, RandomTree, Friedman, LED, Waveform; river's parameter names and labelling
functions). A :class:`ConceptSchedule` composes concepts over time with abrupt, gradual,
incremental and recurrent transitions:

>>> from calmops.data_generators import generate_stream, gradual
>>> data, record = generate_stream("agrawal", 2000, seed=7, schedule=gradual(1000, 200))
>>> data.shape, record.events[0].onset_row, record.events[0].end_row
((2000, 10), 900, 1100)
>>> record.concepts[1]["classification_function"], record.concept[[0, 1999]].tolist()
(1, [0, 1])

**Injection.** :func:`inject` changes the rows a selector picks, with a profile, in any
DataFrame; records compose:

>>> from calmops.data_generators import RowRange, inject
>>> data, record = inject(data, "missing", columns="salary", rate=0.1,
...                       selector=RowRange(1500), seed=1, record=record)
>>> int(data["salary"].isna().sum()), [e.operation for e in record.events]
(50, ['gradual', 'missing'])

**Dynamics.** ``trend``, ``seasonality``, ``random_walk`` and ``level_steps`` move features
along a time column, a block column or row order; ``target_formula`` builds the label from
a safe formula over columns, so the drift of an input reaches the target in a known way:

>>> import numpy as np, pandas as pd
>>> df = pd.DataFrame({"x0": np.zeros(4), "x1": [1.0, -1.0, 1.0, -1.0]})
>>> df, rec = inject(df, "trend", columns="x0", slope=0.5, seed=0)
>>> df, rec = inject(df, "target_formula", formula="x0 + x1 > 0", seed=0, record=rec)
>>> df["target"].tolist(), rec.events[1].params["inputs"]
([1, 0, 1, 1], ['x0', 'x1'])

**Synthesis.** :func:`synthesize` learns a real table and draws a new one like it (sequential
CART by default; see :mod:`calmops.data_generators.synth`), with exact conditions on a column
and per-block synthesis; imported on first use, with pandas and scikit-learn.

**Clinical cohorts.** :func:`generate_cohort` draws a longitudinal clinical/omics cohort
(see :mod:`calmops.data_generators.clinic`), its tables and its ground truth; imported on
first use, with scipy.

Nothing is written to disk unless asked (``record.to_json(path)``, or the
``calmops generate`` commands).
"""

from __future__ import annotations

import importlib
from typing import Any

from calmops.data_generators.catalog import catalog
from calmops.data_generators.generate import generate_stream, make_generator
from calmops.data_generators.inject.base import Operation
from calmops.data_generators.inject.injector import Injection, inject, inject_all
from calmops.data_generators.inject.profiles import (
    Cosine,
    Linear,
    Recurrent,
    Sigmoid,
    Step,
    StrengthProfile,
    deprecated_alias,
)
from calmops.data_generators.inject.registry import OPERATIONS, PROFILES
from calmops.data_generators.inject.selectors import (
    AllRows,
    BlockSet,
    RowRange,
    Selector,
    TimeRange,
    Where,
)
from calmops.data_generators.record import DriftEvent, DriftRecord, Generated
from calmops.data_generators.registry import GENERATORS
from calmops.data_generators.streams.agrawal import Agrawal
from calmops.data_generators.streams.base import Sample, StreamGenerator
from calmops.data_generators.streams.friedman import Friedman
from calmops.data_generators.streams.hyperplane import Hyperplane
from calmops.data_generators.streams.led import LED
from calmops.data_generators.streams.mixed import Mixed
from calmops.data_generators.streams.options import Blocks, Timestamps
from calmops.data_generators.streams.random_tree import RandomTree
from calmops.data_generators.streams.rbf import RandomRBF
from calmops.data_generators.streams.schedule import (
    ConceptSchedule,
    Transition,
    abrupt,
    gradual,
    incremental,
    recurrent,
)
from calmops.data_generators.streams.sea import SEA
from calmops.data_generators.streams.sine import Sine
from calmops.data_generators.streams.stagger import STAGGER
from calmops.data_generators.streams.waveform import Waveform

# names imported on first use (they bring pandas and scikit-learn): name -> module
_LAZY: dict[str, str] = {
    "SYNTHESIZERS": "calmops.data_generators.synth",
    "make_synthesizer": "calmops.data_generators.synth",
    "synthesize": "calmops.data_generators.synth",
    "Cohort": "calmops.data_generators.clinic",
    "CohortConfig": "calmops.data_generators.clinic",
    "generate_cohort": "calmops.data_generators.clinic",
    "EvaluationReport": "calmops.data_generators.evaluation",
    "evaluate": "calmops.data_generators.evaluation",
}

__all__ = [
    "GENERATORS",
    "SYNTHESIZERS",
    "make_synthesizer",
    "synthesize",
    "AllRows",
    "BlockSet",
    "Cosine",
    "EvaluationReport",
    "Injection",
    "Linear",
    "Operation",
    "Recurrent",
    "RowRange",
    "Selector",
    "Sigmoid",
    "Step",
    "StrengthProfile",
    "TimeRange",
    "Where",
    "inject",
    "inject_all",
    "LED",
    "OPERATIONS",
    "PROFILES",
    "SEA",
    "STAGGER",
    "Agrawal",
    "Blocks",
    "Cohort",
    "CohortConfig",
    "ConceptSchedule",
    "DriftEvent",
    "DriftRecord",
    "Friedman",
    "Generated",
    "Hyperplane",
    "Mixed",
    "RandomRBF",
    "RandomTree",
    "Sample",
    "Sine",
    "StreamGenerator",
    "Timestamps",
    "Transition",
    "Waveform",
    "abrupt",
    "catalog",
    "evaluate",
    "generate_cohort",
    "generate_stream",
    "gradual",
    "incremental",
    "make_generator",
    "recurrent",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        return deprecated_alias(__name__, name)  # Profile, renamed StrengthProfile
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
