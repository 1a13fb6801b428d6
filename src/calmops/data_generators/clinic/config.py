"""The cohort spec: pydantic models, loadable from a mapping or a YAML file.

Column names are fixed by the spec: genes ``G_0..G_{n-1}``, proteins ``P_0..P_{n-1}``,
demographics ``age``, ``sex`` and the custom columns. Wherever a list of columns is asked
for, ``"G_0..G_19"`` stands for the twenty genes ``G_0`` to ``G_19`` (inclusive).
:func:`~calmops.data_generators.clinic.load.load_config` validates a spec and runs the
cross-field checks (unknown columns, shares over 100%, an empty subgroup...); every problem is
a :class:`~calmops.errors.SpecError` whose message names the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from calmops.errors import SpecError

__all__ = [
    "CohortConfig",
    "EffectSpec",
    "LinkSpec",
    "ModuleChangeSpec",
    "ModuleSpec",
    "SubgroupSpec",
    "TargetSpec",
    "TransitionSpec",
    "expand_columns",
]

CONTROL = "control"
EFFECT_KINDS = ("additive_shift", "fold_change", "variance_scale", "power", "log", "sigmoid")
_RANGE = re.compile(r"^([A-Za-z]+_)(\d+)\.\.([A-Za-z]+_)(\d+)$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AgeSpec(_Spec):
    mean: float = Field(60.0, description="Mean age at enrolment (years).")
    sd: float = Field(12.0, gt=0, description="Standard deviation of the age.")


class CustomColumn(_Spec):
    """A demographic column drawn from a scipy.stats distribution, e.g. ``norm``."""

    model_config = ConfigDict(extra="allow", frozen=True)
    distribution: str = Field(description="scipy.stats name: norm, gamma, binom, poisson...")


class DemographicsSpec(_Spec):
    age: AgeSpec = Field(default_factory=AgeSpec)
    male_share: float = Field(0.52, ge=0, le=1, description="Share of patients with sex M.")
    custom: dict[str, CustomColumn] = Field(
        default_factory=dict, description="Extra columns: {name: {distribution, **params}}."
    )


class GeneSpec(_Spec):
    count: int = Field(200, ge=0, description="Number of genes G_0..G_{count-1}.")
    kind: Literal["rnaseq", "microarray"] = Field("rnaseq", description="Counts or intensities.")
    mean_log: float = Field(4.382, description="RNA-Seq: log of the typical mean count (ln 80).")
    mean_log_sd: float = Field(1.5, ge=0, description="RNA-Seq: spread of the log means.")
    dispersion: tuple[float, float] = Field(
        (0.1, 1.0), description="RNA-Seq: dispersion range (variance = mu + d mu^2)."
    )
    loc_mean: float = Field(7.0, description="Microarray: mean of the per-gene means.")
    loc_sd: float = Field(1.0, ge=0, description="Microarray: spread of the per-gene means.")
    scale: tuple[float, float] = Field((0.5, 2.0), description="Microarray: per-gene sd range.")


class ProteinSpec(_Spec):
    count: int = Field(50, ge=0, description="Number of proteins P_0..P_{count-1}.")
    log_mean: float = Field(3.0, description="Mean of the per-protein log-scale mu.")
    log_mean_sd: float = Field(0.8, ge=0, description="Spread of the per-protein mu.")
    sigma: tuple[float, float] = Field((0.1, 0.4), description="Range of the log-scale sigma.")


class ModuleSpec(_Spec):
    name: str
    columns: tuple[str, ...] = Field(description="Genes/proteins in the module.")
    correlation: float = Field(ge=-1, le=1, description="Correlation between any two members.")


class LinkSpec(_Spec):
    columns: tuple[str, ...] = Field(description="One side (e.g. [age]).")
    with_: tuple[str, ...] = Field(alias="with", description="The other side (e.g. [G_0..G_9]).")
    correlation: float = Field(ge=-1, le=1)


class SubgroupSpec(_Spec):
    name: str
    count: int | None = Field(None, description="Number of disease patients in the subgroup.")
    share: float | None = Field(None, description="Share of the disease patients (0-1).")
    remainder: bool = Field(False, description="Every disease patient left over.")
    effects: tuple[str, ...] = Field((), description="Names of effects (see `effects`).")

    @model_validator(mode="after")
    def _one_size(self) -> SubgroupSpec:
        given = [self.count is not None, self.share is not None, self.remainder]
        if sum(given) != 1:
            raise ValueError(f"subgroup {self.name!r}: give exactly one of count, share, remainder")
        if self.share is not None and not 0 < self.share <= 1:
            raise ValueError(f"subgroup {self.name!r}: share must be in (0, 1], got {self.share}")
        if self.count is not None and self.count < 1:
            raise ValueError(f"subgroup {self.name!r}: count must be >= 1, got {self.count}")
        return self


class EffectSpec(_Spec):
    kind: Literal[EFFECT_KINDS]  # type: ignore[valid-type]
    columns: tuple[str, ...]
    value: float = Field(1.0, description="Shift, fold, variance factor, power or log epsilon.")
    k: float = Field(1.0, description="sigmoid: steepness.")
    x0: float = Field(0.0, description="sigmoid: midpoint.")
    scale: float = Field(1.0, description="sigmoid: upper asymptote.")
    from_visit: int = Field(1, ge=1, description="First visit the effect applies at.")


class TargetSpec(_Spec):
    name: str = "diagnosis"
    weights: dict[str, float] = Field(description="Column -> weight on its z-score.")
    noise_sd: float = Field(0.1, ge=0)
    threshold: float | None = Field(None, description="Make it 0/1: 1 where the score > this.")


class TransitionSpec(_Spec):
    visit: int = Field(ge=2, description="Visit from which the patients are in `to`.")
    from_: str = Field(alias="from", description="control or a subgroup name.")
    to: str = Field(description="control or a subgroup name.")
    count: int | None = Field(None, ge=1)
    share: float | None = Field(None, gt=0, le=1, description="Share of `from` at that visit.")

    @model_validator(mode="after")
    def _one_size(self) -> TransitionSpec:
        if (self.count is None) == (self.share is None):
            raise ValueError("a transition needs exactly one of count, share")
        return self


class ModuleChangeSpec(_Spec):
    visit: int = Field(ge=2)
    module: str
    correlation: float = Field(ge=-1, le=1)


class CohortConfig(_Spec):
    """A cohort: patients, demographics, omics, correlation, effects, target and visits.

    Examples
    --------
    >>> config = CohortConfig.model_validate({"patients": 100, "genes": {"count": 10}})
    >>> config.patients, config.visits, config.genes.kind
    (100, 1, 'rnaseq')
    """

    patients: int = Field(500, ge=1, description="Number of patients.")
    visits: int = Field(1, ge=1, description="Visits per patient (the same patients each time).")
    control_share: float = Field(0.5, ge=0, le=1, description="Share of control patients.")
    start_date: dt.date = Field(dt.date(2024, 1, 1), description="Date of the first visit.")
    visit_interval_days: int = Field(180, ge=1, description="Days between visits.")
    stability: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Correlation of a patient's latent omics between visits (1: identical "
        "values at every visit; the default 0.8 is a typical test-retest correlation).",
    )
    demographics: DemographicsSpec = Field(default_factory=DemographicsSpec)
    genes: GeneSpec = Field(default_factory=GeneSpec)
    proteins: ProteinSpec = Field(default_factory=ProteinSpec)
    modules: tuple[ModuleSpec, ...] = ()
    links: tuple[LinkSpec, ...] = ()
    subgroups: tuple[SubgroupSpec, ...] = ()
    effects: dict[str, EffectSpec] = Field(default_factory=dict)
    target: TargetSpec | None = None
    transitions: tuple[TransitionSpec, ...] = ()
    module_changes: tuple[ModuleChangeSpec, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _default_subgroup(cls, data: Any) -> Any:
        """Disease patients without named subgroups form one subgroup, ``disease``."""
        if isinstance(data, dict) and not data.get("subgroups"):
            share = data.get("control_share", 0.5)
            if isinstance(share, int | float) and share < 1:
                data = {**data, "subgroups": [{"name": "disease", "remainder": True}]}
        return data

    @property
    def demographic_columns(self) -> tuple[str, ...]:
        return ("age", "sex", *self.demographics.custom)

    @property
    def gene_columns(self) -> list[str]:
        return [f"G_{i}" for i in range(self.genes.count)]

    @property
    def protein_columns(self) -> list[str]:
        return [f"P_{i}" for i in range(self.proteins.count)]

    @property
    def group_names(self) -> tuple[str, ...]:
        """``control`` then every subgroup (the index is the row's concept id)."""
        return (CONTROL, *(s.name for s in self.subgroups))


def expand_columns(columns: tuple[str, ...] | list[str]) -> list[str]:
    """Columns with every ``"G_0..G_19"`` range written out.

    Examples
    --------
    >>> expand_columns(["age", "G_2..G_4"])
    ['age', 'G_2', 'G_3', 'G_4']
    """
    out: list[str] = []
    for column in columns:
        match = _RANGE.match(column)
        if match is None:
            out.append(column)
            continue
        prefix, start, prefix_end, stop = match.groups()
        if prefix != prefix_end or int(stop) < int(start):
            raise SpecError(f"bad column range {column!r}; write it like G_0..G_19")
        out += [f"{prefix}{i}" for i in range(int(start), int(stop) + 1)]
    return out
