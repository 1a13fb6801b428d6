"""Labels from a file joined to the served-predictions log by request id (and row).

``calmops labels NAME FILE --key request_id [--key row]``: each label finds its served rows
(every row of the request without ``row``); they are appended to the pipeline's feedback log
(as ``POST /feedback`` would, so ``calmops run NAME --served`` sees them). Rows a run
monitored (``calmops run NAME --served``, see :mod:`calmops.server.served_runs`) are handed
back per run, so that run gets its realized metrics beside its estimate; rows no run covered
yet get their realized metrics per model version, with where they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.server.predictions import META, ParquetLog
from calmops.server.served_runs import Placement
from calmops.server.traffic import _read_some

__all__ = ["ServedJoin", "join_served_labels"]

EXAMPLES = 5
LOG = META + "log"  # the log file a row was read from


@dataclass(frozen=True)
class ServedJoin:
    """The join's summary (JSON-ready) and the labelled rows of each run that monitored them."""

    summary: dict[str, Any]
    runs: list[Any] = field(default_factory=list)  # calmops.pipeline.labels.RunMatch


def join_served_labels(
    root: Path,
    labels: pd.DataFrame,
    keys: list[str],
    target: str,
    card: dict[str, Any],
    placed: dict[str, Placement] | None = None,
    *,
    as_feedback: bool = True,
) -> ServedJoin:
    """Join ``labels`` (key columns named as the log's, e.g. ``_calmops_request_id``);
    ``placed``: where each log file's rows went (:func:`calmops.server.served_runs.placements`).
    """
    from calmops.pipeline.labels import LABEL, PREDICTION, key_text

    table = pd.DataFrame({k: key_text(labels[_given(k)]) for k in keys})
    table[LABEL] = labels[target].to_numpy()
    table = table.dropna()
    before = len(table)
    table = table.drop_duplicates(keys, keep="last").reset_index(drop=True)
    table["_index"] = np.arange(len(table))
    folder = root / "predictions"
    files = sorted(folder.glob("*.parquet")) + sorted((folder / "consumed").glob("*.parquet"))
    wanted = [META + "request_id", META + "row", META + "model_version", PREDICTION]
    log = (
        pd.concat([_read_some(p, wanted).assign(**{LOG: p.name}) for p in files], ignore_index=True)
        if files
        else None
    )
    result: dict[str, Any] = {"labels": len(table), "duplicates": before - len(table)}
    if log is None or not set(keys) <= set(log.columns):
        joined = table.iloc[:0]
        result["logged_examples"] = []
    else:
        for k in keys:
            log[k] = key_text(log[k])
        result["logged_examples"] = _examples(log[keys].head(EXAMPLES))
        joined = log.merge(table, on=keys, how="inner")
    seen = np.zeros(len(table), dtype=bool)
    seen[joined["_index"].to_numpy()] = True
    result |= {
        "matched": int(seen.sum()),
        "unmatched": int((~seen).sum()),
        "unmatched_examples": _examples(table.loc[~seen, keys].head(EXAMPLES)),
        "served": {},
        "unmonitored": {"rows": 0, "where": []},
    }
    if not len(joined):
        return ServedJoin(result)
    if as_feedback:
        _as_feedback(root, joined)
    placed = placed or {}
    run_of = joined[LOG].map(lambda name: getattr(placed.get(name), "run_id", None))
    runs = _by_run(joined[run_of.notna().to_numpy()], run_of.dropna(), log)
    rest = joined[run_of.isna().to_numpy()]
    if len(rest):
        where = sorted({placed[n].where if n in placed else "unknown" for n in rest[LOG]})
        result["unmonitored"] = {"rows": len(rest), "where": where}
        result["served"] = _per_version(rest, card)
    return ServedJoin(result, runs)


def _by_run(joined: pd.DataFrame, run_of: pd.Series, log: pd.DataFrame) -> list[Any]:
    """One ``RunMatch`` per run: its labelled rows, and the served rows it monitored."""
    from calmops.pipeline.labels import RunMatch

    logged = log[LOG].value_counts()
    out = []
    for run_id, rows in joined.groupby(run_of.to_numpy(), sort=True):
        files = rows[LOG].unique()
        out.append(RunMatch(str(run_id), int(logged[files].sum()), rows.reset_index(drop=True)))
    return out


def _per_version(rows: pd.DataFrame, card: dict[str, Any]) -> dict[int, dict[str, float]]:
    from calmops.pipeline.labels import realized_metrics

    task = card.get("task", "classification")
    return {
        int(version): realized_metrics(group, task, card.get("positive_label"))
        for version, group in rows.groupby(META + "model_version")
    }


def _examples(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of keys as the user names them (``request_id``, not the log's column)."""
    return rows.rename(columns=_given).to_dict("records")


def _given(key: str) -> str:
    """The labels file's column for a log key (``_calmops_request_id`` -> ``request_id``)."""
    return key.removeprefix(META)


def _as_feedback(root: Path, joined: pd.DataFrame) -> None:
    """Append the joined labels to the feedback log, durably, as request-id feedback."""
    size = len(joined)
    labels = np.empty(size, dtype=object)
    labels[:] = joined["_calmops_label"].tolist()
    book = ParquetLog(root / "feedback")
    book.append(
        {
            META + "request_id": joined[META + "request_id"].to_numpy(dtype=object),
            META + "row": joined[META + "row"].astype("int32").to_numpy(),
            META + "received_at": np.full(size, np.datetime64("now", "us")),
            META + "label": labels,
        }
    )
    (root / "feedback").mkdir(parents=True, exist_ok=True)
    book.flush()
