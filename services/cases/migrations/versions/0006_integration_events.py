"""Integration events, written in the transaction of the change they describe.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integration_event",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("record_seq", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_integration_event_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_integration_event")),
        sa.UniqueConstraint("id", name=op.f("uq_integration_event_id")),
        sa.UniqueConstraint("record_id", "record_seq", name=op.f("uq_integration_event_record_id")),
    )
    op.create_index(
        op.f("ix_integration_event_case_id"), "integration_event", ["case_id"], unique=False
    )
    op.create_index(op.f("ix_integration_event_type"), "integration_event", ["type"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_integration_event_type"), table_name="integration_event")
    op.drop_index(op.f("ix_integration_event_case_id"), table_name="integration_event")
    op.drop_table("integration_event")
