"""Report events, written in the transaction of the change they describe, numbered by a
change counter in commit order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:38:37
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.execute("INSERT INTO change_counter (id, value) VALUES (1, 0)")
    _events()


def _events() -> None:
    op.create_table(
        "integration_event",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("report_seq", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("previous_status", sa.String(length=10), nullable=False),
        sa.Column("occurred_at", AT, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_integration_event_report_id_report")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_integration_event")),
        sa.UniqueConstraint("id", name=op.f("uq_integration_event_id")),
        sa.UniqueConstraint("report_id", "report_seq", name=op.f("uq_integration_event_report_id")),
    )
    op.create_index(
        op.f("ix_integration_event_province_code"),
        "integration_event",
        ["province_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_integration_event_report_id"), "integration_event", ["report_id"], unique=False
    )
    op.create_index(op.f("ix_integration_event_type"), "integration_event", ["type"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_integration_event_type"), table_name="integration_event")
    op.drop_index(op.f("ix_integration_event_report_id"), table_name="integration_event")
    op.drop_index(op.f("ix_integration_event_province_code"), table_name="integration_event")
    op.drop_table("integration_event")
    op.drop_table("change_counter")
