"""Run retention in SQL: which old runs may go, and removing them with their rows.

A run may go when it is beyond the newest ``keep`` runs of its pipeline or started before
``before``, unless it is protected (see :func:`calmops.store.base.RunRepo.prune`): running,
trained a registered model version, or still wanted by ``calmops retry`` (failed with its
ledger entry still failed; paused with its ledger entry). The ledger itself is never touched.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from calmops.store.sql import tables as t

__all__ = ["delete_runs", "prunable"]


def prunable(
    connection: Connection,
    owner: int,
    *,
    keep: int | None,
    before: datetime | None,
    limit: int | None,
) -> list[sa.Row]:
    """The runs (summary columns) that may be pruned, oldest first, at most ``limit``."""
    runs = t.runs
    old = _older_than_newest(connection, owner, keep)
    if before is not None:
        by_age = runs.c.started_at < before
        old = by_age if old is None else (old | by_age)
    if old is None:
        return []
    query = (
        sa.select(*[c for c in runs.c if c.name != "report"])
        .where((runs.c.pipeline_id == owner) & old & ~_protected(owner))
        .order_by(runs.c.started_at, runs.c.id)
    )
    return connection.execute(query if limit is None else query.limit(limit)).all()


def delete_runs(connection: Connection, run_ids: list[str]) -> None:
    """Delete these runs with their metric and drift rows (not their ledger entries)."""
    for start in range(0, len(run_ids), 500):  # keeps each IN list short
        chunk = run_ids[start : start + 500]
        connection.execute(t.metrics.delete().where(t.metrics.c.run_id.in_(chunk)))
        connection.execute(t.drift_results.delete().where(t.drift_results.c.run_id.in_(chunk)))
        connection.execute(t.runs.delete().where(t.runs.c.id.in_(chunk)))


def _older_than_newest(connection: Connection, owner: int, keep: int | None):
    """A condition true for the runs older than the newest ``keep`` (None: no count limit)."""
    if keep is None:
        return None
    runs = t.runs
    edge = connection.execute(
        sa.select(runs.c.started_at, runs.c.id)
        .where(runs.c.pipeline_id == owner)
        .order_by(runs.c.started_at.desc(), runs.c.id.desc())
        .offset(keep - 1)
        .limit(1)
    ).first()
    if edge is None:  # keep or fewer runs
        return sa.false()
    return (runs.c.started_at < edge.started_at) | (
        (runs.c.started_at == edge.started_at) & (runs.c.id < edge.id)
    )


def _protected(owner: int):
    """Runs that must stay: running, the training run of a version, retry's material."""
    runs, ledger, versions = t.runs, t.processed_files, t.model_versions
    by = (versions.c.pipeline_id == owner) & (versions.c.run_id == runs.c.id)
    trained = sa.exists().where(by)
    holds = (ledger.c.pipeline_id == owner) & (ledger.c.run_id == runs.c.id)
    failed_file = sa.exists().where(holds & (ledger.c.status == "failed"))
    paused_file = sa.exists().where(holds & (ledger.c.status != "processing"))
    return (
        (runs.c.status == "running")
        | trained
        | ((runs.c.status == "failed") & failed_file)
        | ((sa.func.coalesce(runs.c.decision, "") == "paused") & paused_file)
    )
