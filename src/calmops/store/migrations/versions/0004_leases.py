"""Pipeline leases: which process (on which host, under which executor) runs a pipeline,
until when. Taken before a monitor runs anything, renewed by a heartbeat, taken over once
expired, so two hosts never run one pipeline at once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("pipeline_id", sa.Integer, nullable=False),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("executor", sa.String(16), nullable=False),
        sa.Column("node", sa.String(128)),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipelines.id"],
            name=op.f("fk_leases_pipeline_id_pipelines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pipeline_id", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
