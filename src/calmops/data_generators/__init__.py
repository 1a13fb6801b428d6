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

Nothing is written to disk unless asked (``record.to_json(path)``, or the
``calmops generate`` commands).
"""

from __future__ import annotations

from calmops.data_generators.catalog import catalog
from calmops.data_generators.generate import generate_stream, make_generator
from calmops.data_generators.inject.base import Operation
from calmops.data_generators.inject.injector import Injection, inject, inject_all
from calmops.data_generators.inject.profiles import (
    Cosine,
    Linear,
    Profile,
    Recurrent,
    Sigmoid,
    Step,
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

__all__ = [
    "GENERATORS",
    "AllRows",
    "BlockSet",
    "Cosine",
    "Injection",
    "Linear",
    "Operation",
    "Profile",
    "Recurrent",
    "RowRange",
    "Selector",
    "Sigmoid",
    "Step",
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
    "generate_stream",
    "gradual",
    "incremental",
    "make_generator",
    "recurrent",
]
