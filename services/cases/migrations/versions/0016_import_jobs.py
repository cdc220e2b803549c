"""Import jobs (shared.sheets.jobs): a people sheet checked and written off the request, with
the progress a client polls; the index its likely-duplicate check reads; and the holds by
which a job's reserved sync numbers keep the feeds from skipping past them (shared.changes).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("failure", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_index(
        "ix_import_job_created_by", "import_job", ["created_by", "created_at"], unique=False
    )
    op.create_index("ix_person_name_birth", "person", ["name_key", "birth_date"], unique=False)
    op.create_table(
        "change_hold",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_hold")),
    )


def downgrade() -> None:
    op.drop_table("change_hold")
    op.drop_index("ix_person_name_birth", table_name="person")
    op.drop_index("ix_import_job_created_by", table_name="import_job")
    op.drop_table("import_job")
