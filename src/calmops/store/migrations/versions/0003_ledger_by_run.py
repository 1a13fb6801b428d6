"""An index on processed_files (run_id): a run's ledger entries are found without reading
the pipeline's whole ledger (``finish`` settles them; run retention checks which runs a
retry still needs).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_processed_files_run_id", "processed_files", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_processed_files_run_id", table_name="processed_files")
