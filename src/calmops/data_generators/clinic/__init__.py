"""Longitudinal clinical and omics cohorts with the ground truth of every effect.

A cohort spec (:class:`CohortConfig`, a mapping or a YAML file) names the patients
(controls and disease subgroups), their demographics, genes (RNA-Seq counts or microarray
intensities) and proteins, a Gaussian copula with gene modules and demographic links, disease
effects per subgroup, a target, and what changes at which visit (transitions between groups,
effects that start later, module correlation changes). :func:`generate_cohort` draws it
through one seeded ``numpy.random.Generator``; the :class:`Cohort` holds the tables and the
:class:`~calmops.data_generators.DriftRecord` of what changed for whom.

>>> from calmops.data_generators.clinic import generate_cohort
>>> cohort = generate_cohort({"patients": 50, "visits": 3}, seed=0)
>>> cohort.clinical.shape[0], cohort.genes.shape[1], cohort.proteins.shape[1]
(150, 202, 52)
"""

from __future__ import annotations

from calmops.data_generators.clinic.config import CohortConfig, expand_columns
from calmops.data_generators.clinic.copula import CorrelationRepairWarning, nearest_correlation
from calmops.data_generators.clinic.effects import EFFECTS
from calmops.data_generators.clinic.generate import generate_cohort
from calmops.data_generators.clinic.load import load_config
from calmops.data_generators.clinic.output import LAYOUTS, Cohort

__all__ = [
    "EFFECTS",
    "LAYOUTS",
    "Cohort",
    "CohortConfig",
    "CorrelationRepairWarning",
    "expand_columns",
    "generate_cohort",
    "load_config",
    "nearest_correlation",
]
