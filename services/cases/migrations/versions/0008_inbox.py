"""What each worker marked done in their inbox (the items themselves are computed).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_done",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("item_key", sa.String(length=120), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", "item_key", name=op.f("pk_inbox_done")),
    )


def downgrade() -> None:
    op.drop_table("inbox_done")
