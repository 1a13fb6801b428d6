"""Labels that arrive after their batch ran: join them to the runs' prediction logs.

``calmops labels NAME FILE --key id`` reads a table of keys and labels, finds each key in the
prediction logs of the pipeline's succeeded runs (``calmops.pipeline.run_log``), and for
every run with matches computes the realized metrics of the champion's logged predictions
(with the probabilities logged beside them). Keys are compared as text, so ``17``, ``17.0``
and ``"17"`` agree. A key given twice in the labels file counts once (the last label wins);
a key logged by several runs labels each of them. Runs that had their labels (a labelled
batch, or one run by ``calmops labels --run``) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.models.metrics import Proba, scores
from calmops.pipeline.run_log import PREDICTION, PROBA, ROW, is_labelled

__all__ = ["LABEL", "LabelsJoin", "RunMatch", "join_labels", "key_text", "realized_metrics"]

LABEL = "_calmops_label"
EXAMPLES = 5


@dataclass(frozen=True)
class RunMatch:
    """The labelled rows of one run: its log joined with the labels (``LABEL`` column)."""

    run_id: str
    logged: int
    rows: pd.DataFrame = field(repr=False)

    @property
    def matched(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class LabelsJoin:
    """How a labels file met the logs: per run, and what matched nothing."""

    labels: int  # labelled keys read (after removing duplicates)
    duplicates: int
    matched: int  # labels that matched at least one logged row
    unmatched_examples: list[dict[str, Any]]
    logged_examples: list[dict[str, Any]]  # keys as the logs hold them (for the error)
    runs: list[RunMatch]

    @property
    def unmatched(self) -> int:
        return self.labels - self.matched


def key_text(values: pd.Series) -> pd.Series:
    """Key values as text, so that a key read as a number matches one logged as text.

    >>> key_text(pd.Series([17, 18.0, None])).tolist()
    ['17', '18', None]
    >>> key_text(pd.Series(["C-1", 2])).tolist()
    ['C-1', '2']
    """
    if pd.api.types.is_bool_dtype(values):
        values = values.map({True: "true", False: "false"})
    elif pd.api.types.is_float_dtype(values):
        finite = values.dropna()
        if (finite == np.floor(finite)).all():
            values = values.astype("Int64")
    elif values.dtype == object and values.map(type).eq(float).any():
        values = values.map(_text)
    text = values.astype("string").astype(object)
    return text.where(text.notna(), None)


def _text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def join_labels(
    labels: pd.DataFrame, keys: list[str], target: str, logs: dict[str, Path]
) -> LabelsJoin:
    """Join ``labels`` (columns ``keys`` and ``target``) to the run logs, by run id."""
    import pyarrow.parquet as pq

    table = pd.DataFrame({k: key_text(labels[k]) for k in keys})
    table[LABEL] = labels[target].to_numpy()
    table = table.dropna(subset=[*keys, LABEL])
    before = len(table)
    table = table.drop_duplicates(keys, keep="last").reset_index(drop=True)
    seen = np.zeros(len(table), dtype=bool)
    table["_calmops_label_index"] = np.arange(len(table))
    runs, logged_examples = [], []
    for run_id, path in logs.items():
        present = set(pq.read_schema(path).names)
        if not set(keys) <= present or is_labelled(path):
            continue
        log = pd.read_parquet(path)
        for k in keys:
            log[k] = key_text(log[k])
        if len(logged_examples) < EXAMPLES:
            logged_examples += log[keys].head(EXAMPLES - len(logged_examples)).to_dict("records")
        joined = log.merge(table, on=keys, how="inner")
        if len(joined):
            seen[joined["_calmops_label_index"].to_numpy()] = True
            rows = joined.drop(columns="_calmops_label_index").sort_values(ROW)
            runs.append(RunMatch(run_id, len(log), rows.reset_index(drop=True)))
    unmatched = table.loc[~seen, keys].head(EXAMPLES).to_dict("records")
    return LabelsJoin(
        len(table), before - len(table), int(seen.sum()), unmatched, logged_examples, runs
    )


def realized_metrics(rows: pd.DataFrame, task: str, positive: Any = None) -> dict[str, float]:
    """Every metric of ``task`` on joined rows: the logged prediction against the label
    (with the logged probabilities when there are; the positive class's column when binary).
    """
    truth, predicted = rows[LABEL].to_numpy(), rows[PREDICTION].to_numpy()
    if task == "regression":
        return scores(truth.astype(float), predicted.astype(float), task)
    if truth.dtype.kind != predicted.dtype.kind or truth.dtype == object:
        truth, predicted = truth.astype(str), predicted.astype(str)
        positive = None if positive is None else str(positive)
    return scores(truth, predicted, task, proba=_proba(rows, truth, positive), positive=positive)


def _proba(rows: pd.DataFrame, truth: np.ndarray, positive: Any) -> Proba | None:
    per_class = [c for c in rows.columns if str(c).startswith(PROBA + ":")]
    if per_class:
        classes = np.array([c.split(":", 1)[1] for c in per_class], dtype=object)
        if truth.dtype.kind != "U":
            try:
                classes = classes.astype(truth.dtype)
            except (TypeError, ValueError):
                return None
        return Proba(rows[per_class].to_numpy(dtype=float), classes.astype(truth.dtype))
    if PROBA not in rows.columns or positive is None:
        return None
    others = [c for c in np.unique(np.concatenate([truth, rows[PREDICTION].to_numpy()]))]
    negative = next((c for c in others if str(c) != str(positive)), None)
    if negative is None or len(others) > 2:
        return None
    p = rows[PROBA].to_numpy(dtype=float)
    return Proba(np.column_stack([1 - p, p]), np.array([negative, positive], dtype=truth.dtype))
