"""``generate_cohort``: a longitudinal clinical/omics cohort with its ground truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.data_generators._checks import Seed, as_rng, fresh_seed
from calmops.data_generators.clinic.config import CohortConfig
from calmops.data_generators.clinic.load import load_config
from calmops.data_generators.clinic.output import Cohort
from calmops.data_generators.clinic.record import cohort_record
from calmops.data_generators.clinic.visits import Simulation, simulate

__all__ = ["generate_cohort"]


def generate_cohort(
    config: CohortConfig | dict[str, Any] | str | Path | None = None, *, seed: Seed = None
) -> Cohort:
    """Generate the cohort a spec describes (a :class:`CohortConfig`, mapping or YAML path).

    The same spec and seed give the same cohort, bit for bit; without a seed a fresh one
    is drawn and kept in ``cohort.record.source["seed"]``.

    Examples
    --------
    >>> cohort = generate_cohort({
    ...     "patients": 200, "visits": 2, "genes": {"count": 20}, "proteins": {"count": 5},
    ...     "subgroups": [{"name": "fast", "share": 0.5, "effects": ["up"]},
    ...                   {"name": "slow", "remainder": True}],
    ...     "effects": {"up": {"kind": "fold_change", "columns": ["G_0..G_4"], "value": 4}},
    ...     "transitions": [{"visit": 2, "from": "control", "to": "fast", "count": 10}],
    ... }, seed=3)
    >>> cohort.clinical.groupby("visit")["subgroup"].value_counts().loc[2].to_dict()
    {'control': 90, 'fast': 60, 'slow': 50}
    >>> [(e.operation, e.params["visit"], len(e.params["patients"])) for e in cohort.record.events]
    [('transition', 2, 10)]
    """
    config = load_config(config)
    seed = fresh_seed(seed) if not isinstance(seed, np.random.Generator) else seed
    simulation = simulate(config, as_rng(seed))
    ids = _patient_ids(config.patients)
    record_seed = seed if not isinstance(seed, np.random.Generator) else "generator"
    return Cohort(
        config=config,
        clinical=_clinical(config, simulation, ids),
        genes=_omics_table(config, simulation, ids, config.gene_columns, 0),
        proteins=_omics_table(config, simulation, ids, config.protein_columns, config.genes.count),
        record=cohort_record(config, simulation.membership, ids, record_seed),
        parameters=simulation.marginals.to_dict(),
    )


def _patient_ids(n: int) -> np.ndarray:
    width = max(4, len(str(n)))
    return np.array([f"PAT_{i + 1:0{width}d}" for i in range(n)], dtype=object)


def _keys(config: CohortConfig, ids: np.ndarray) -> dict[str, np.ndarray]:
    n, visits = config.patients, config.visits
    return {
        "patient_id": np.tile(ids, visits),
        "visit": np.repeat(np.arange(1, visits + 1, dtype=np.int16), n),
    }


def _clinical(config: CohortConfig, sim: Simulation, ids: np.ndarray) -> pd.DataFrame:
    n, visits = config.patients, config.visits
    columns = _keys(config, ids)
    dates = [
        np.datetime64(config.start_date + dt.timedelta(days=config.visit_interval_days * v))
        for v in range(visits)
    ]
    columns["date"] = np.repeat(np.array(dates, dtype="datetime64[ns]"), n)
    for name, values in sim.demographics.items():
        columns[name] = np.tile(values, visits)
    groups = sim.membership.groups.reshape(-1)
    names = np.array(sim.membership.names, dtype=object)
    columns["group"] = np.where(groups == 0, "control", "disease").astype(object)
    columns["subgroup"] = names[groups]
    if config.target is not None:
        columns[config.target.name] = sim.target
    return pd.DataFrame(columns)


def _omics_table(
    config: CohortConfig, sim: Simulation, ids: np.ndarray, names: list[str], start: int
) -> pd.DataFrame:
    values = sim.omics[start : start + len(names)]  # columns x rows: pandas' own layout
    if start == 0 and config.genes.kind == "rnaseq":
        values = values.astype(np.int32)
    keys = pd.DataFrame(_keys(config, ids))
    omics = pd.DataFrame(values.T, columns=names, copy=False)
    return pd.concat([keys, omics], axis=1)
