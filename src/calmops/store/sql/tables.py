"""The store's tables (SQLAlchemy Core). Change them only together with a new migration."""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["metadata"]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
TS = sa.DateTime(timezone=True)


def _pipeline_fk(nullable: bool = False) -> sa.Column:
    return sa.Column(
        "pipeline_id",
        sa.Integer,
        sa.ForeignKey("pipelines.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


pipelines = sa.Table(
    "pipelines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("trigger", sa.String(16), nullable=False),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, server_default="stopped"),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    _pipeline_fk(),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("decision", sa.String(32)),
    sa.Column("source", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("model_version", sa.Integer),
    sa.Column("summary", sa.JSON),
    sa.Column("report", sa.JSON),
    sa.Column("started_at", TS, nullable=False, index=True),
    sa.Column("finished_at", TS),
    # a pipeline's newest runs without reading (and sorting) every one of its rows
    sa.Index("ix_runs_pipeline_id_started_at", "pipeline_id", "started_at"),
)

metrics = sa.Table(
    "metrics",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(36), sa.ForeignKey("runs.id", ondelete="CASCADE"), index=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("scope", sa.String(16), nullable=False, server_default="overall"),
    sa.Column("block", sa.String(128)),
    sa.Column("model_version", sa.Integer),
)

drift_results = sa.Table(
    "drift_results",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(36), sa.ForeignKey("runs.id", ondelete="CASCADE"), index=True),
    sa.Column("feature", sa.String(256), nullable=False),
    sa.Column("test", sa.String(32), nullable=False),
    sa.Column("statistic", sa.Float),
    sa.Column("p_value", sa.Float),
    sa.Column("threshold", sa.Float),
    sa.Column("drift", sa.Boolean, nullable=False),
    sa.Column("verdict", sa.String(16), nullable=False),
    sa.Column("scope", sa.String(16), nullable=False, server_default="reference"),
    sa.Column("block", sa.String(128)),
)

model_versions = sa.Table(
    "model_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _pipeline_fk(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("run_id", sa.String(36)),
    sa.Column("metrics", sa.JSON),
    sa.Column("card", sa.JSON),
    sa.Column("created_at", TS, nullable=False),
    sa.UniqueConstraint("pipeline_id", "version"),
)

aliases = sa.Table(
    "aliases",
    metadata,
    _pipeline_fk(),
    sa.Column("alias", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.PrimaryKeyConstraint("pipeline_id", "alias"),
)

alias_changes = sa.Table(
    "alias_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _pipeline_fk(),
    sa.Column("alias", sa.String(32), nullable=False),
    sa.Column("old_version", sa.Integer),
    sa.Column("new_version", sa.Integer),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", TS, nullable=False),
)

processed_files = sa.Table(
    "processed_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _pipeline_fk(),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("mtime_ns", sa.BigInteger),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("run_id", sa.String(36), index=True),
    sa.Column("error", sa.Text),
    sa.Column("processed_at", TS, nullable=False),
    sa.UniqueConstraint("pipeline_id", "path", "size", "sha256"),
)

breakers = sa.Table(
    "breakers",
    metadata,
    sa.Column(
        "pipeline_id",
        sa.Integer,
        sa.ForeignKey("pipelines.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("state", sa.String(16), nullable=False, server_default="closed"),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("opened_at", TS),
    sa.Column("retry_at", TS),
)

detector_states = sa.Table(
    "detector_states",
    metadata,
    sa.Column(
        "pipeline_id",
        sa.Integer,
        sa.ForeignKey("pipelines.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _pipeline_fk(nullable=True),
    sa.Column("at", TS, nullable=False, index=True),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("data", sa.JSON),
)

leases = sa.Table(
    "leases",
    metadata,
    sa.Column(
        "pipeline_id",
        sa.Integer,
        sa.ForeignKey("pipelines.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("holder", sa.String(128), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("executor", sa.String(16), nullable=False),
    sa.Column("node", sa.String(128)),
    sa.Column("acquired_at", TS, nullable=False),
    sa.Column("expires_at", TS, nullable=False),
)
