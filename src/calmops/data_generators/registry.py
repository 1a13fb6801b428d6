"""The registries of this package, filled here explicitly, one line per item.

They live in this module rather than in the package ``__init__`` because the generator, the
injector and the catalog look names up; ``calmops.data_generators`` re-exports them. To add a
generator, write its class in ``streams/<name>.py`` (copy ``sea.py``) and add one
``GENERATORS.register`` line; an injection operation is a function in the ``inject`` module
of its family plus one ``OPERATIONS.register`` line.
"""

from __future__ import annotations

from calmops.data_generators.inject import concept, covariate, label, quality
from calmops.data_generators.inject.base import Operation
from calmops.data_generators.inject.profiles import (
    Cosine,
    Linear,
    Profile,
    Recurrent,
    Sigmoid,
    Step,
)
from calmops.data_generators.streams.agrawal import Agrawal
from calmops.data_generators.streams.base import StreamGenerator
from calmops.data_generators.streams.friedman import Friedman
from calmops.data_generators.streams.hyperplane import Hyperplane
from calmops.data_generators.streams.led import LED
from calmops.data_generators.streams.mixed import Mixed
from calmops.data_generators.streams.random_tree import RandomTree
from calmops.data_generators.streams.rbf import RandomRBF
from calmops.data_generators.streams.sea import SEA
from calmops.data_generators.streams.sine import Sine
from calmops.data_generators.streams.stagger import STAGGER
from calmops.data_generators.streams.waveform import Waveform
from calmops.registry import Registry

__all__ = ["GENERATORS", "OPERATIONS", "PROFILES"]

GENERATORS: Registry[type[StreamGenerator]] = Registry("generator")
"""Stream generator classes by name (``sea``, ``agrawal``, ...)."""
GENERATORS.register(SEA)
GENERATORS.register(Agrawal)
GENERATORS.register(Hyperplane)
GENERATORS.register(STAGGER)
GENERATORS.register(Sine)
GENERATORS.register(Mixed)
GENERATORS.register(RandomRBF)
GENERATORS.register(RandomTree)
GENERATORS.register(Friedman)
GENERATORS.register(LED)
GENERATORS.register(Waveform)

OPERATIONS: Registry[Operation] = Registry("operation")
"""Injection operations by name (their function's name: ``shift``, ``label_flip``, ...)."""
OPERATIONS.register(Operation("covariate", covariate.shift))
OPERATIONS.register(Operation("covariate", covariate.scale))
OPERATIONS.register(Operation("covariate", covariate.gaussian_noise))
OPERATIONS.register(Operation("covariate", covariate.quantile_warp))
OPERATIONS.register(Operation("covariate", covariate.category_prior))
OPERATIONS.register(Operation("covariate", covariate.new_category))
OPERATIONS.register(Operation("covariate", covariate.correlation))
OPERATIONS.register(Operation("label", label.label_flip, "target"))
OPERATIONS.register(Operation("label", label.prior_shift, "target"))
OPERATIONS.register(Operation("concept", concept.relabel, "target"))
OPERATIONS.register(Operation("concept", concept.relabel_function, "target"))
OPERATIONS.register(Operation("quality", quality.missing))
OPERATIONS.register(Operation("quality", quality.outliers))
OPERATIONS.register(Operation("quality", quality.duplicates, "none"))
OPERATIONS.register(Operation("quality", quality.sentinel))
OPERATIONS.register(Operation("quality", quality.drop_column))
OPERATIONS.register(Operation("quality", quality.rename_column))

PROFILES: Registry[type[Profile]] = Registry("profile")
"""Injection profiles by name (``step``, ``linear``, ``sigmoid``, ``cosine``, ``recurrent``)."""
PROFILES.register(Step)
PROFILES.register(Linear)
PROFILES.register(Sigmoid)
PROFILES.register(Cosine)
PROFILES.register(Recurrent)
