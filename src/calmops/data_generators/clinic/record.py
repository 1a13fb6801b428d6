"""The ground truth of a cohort as a :class:`~calmops.data_generators.DriftRecord`.

Rows are those of the wide table (visit-major). ``concept`` is each row's group index
(0 = control, then the subgroups in spec order) and ``concepts`` says what each group is and
which effects apply to it. Events are the changes over visits, each with the patients and
rows it touches: a ``transition`` per configured move (``params.patients`` lists the ids),
an effect starting after the first visit, and a ``correlation`` change of a module.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.data_generators.clinic.config import CohortConfig, expand_columns
from calmops.data_generators.clinic.groups import Membership
from calmops.data_generators.record import DriftEvent, DriftRecord

__all__ = ["cohort_record"]


def cohort_record(
    config: CohortConfig, membership: Membership, patient_ids: np.ndarray, seed: Any
) -> DriftRecord:
    """What changed for whom at which visit, and which effects apply to which group."""
    n, visits = config.patients, config.visits
    events = [_move_event(config, m, patient_ids) for m in membership.moves]
    events += _late_effects(config, membership)
    events += _module_events(config)
    concepts = [{"name": "control", "effects": []}]
    for subgroup in config.subgroups:
        concepts.append({"name": subgroup.name, "effects": list(subgroup.effects)})
    source = {
        "generator": "clinic",
        "seed": seed,
        "patients": n,
        "visits": visits,
        "rows": "visit-major: row (visit - 1) * patients + i is patient i at that visit",
        "effects": {
            name: {**e.model_dump(mode="json"), "columns": expand_columns(e.columns)}
            for name, e in config.effects.items()
        },
        "group_sizes": {
            f"visit_{v}": {
                name: int(np.sum(membership.at(v) == g)) for g, name in enumerate(membership.names)
            }
            for v in range(1, visits + 1)
        },
        "config": config.model_dump(mode="json", by_alias=True),
    }
    return DriftRecord(
        n_rows=n * visits,
        events=tuple(events),
        weight=np.maximum.reduce([e.weight for e in events]) if events else np.zeros(n * visits),
        concept=membership.groups.reshape(-1).astype(np.int64),
        concepts=tuple(concepts),
        source=source,
    )


def _rows(config: CohortConfig, patients: np.ndarray, first_visit: int) -> np.ndarray:
    weight = np.zeros(config.patients * config.visits)
    for visit in range(first_visit, config.visits + 1):
        weight[(visit - 1) * config.patients + patients] = 1.0
    return weight


def _columns_of(config: CohortConfig, group: str) -> list[str]:
    effects = next((s.effects for s in config.subgroups if s.name == group), ())
    return list(
        dict.fromkeys(c for e in effects for c in expand_columns(config.effects[e].columns))
    )


def _move_event(config: CohortConfig, move: Any, patient_ids: np.ndarray) -> DriftEvent:
    columns = list(
        dict.fromkeys(_columns_of(config, move.source) + _columns_of(config, move.target))
    )
    if config.target is not None:
        columns.append(config.target.name)
    return DriftEvent.from_weight(
        "concept" if config.target is not None else "covariate",
        "transition",
        columns,
        _rows(config, move.patients, move.visit),
        {
            "transition": move.index,
            "visit": move.visit,
            "from": move.source,
            "to": move.target,
            "patients": patient_ids[move.patients].tolist(),
        },
    )


def _late_effects(config: CohortConfig, membership: Membership) -> list[DriftEvent]:
    events = []
    for g, subgroup in enumerate(config.subgroups, start=1):
        for name in subgroup.effects:
            effect = config.effects[name]
            if effect.from_visit == 1:
                continue
            weight = (membership.groups == g).astype(float).reshape(-1)
            weight[: (effect.from_visit - 1) * config.patients] = 0.0
            events.append(
                DriftEvent.from_weight(
                    "covariate",
                    effect.kind,
                    expand_columns(effect.columns),
                    weight,
                    {
                        "effect": name,
                        "subgroup": subgroup.name,
                        "visit": effect.from_visit,
                        "value": effect.value,
                    },
                )
            )
    return events


def _module_events(config: CohortConfig) -> list[DriftEvent]:
    events = []
    current = {m.name: m.correlation for m in config.modules}
    columns = {m.name: expand_columns(m.columns) for m in config.modules}
    for change in sorted(config.module_changes, key=lambda c: c.visit):
        weight = np.zeros(config.patients * config.visits)
        weight[(change.visit - 1) * config.patients :] = 1.0
        events.append(
            DriftEvent.from_weight(
                "covariate",
                "correlation",
                columns[change.module],
                weight,
                {
                    "module": change.module,
                    "visit": change.visit,
                    "from_correlation": current[change.module],
                    "to_correlation": change.correlation,
                },
            )
        )
        current[change.module] = change.correlation
    return events
