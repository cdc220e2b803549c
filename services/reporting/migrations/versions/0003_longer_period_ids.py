"""Room for period ids cut short at a date (2025-01-01..2025-03-31@2025-02-28).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.alter_column(
            "period_id", existing_type=sa.String(length=30), type_=sa.String(length=40)
        )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.alter_column(
            "period_id", existing_type=sa.String(length=40), type_=sa.String(length=30)
        )
