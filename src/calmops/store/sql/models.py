"""Model versions and aliases (with their audit trail) in SQL."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from calmops.errors import ModelInUseError, ModelVersionNotFoundError
from calmops.store.entities import AliasChange, ModelVersion, utcnow
from calmops.store.sql import tables as t
from calmops.store.sql.common import aware, pipeline_id
from calmops.store.sql.session import transaction


class SqlModels:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, version: ModelVersion) -> None:
        with transaction(self._engine, write=True) as connection:
            insert_version(connection, pipeline_id(connection, version.pipeline), version)

    def versions(self, pipeline: str) -> list[ModelVersion]:
        with transaction(self._engine) as connection:
            owner = pipeline_id(connection, pipeline)
            rows = connection.execute(
                sa.select(t.model_versions)
                .where(t.model_versions.c.pipeline_id == owner)
                .order_by(t.model_versions.c.version)
            )
            return [_version(pipeline, row) for row in rows]

    def get(self, pipeline: str, version: int) -> ModelVersion:
        with transaction(self._engine) as connection:
            owner = pipeline_id(connection, pipeline)
            row = connection.execute(
                sa.select(t.model_versions).where(
                    (t.model_versions.c.pipeline_id == owner)
                    & (t.model_versions.c.version == version)
                )
            ).first()
        if row is None:
            raise ModelVersionNotFoundError(pipeline, version)
        return _version(pipeline, row)

    def aliases(self, pipeline: str) -> dict[str, int]:
        with transaction(self._engine) as connection:
            return read_aliases(connection, pipeline_id(connection, pipeline))

    def set_aliases(
        self, pipeline: str, changes: dict[str, int | None], *, reason: str
    ) -> list[AliasChange]:
        with transaction(self._engine, write=True) as connection:
            return move_aliases(
                connection, pipeline_id(connection, pipeline), pipeline, changes, reason
            )

    def history(self, pipeline: str) -> list[AliasChange]:
        with transaction(self._engine) as connection:
            rows = connection.execute(
                sa.select(t.alias_changes)
                .where(t.alias_changes.c.pipeline_id == pipeline_id(connection, pipeline))
                .order_by(t.alias_changes.c.id)
            )
            return [
                AliasChange(pipeline, r.alias, r.old_version, r.new_version, r.reason, aware(r.at))
                for r in rows
            ]

    def delete(self, pipeline: str, versions: Iterable[int]) -> None:
        chosen = sorted(set(versions))
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, pipeline)
            held = sorted(
                f"{alias} (v{version})"
                for alias, version in read_aliases(connection, owner).items()
                if version in chosen
            )
            if held:
                raise ModelInUseError(
                    f"cannot delete model versions of '{pipeline}' that aliases point to: "
                    + ", ".join(held)
                )
            connection.execute(
                t.model_versions.delete().where(
                    (t.model_versions.c.pipeline_id == owner)
                    & t.model_versions.c.version.in_(chosen)
                )
            )


def insert_version(connection: Connection, owner: int, version: ModelVersion) -> None:
    """Add a model version row (inside the caller's transaction)."""
    connection.execute(
        t.model_versions.insert().values(
            pipeline_id=owner,
            version=version.version,
            path=version.path,
            sha256=version.sha256,
            run_id=version.run_id,
            metrics=version.metrics,
            card=version.card,
            created_at=version.created_at,
        )
    )


def read_aliases(connection: Connection, owner: int) -> dict[str, int]:
    rows = connection.execute(
        sa.select(t.aliases.c.alias, t.aliases.c.version)
        .where(t.aliases.c.pipeline_id == owner)
        .order_by(t.aliases.c.alias)
    )
    return {row.alias: row.version for row in rows}


def move_aliases(
    connection: Connection,
    owner: int,
    pipeline: str,
    changes: dict[str, int | None],
    reason: str,
) -> list[AliasChange]:
    """Point each alias at its version (None removes it) and audit every move."""
    now = utcnow()
    current = read_aliases(connection, owner)
    moves = []
    for alias, version in changes.items():
        if version is not None:
            exists = connection.execute(
                sa.select(t.model_versions.c.id).where(
                    (t.model_versions.c.pipeline_id == owner)
                    & (t.model_versions.c.version == version)
                )
            ).first()
            if exists is None:
                raise ModelVersionNotFoundError(pipeline, version)
        where = (t.aliases.c.pipeline_id == owner) & (t.aliases.c.alias == alias)
        connection.execute(t.aliases.delete().where(where))
        if version is not None:
            connection.execute(
                t.aliases.insert().values(
                    pipeline_id=owner, alias=alias, version=version, updated_at=now
                )
            )
        old = current.get(alias)
        connection.execute(
            t.alias_changes.insert().values(
                pipeline_id=owner,
                alias=alias,
                old_version=old,
                new_version=version,
                reason=reason,
                at=now,
            )
        )
        moves.append(AliasChange(pipeline, alias, old, version, reason, at=now))
    return moves


def _version(pipeline: str, row: sa.Row) -> ModelVersion:
    return ModelVersion(
        pipeline=pipeline,
        version=row.version,
        path=row.path,
        sha256=row.sha256,
        run_id=row.run_id,
        metrics=row.metrics or {},
        card=row.card or {},
        created_at=aware(row.created_at),
    )
