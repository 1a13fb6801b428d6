"""Runs and the processed-file ledger in SQL; ``finish`` commits a whole run at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from calmops.errors import RunNotFoundError, RunTakenOverError
from calmops.store.entities import (
    FileKey,
    LedgerEntry,
    MetricRow,
    RunOutcome,
    RunRecord,
    claims,
    utcnow,
)
from calmops.store.sql import tables as t
from calmops.store.sql.common import aware, pipeline_id
from calmops.store.sql.models import insert_version, move_aliases
from calmops.store.sql.retention import delete_runs, prunable
from calmops.store.sql.session import transaction
from calmops.store.sql.state import write_breaker, write_detector

_SUMMARY_COLUMNS = [c for c in t.runs.c if c.name != "report"]


class SqlRuns:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def begin(self, run: RunRecord, file: FileKey | Sequence[FileKey] | None = None) -> bool:
        files = claims(file)
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, run.pipeline)
            if any(_settled(connection, owner, each) for each in files):
                return False
            for each in files:
                _claim(connection, owner, run, each)
            connection.execute(t.runs.insert().values(pipeline_id=owner, **_values(run)))
        return True

    def finish(self, outcome: RunOutcome) -> None:
        run = outcome.run
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, run.pipeline)
            running = (t.runs.c.id == run.id) & (t.runs.c.status == "running")
            updated = connection.execute(t.runs.update().where(running).values(**_values(run)))
            if updated.rowcount == 0:  # gone, or settled by a run that took its file over
                exists = sa.select(t.runs.c.id).where(t.runs.c.id == run.id)
                if connection.execute(exists).first() is not None:
                    raise RunTakenOverError(run.pipeline, run.id)
                raise RunNotFoundError(run.pipeline, run.id)
            if outcome.file_status is not None:
                connection.execute(
                    t.processed_files.update()
                    .where(t.processed_files.c.run_id == run.id)
                    .values(status=outcome.file_status, error=run.error, processed_at=utcnow())
                )
            if outcome.metrics:
                connection.execute(
                    t.metrics.insert(), [{"run_id": run.id, **asdict(m)} for m in outcome.metrics]
                )
            if outcome.drift:
                connection.execute(
                    t.drift_results.insert(),
                    [{"run_id": run.id, **asdict(d)} for d in outcome.drift],
                )
            for version in outcome.new_versions:
                insert_version(connection, owner, version)
            if outcome.aliases:
                move_aliases(connection, owner, run.pipeline, outcome.aliases, outcome.alias_reason)
            if outcome.breaker is not None:
                write_breaker(connection, owner, outcome.breaker)
            if outcome.detector_state is not None:
                write_detector(connection, owner, outcome.detector_state)

    def amend(
        self,
        pipeline: str,
        run_id: str,
        metrics: Sequence[MetricRow],
        report: dict,
        summary: dict | None = None,
    ) -> None:
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, pipeline)
            where = (t.runs.c.id == run_id) & (t.runs.c.pipeline_id == owner)
            values = {"report": report} | ({"summary": summary} if summary is not None else {})
            updated = connection.execute(t.runs.update().where(where).values(**values))
            if updated.rowcount == 0:
                raise RunNotFoundError(pipeline, run_id)
            scopes = {m.scope for m in metrics}
            connection.execute(
                t.metrics.delete().where(
                    (t.metrics.c.run_id == run_id) & t.metrics.c.scope.in_(scopes)
                )
            )
            if metrics:
                connection.execute(
                    t.metrics.insert(), [{"run_id": run_id, **asdict(m)} for m in metrics]
                )

    def get(self, pipeline: str, run_id: str) -> RunRecord:
        with transaction(self._engine) as connection:
            owner = pipeline_id(connection, pipeline)
            row = connection.execute(
                sa.select(t.runs).where((t.runs.c.id == run_id) & (t.runs.c.pipeline_id == owner))
            ).first()
        if row is None:
            raise RunNotFoundError(pipeline, run_id)
        return _run(pipeline, row, row.report)

    def list(self, pipeline: str, *, limit: int = 100) -> list[RunRecord]:
        with transaction(self._engine) as connection:
            rows = connection.execute(
                sa.select(*_SUMMARY_COLUMNS)
                .where(t.runs.c.pipeline_id == pipeline_id(connection, pipeline))
                .order_by(t.runs.c.started_at.desc(), t.runs.c.id.desc())
                .limit(limit)
            )
            return [_run(pipeline, row, None) for row in rows]

    def latest(self, pipeline: str) -> RunRecord | None:
        found = self.list(pipeline, limit=1)
        return found[0] if found else None

    def ledger(self, pipeline: str) -> list[LedgerEntry]:
        with transaction(self._engine) as connection:
            rows = connection.execute(
                sa.select(t.processed_files)
                .where(t.processed_files.c.pipeline_id == pipeline_id(connection, pipeline))
                .order_by(t.processed_files.c.processed_at, t.processed_files.c.id)
            )
            return [
                LedgerEntry(
                    pipeline,
                    FileKey(r.path, r.size, r.sha256, r.mtime_ns),
                    r.status,
                    r.run_id,
                    r.error,
                    aware(r.processed_at),
                )
                for r in rows
            ]

    def forget(
        self, pipeline: str, path: str | None = None, *, run_ids: Iterable[str] | None = None
    ) -> list[FileKey]:
        ledger = t.processed_files
        with transaction(self._engine, write=True) as connection:
            where = ledger.c.pipeline_id == pipeline_id(connection, pipeline)
            if run_ids is None:
                where &= ledger.c.status == "failed"
            else:
                where &= ledger.c.run_id.in_(list(run_ids)) & (ledger.c.status != "processing")
            if path is not None:
                where &= t.processed_files.c.path == path
            rows = connection.execute(sa.select(t.processed_files).where(where)).all()
            connection.execute(t.processed_files.delete().where(where))
            return [FileKey(r.path, r.size, r.sha256, r.mtime_ns) for r in rows]

    def prune(
        self,
        pipeline: str,
        *,
        keep: int | None = None,
        before: datetime | None = None,
        limit: int | None = None,
        dry_run: bool = False,
    ) -> list[RunRecord]:
        before = None if before is None else before.astimezone(UTC)
        with transaction(self._engine, write=not dry_run) as connection:
            owner = pipeline_id(connection, pipeline)
            rows = prunable(connection, owner, keep=keep, before=before, limit=limit)
            if rows and not dry_run:
                delete_runs(connection, [row.id for row in rows])
            return [_run(pipeline, row, None) for row in rows]


def _same_content(owner: int, file: FileKey):
    ledger = t.processed_files
    return (
        (ledger.c.pipeline_id == owner)
        & (ledger.c.size == file.size)
        & (ledger.c.sha256 == file.sha256)
    )


def _settled(connection: Connection, owner: int, file: FileKey) -> bool:
    """Whether content like ``file``'s was processed (or failed) before."""
    ledger = t.processed_files
    where = _same_content(owner, file) & (ledger.c.status != "processing")
    return connection.execute(sa.select(ledger.c.id).where(where)).first() is not None


