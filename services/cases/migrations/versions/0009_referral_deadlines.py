"""A referral's deadlines, their escalations, its first contact and its outcome.

Referrals made before this revision keep null deadlines: nobody was told of a deadline
when they were made, and backfilling one would put every old pending referral in the
escalation queue at the first pass (docs/referrals.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMPS = (
    "respond_by",
    "answered_at",
    "first_contact_by",
    "first_contacted_at",
    "response_escalated_at",
    "first_contact_escalated_at",
)


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        for name in TIMESTAMPS:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("services_delivered", sa.JSON(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_referral_first_contact_by"), ["first_contact_by"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_respond_by"), ["respond_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_respond_by"))
        batch_op.drop_index(batch_op.f("ix_referral_first_contact_by"))
        batch_op.drop_column("services_delivered")
        batch_op.drop_column("outcome")
        for name in reversed(TIMESTAMPS):
            batch_op.drop_column(name)
