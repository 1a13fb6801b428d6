"""An index on runs (pipeline_id, started_at): a pipeline's newest runs are read without
sorting all of its runs (the dashboards' overview asks for every pipeline's at once).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_runs_pipeline_id_started_at", "runs", ["pipeline_id", "started_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_runs_pipeline_id_started_at", table_name="runs")
