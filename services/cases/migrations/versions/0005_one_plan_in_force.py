"""One support plan in force per case, kept by the database.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_FORCE = sa.text("status = 'approved'")


def upgrade() -> None:
    # Concurrent approvals could leave several plans approved: keep the latest in force.
    op.execute(
        "UPDATE support_plan SET status = 'superseded' WHERE status = 'approved' AND EXISTS "
        "(SELECT 1 FROM support_plan AS later WHERE later.case_id = support_plan.case_id "
        "AND later.status = 'approved' AND (later.created_at > support_plan.created_at OR "
        "(later.created_at = support_plan.created_at AND later.id > support_plan.id)))"
    )
    with op.batch_alter_table("support_plan", schema=None) as batch_op:
        batch_op.create_index(
            "uq_support_plan_in_force",
            ["case_id"],
            unique=True,
            postgresql_where=IN_FORCE,
            sqlite_where=IN_FORCE,
        )


def downgrade() -> None:
    with op.batch_alter_table("support_plan", schema=None) as batch_op:
        batch_op.drop_index("uq_support_plan_in_force")
