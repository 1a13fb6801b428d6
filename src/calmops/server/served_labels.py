"""Labels from a file joined to the served-predictions log by request id (and row).

``calmops labels NAME FILE --key request_id [--key row]``: each label finds its served rows
(every row of the request without ``row``); they are appended to the pipeline's feedback log
(as ``POST /feedback`` would, so ``calmops run NAME --served`` sees them) and the realized
metrics of those rows are computed per model version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.server.predictions import META, ParquetLog
from calmops.server.traffic import _read_some

__all__ = ["join_served_labels"]

EXAMPLES = 5


def join_served_labels(
    root: Path, labels: pd.DataFrame, keys: list[str], target: str, card: dict[str, Any]
) -> dict[str, Any]:
    """Join ``labels`` (key columns named as the log's, e.g. ``_calmops_request_id``)."""
    from calmops.pipeline.labels import LABEL, PREDICTION, key_text, realized_metrics

    table = pd.DataFrame({k: key_text(labels[_given(k)]) for k in keys})
    table[LABEL] = labels[target].to_numpy()
    table = table.dropna()
    before = len(table)
    table = table.drop_duplicates(keys, keep="last").reset_index(drop=True)
    table["_index"] = np.arange(len(table))
    folder = root / "predictions"
    files = sorted(folder.glob("*.parquet")) + sorted((folder / "consumed").glob("*.parquet"))
    wanted = [META + "request_id", META + "row", META + "model_version", PREDICTION]
    log = pd.concat([_read_some(p, wanted) for p in files], ignore_index=True) if files else None
    result: dict[str, Any] = {"labels": len(table), "duplicates": before - len(table)}
    if log is None or not set(keys) <= set(log.columns):
        joined = table.iloc[:0]
        result["logged_examples"] = []
    else:
        for k in keys:
            log[k] = key_text(log[k])
        result["logged_examples"] = log[keys].head(EXAMPLES).to_dict("records")
        joined = log.merge(table, on=keys, how="inner")
    seen = np.zeros(len(table), dtype=bool)
    seen[joined["_index"].to_numpy()] = True
    result |= {
        "matched": int(seen.sum()),
        "unmatched": int((~seen).sum()),
        "unmatched_examples": table.loc[~seen, keys].head(EXAMPLES).to_dict("records"),
        "served": {},
    }
    if len(joined):
        _as_feedback(root, joined)
        task = card.get("task", "classification")
        for version, group in joined.groupby(META + "model_version"):
            result["served"][int(version)] = realized_metrics(
                group, task, card.get("positive_label")
            )
    return result


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
