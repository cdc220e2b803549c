"""History keeps the version each change produced, and conflicting offline edits queue.

Events written before this revision keep a null version: an edit made on a version older
than them cannot be merged and is refused with 412, as every stale edit was before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

AT = sa.DateTime(timezone=True)


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
    op.create_table(
        "edit_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("raised_at", AT, nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.Column("withheld", sa.JSON(), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("closed_at", AT, nullable=True),
        sa.Column("resolved_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edit_conflict")),
    )
    op.create_index("ix_edit_conflict_raised_by_status", "edit_conflict", ["raised_by", "status"])
    op.create_index(op.f("ix_edit_conflict_record_id"), "edit_conflict", ["record_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_edit_conflict_record_id"), table_name="edit_conflict")
    op.drop_index("ix_edit_conflict_raised_by_status", table_name="edit_conflict")
    op.drop_table("edit_conflict")
    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.drop_column("version")