def _claim(connection: Connection, owner: int, run: RunRecord, file: FileKey) -> None:
    """Claim ``file`` (not settled, see ``_settled``) for ``run`` in the ledger."""
    ledger = t.processed_files
    where = _same_content(owner, file) & (ledger.c.path == file.path)
    entry = connection.execute(sa.select(ledger).where(where)).first()
    if entry is not None:  # held by a run that never finished: take it over
        connection.execute(
            t.runs.update()
            .where(t.runs.c.id == entry.run_id)
            .values(
                status="failed",
                finished_at=utcnow(),
                error=f"interrupted before it finished; retried by run {run.id}",
            )
        )
        connection.execute(
            ledger.update().where(where).values(run_id=run.id, processed_at=utcnow())
        )
        return
    connection.execute(
        ledger.insert().values(
            pipeline_id=owner,
            path=file.path,
            size=file.size,
            sha256=file.sha256,
            mtime_ns=file.mtime_ns,
            status="processing",
            run_id=run.id,
            processed_at=utcnow(),
        )
    )


def _values(run: RunRecord) -> dict:
    return {
        "id": run.id,
        "status": run.status,
        "decision": run.decision,
        "source": run.source,
        "error": run.error,
        "model_version": run.model_version,
        "summary": run.summary,
        "report": run.report,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def _run(pipeline: str, row: sa.Row, report: dict | None) -> RunRecord:
    return RunRecord(
        id=row.id,
        pipeline=pipeline,
        status=row.status,
        started_at=aware(row.started_at),
        finished_at=aware(row.finished_at),
        decision=row.decision,
        source=row.source,
        error=row.error,
        model_version=row.model_version,
        summary=row.summary or {},
        report=report,
    )
