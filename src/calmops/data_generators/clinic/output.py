"""A generated cohort: its tables, its ground truth, and how it is written to disk.

The clinical table holds ``patient_id, visit, date``, the demographics, ``group``,
``subgroup`` and the target; the gene and protein tables hold ``patient_id, visit`` and the
omics columns. :meth:`Cohort.wide` joins them on ``(patient_id, visit)`` into one table.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from calmops.atomic import fsync_directory, fsync_tree
from calmops.data_generators.clinic.config import CohortConfig
from calmops.data_generators.record import DriftRecord
from calmops.errors import SpecError

__all__ = ["LAYOUTS", "RECORD_NAME", "Cohort"]

LAYOUTS = ("wide", "tables", "visits")
RECORD_NAME = "drift_record.json"
KEYS = ["patient_id", "visit"]


@dataclass(frozen=True, eq=False)
class Cohort:
    """A cohort: ``clinical``, ``genes`` and ``proteins`` tables and the ``record``.

    Examples
    --------
    >>> from calmops.data_generators import generate_cohort
    >>> cohort = generate_cohort({"patients": 20, "genes": {"count": 3},
    ...                           "proteins": {"count": 2}, "visits": 2}, seed=1)
    >>> cohort.wide().shape, list(cohort.genes.columns)
    ((40, 12), ['patient_id', 'visit', 'G_0', 'G_1', 'G_2'])
    """

    config: CohortConfig
    clinical: pd.DataFrame
    genes: pd.DataFrame
    proteins: pd.DataFrame
    record: DriftRecord
    parameters: dict[str, Any]

    def wide(self) -> pd.DataFrame:
        """One table: keys, date, demographics, group, subgroup, genes, proteins, target."""
        clinical = self.clinical
        target = self.config.target.name if self.config.target is not None else None
        front = clinical.drop(columns=[target]) if target else clinical
        parts = [front, self.genes.iloc[:, 2:], self.proteins.iloc[:, 2:]]
        if target:
            parts.append(clinical[[target]])
        return pd.concat(parts, axis=1)

    def visit(self, number: int) -> pd.DataFrame:
        """The wide table's rows of one visit."""
        n = self.config.patients
        return self.wide().iloc[(number - 1) * n : number * n].reset_index(drop=True)

    def tables(self, layout: str = "wide") -> dict[str, pd.DataFrame]:
        """``{file stem: table}`` for a layout: wide, tables (three) or visits (one per visit)."""
        if layout == "wide":
            return {"cohort": self.wide()}
        if layout == "tables":
            return {"clinical": self.clinical, "genes": self.genes, "proteins": self.proteins}
        if layout == "visits":
            wide = self.wide()
            n, width = self.config.patients, len(str(self.config.visits))
            return {
                f"visit_{v:0{width}d}": wide.iloc[(v - 1) * n : v * n]
                for v in range(1, self.config.visits + 1)
            }
        raise SpecError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")

    def save(
        self,
        folder: str | os.PathLike[str],
        *,
        layout: str = "wide",
        fmt: Literal["csv", "parquet"] = "csv",
        overwrite: bool = False,
    ) -> list[Path]:
        """Write the tables and ``drift_record.json`` into ``folder``; returns the paths.

        Every file is written in full under a staging folder first and only then moved into
        place, so an error leaves nothing half-written. Existing files of the same names are
        refused unless ``overwrite``.
        """
        if fmt not in ("csv", "parquet"):
            raise SpecError(f"format must be csv or parquet; got {fmt!r}")
        tables = self.tables(layout)
        folder = Path(folder)
        names = [f"{stem}.{fmt}" for stem in tables] + [RECORD_NAME]
        taken = [name for name in names if (folder / name).exists()]
        if taken and not overwrite:
            raise SpecError(
                f"{folder} already holds {', '.join(taken)}; use --force (overwrite=True) to "
                "replace them"
            )
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".clinic-", suffix=".staging", dir=folder))
        try:
            for stem, table in tables.items():
                path = staging / f"{stem}.{fmt}"
                if fmt == "parquet":
                    table.to_parquet(path, index=False)
                else:
                    table.to_csv(path, index=False)
            self.record.to_json(staging / RECORD_NAME)
            fsync_tree(staging)
            for name in names:
                os.replace(staging / name, folder / name)
            fsync_directory(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return [folder / name for name in names]
