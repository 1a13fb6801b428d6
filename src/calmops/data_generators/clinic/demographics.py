"""Demographics: age, sex and custom columns from scipy.stats distributions.

Age and the custom columns take their values from latent normals of the copula (so they
can be linked to omics columns); sex is drawn on its own. Demographics are recorded at
enrolment and stay the same at every visit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special, stats

from calmops.data_generators.clinic.config import CustomColumn, DemographicsSpec
from calmops.errors import SpecError

__all__ = ["demographic_values", "frozen_distribution"]


def frozen_distribution(name: str, column: CustomColumn) -> Any:
    """The frozen scipy distribution of a custom column, or a SpecError naming the field.

    Examples
    --------
    >>> dist = frozen_distribution("bmi", CustomColumn(distribution="norm", loc=27, scale=4))
    >>> float(dist.mean())
    27.0
    """
    field = f"demographics.custom.{name}"
    factory = getattr(stats, column.distribution, None)
    if not isinstance(factory, stats.rv_continuous | stats.rv_discrete):
        raise SpecError(
            f"{field}.distribution: {column.distribution!r} is not a scipy.stats distribution "
            "(e.g. norm, lognorm, gamma, binom, poisson)"
        )
    params = dict(column.model_extra or {})
    try:
        dist = factory(**params)
        dist.ppf(0.5)
    except (TypeError, ValueError) as error:
        raise SpecError(
            f"{field}: bad parameters {params} for {column.distribution} ({error})"
        ) from None
    if not np.isfinite(dist.ppf(0.5)):
        raise SpecError(f"{field}: parameters {params} give no valid {column.distribution}")
    return dist


def demographic_values(
    spec: DemographicsSpec, latent: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """``{column: values}`` for age, sex and the custom columns of ``n`` patients.

    ``latent`` holds one normal column per numeric demographic: age, then the custom columns
    in spec order.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> values = demographic_values(DemographicsSpec(), rng.standard_normal((5, 1)), rng)
    >>> sorted(values), values["age"].dtype.kind
    (['age', 'sex'], 'i')
    """
    n = latent.shape[0]
    age = np.rint(spec.age.mean + spec.age.sd * latent[:, 0].astype(float))
    values: dict[str, np.ndarray] = {"age": np.maximum(age, 0).astype(np.int32)}
    values["sex"] = np.where(rng.random(n) < spec.male_share, "M", "F").astype(object)
    for i, (name, column) in enumerate(spec.custom.items(), start=1):
        dist = frozen_distribution(name, column)
        u = np.clip(special.ndtr(latent[:, i].astype(float)), 1e-12, 1 - 1e-12)
        drawn = dist.ppf(u)
        is_discrete = isinstance(dist.dist, stats.rv_discrete)
        values[name] = drawn.astype(np.int64) if is_discrete else drawn.astype(np.float32)
    return values
