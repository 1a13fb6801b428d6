"""The registries of drift injection, filled here explicitly, one line per item.

They live in this module rather than in the package ``__init__`` because the injector and
the catalog look names up; ``calmops.data_generators`` re-exports them. An operation is a
function in the module of its family (``covariate``, ``label``, ``concept``, ``quality``,
``dynamics``, ``target``) plus one ``OPERATIONS.register`` line, whose kind says what
drifts (the dynamics move features: covariate; ``target_formula`` sets the label: concept);
a profile is a class in ``profiles.py`` plus one ``PROFILES.register`` line.
"""

from __future__ import annotations

from calmops.data_generators.inject import concept, covariate, dynamics, label, quality, target
from calmops.data_generators.inject.base import Operation
from calmops.data_generators.inject.profiles import (
    Cosine,
    Linear,
    Recurrent,
    Sigmoid,
    Step,
    StrengthProfile,
)
from calmops.registry import Registry

__all__ = ["OPERATIONS", "PROFILES"]

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
OPERATIONS.register(Operation("covariate", dynamics.trend))
OPERATIONS.register(Operation("covariate", dynamics.seasonality))
OPERATIONS.register(Operation("covariate", dynamics.random_walk))
OPERATIONS.register(Operation("covariate", dynamics.level_steps))
OPERATIONS.register(Operation("concept", target.target_formula, "output"))

PROFILES: Registry[type[StrengthProfile]] = Registry("profile")
"""Injection profiles by name (``step``, ``linear``, ``sigmoid``, ``cosine``, ``recurrent``)."""
PROFILES.register(Step)
PROFILES.register(Linear)
PROFILES.register(Sigmoid)
PROFILES.register(Cosine)
PROFILES.register(Recurrent)
