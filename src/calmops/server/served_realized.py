"""Served rows with labels: their realized metrics recorded on the runs that monitored them.

Both ways labels reach served traffic end here: a labels file joined by request id
(``calmops labels NAME FILE --key request_id [--key row]``) and the feedback sent to
``POST /feedback/{pipeline}`` (recorded at the next ``calmops run NAME --served``). Each run
that monitored labelled rows (:mod:`calmops.server.served_runs`) gets its realized metrics
in the store, its report and its listing summary, beside its estimate; the rows no run
covered yet are summed up per model version, with where they wait.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from calmops.server.predictions import META

__all__ = ["feedback_labels", "land_served_labels"]


def land_served_labels(
    ws: Any,
    name: str,
    table: pd.DataFrame,
    keys: list[str],
    target: str,
    shown: str,
    *,
    as_feedback: bool = True,
) -> dict[str, Any]:
    """Join ``table`` (columns ``request_id`` and maybe ``row``, and ``target``) to the
    served log by ``keys`` (the log's names: ``_calmops_request_id``, ``_calmops_row``) and
    record each run's realized metrics; the JSON-ready summary with ``runs``.
    ``as_feedback``: also append the labels to the feedback log (a labels file's are)."""
    from calmops.pipeline.realized import record_realized
    from calmops.server.served_labels import join_served_labels
    from calmops.server.served_runs import placements

    root = ws.paths(name).root
    champion = ws.store.models.aliases(name).get("champion")
    card = {} if champion is None else ws.store.models.get(name, champion).card or {}
    placed = _kept(ws, name, placements(ws.store.runs.ledger(name), root))
    found = join_served_labels(root, table, keys, target, card, placed, as_feedback=as_feedback)
    given = [k.removeprefix(META) for k in keys]
    runs = []
    for match in found.runs:
        duplicates = found.summary["duplicates"]
        section = record_realized(ws, name, match, shown, given, target, duplicates)
        runs.append(
            {
                "run_id": match.run_id,
                "source": ws.store.runs.get(name, match.run_id).source,
                "matched": match.matched,
                "logged": match.logged,
                "model_version": section.model_version,
                "metric": section.metric,
                "metrics": section.metrics,
                "retained": 0,
                "note": None,
            }
        )
    return found.summary | {"runs": runs}


def _kept(ws: Any, name: str, placed: dict) -> dict:
    """The placements, those on runs retention pruned saying so (no run to record on)."""
    from calmops.server.served_runs import Placement

    known = {run.id for run in ws.store.runs.list(name, limit=10_000_000)}
    gone = "run {}, pruned by retention (retention.keep_runs)"
    return {
        log: p if p.run_id is None or p.run_id in known else Placement(None, gone.format(p.run_id))
        for log, p in placed.items()
    }


def feedback_labels(root: Any, target: str) -> pd.DataFrame | None:
    """The feedback sent by request id as a labels table (``request_id``, ``row``, ``target``),
    the newest label of each row; None without any."""
    from calmops.server.traffic import labels_of

    found = labels_of(root)
    if found is None or not len(found):
        return None
    return pd.DataFrame(
        {
            "request_id": found[META + "request_id"].to_numpy(),
            "row": found[META + "row"].to_numpy(),
            target: found[META + "label"].to_numpy(),
        }
    )
