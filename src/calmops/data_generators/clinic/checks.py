"""Cross-field checks of a cohort spec: names that must exist, sizes that must add up."""

from __future__ import annotations

import re

from calmops.data_generators.clinic.config import CONTROL, CohortConfig, expand_columns
from calmops.data_generators.clinic.demographics import frozen_distribution
from calmops.errors import SpecError

__all__ = ["check_config", "subgroup_sizes"]

RESERVED = {"patient_id", "visit", "date", "age", "sex", "group", "subgroup", "disease"}
_RANGE_NAME = re.compile(r"^[GP]_\d+$")


def check_config(config: CohortConfig) -> None:
    """Raise a SpecError naming the first field that does not fit the rest of the spec."""
    omics = set(config.gene_columns) | set(config.protein_columns)
    for name, column in config.demographics.custom.items():
        if name in RESERVED or _RANGE_NAME.match(name):
            raise SpecError(
                f"demographics.custom.{name}: the name is taken by a generated column; rename it"
            )
        frozen_distribution(name, column)
    numeric_demographics = {"age", *config.demographics.custom}
    modules = _check_unique("modules", [m.name for m in config.modules])
    groups = _check_unique("subgroups", [s.name for s in config.subgroups])
    if CONTROL in groups:
        raise SpecError(f"subgroups: {CONTROL!r} is the name of the control group; rename it")
    for i, module in enumerate(config.modules):
        _check_columns(f"modules[{i}].columns", module.columns, omics)
    for i, link in enumerate(config.links):
        allowed = omics | numeric_demographics
        _check_columns(f"links[{i}].columns", link.columns, allowed)
        _check_columns(f"links[{i}].with", link.with_, allowed)
    for name, effect in config.effects.items():
        _check_columns(f"effects.{name}.columns", effect.columns, omics)
        if effect.from_visit > config.visits:
            raise SpecError(
                f"effects.{name}.from_visit: {effect.from_visit} is after the last visit "
                f"({config.visits})"
            )
    for i, subgroup in enumerate(config.subgroups):
        for effect in subgroup.effects:
            if effect not in config.effects:
                raise SpecError(
                    f"subgroups[{i}].effects: no effect {effect!r}; defined: "
                    f"{', '.join(config.effects) or 'none'}"
                )
    if config.target is not None:
        allowed = omics | numeric_demographics | {"sex", "disease"}
        _check_columns("target.weights", tuple(config.target.weights), allowed)
    _check_visits(config, modules, (CONTROL, *groups))
    subgroup_sizes(config)


def _check_unique(field: str, names: list[str]) -> list[str]:
    seen = set()
    for name in names:
        if name in seen:
            raise SpecError(f"{field}: the name {name!r} is used twice")
        seen.add(name)
    return names


def _check_columns(field: str, columns: tuple[str, ...], allowed: set[str]) -> None:
    if not columns:
        raise SpecError(f"{field}: give at least one column")
    for column in expand_columns(columns):
        if column not in allowed:
            raise SpecError(
                f"{field}: unknown column {column!r} (genes G_0.., proteins P_0.. within the "
                "counts given, numeric demographics, or for a target also sex and disease)"
            )


def _check_visits(config: CohortConfig, modules: list[str], groups: tuple[str, ...]) -> None:
    for i, transition in enumerate(config.transitions):
        where = f"transitions[{i}]"
        if transition.visit > config.visits:
            raise SpecError(
                f"{where}.visit: {transition.visit} is after the last visit ({config.visits})"
            )
        for side, name in (("from", transition.from_), ("to", transition.to)):
            if name not in groups:
                raise SpecError(
                    f"{where}.{side}: no group {name!r}; choose from {', '.join(groups)}"
                )
        if transition.from_ == transition.to:
            raise SpecError(f"{where}: from and to are the same group ({transition.to!r})")
    for i, change in enumerate(config.module_changes):
        if change.visit > config.visits:
            raise SpecError(
                f"module_changes[{i}].visit: {change.visit} is after the last visit "
                f"({config.visits})"
            )
        if change.module not in modules:
            raise SpecError(
                f"module_changes[{i}].module: no module {change.module!r}; defined: "
                f"{', '.join(modules) or 'none'}"
            )


def subgroup_sizes(config: CohortConfig) -> tuple[int, list[int]]:
    """``(controls, [patients per subgroup])`` at the first visit; SpecError if they do not fit.

    Examples
    --------
    >>> config = CohortConfig.model_validate({"patients": 100, "subgroups": [
    ...     {"name": "a", "share": 0.3}, {"name": "b", "count": 5},
    ...     {"name": "c", "remainder": True}]})
    >>> subgroup_sizes(config)
    (50, [15, 5, 30])
    """
    disease = config.patients - round(config.patients * config.control_share)
    controls = config.patients - disease
    if not config.subgroups:
        return controls, []
    total_share = sum(s.share or 0.0 for s in config.subgroups)
    if total_share > 1 + 1e-9:
        raise SpecError(f"subgroups: the shares add up to {total_share:.0%}, more than 100%")
    if sum(s.remainder for s in config.subgroups) > 1:
        raise SpecError("subgroups: only one subgroup can take the remainder")
    sizes = [
        s.count if s.count is not None else round(disease * s.share) if s.share else 0
        for s in config.subgroups
    ]
    left = disease - sum(sizes)
    if left < 0:
        raise SpecError(
            f"subgroups: they ask for {sum(sizes)} patients but there are only {disease} "
            f"disease patients ({config.patients} x {1 - config.control_share:.0%})"
        )
    for i, subgroup in enumerate(config.subgroups):
        if subgroup.remainder:
            sizes[i] = left
            left = 0
    if left:
        raise SpecError(
            f"subgroups: {left} disease patients belong to no subgroup; add one with "
            "remainder: true or adjust the counts and shares"
        )
    for subgroup, size in zip(config.subgroups, sizes, strict=True):
        if size == 0:
            raise SpecError(
                f"subgroups: {subgroup.name!r} gets no patients; raise its size or the number "
                "of disease patients"
            )
    return controls, sizes
