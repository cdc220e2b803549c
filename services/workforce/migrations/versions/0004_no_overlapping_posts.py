"""Posts of a worker at a facility, and allowance periods of a post, never overlap.

PostgreSQL keeps both with exclusion constraints (named pgonly_*: SQLite has none, and runs
its write transactions one at a time, so the services' checks hold there). Overlaps left by
earlier races must be settled before upgrading: the constraint refuses to be added over them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 14:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTS = "pgonly_assignment_no_overlap"
ALLOWANCES = "pgonly_allowance_period_no_overlap"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        f"ALTER TABLE assignment ADD CONSTRAINT {POSTS} EXCLUDE USING gist "
        "(worker_id WITH =, facility_id WITH =, daterange(start_date, end_date, '[]') WITH &&) "
        "WHERE (archived_at IS NULL)"
    )
    op.execute(
        f"ALTER TABLE allowance_period ADD CONSTRAINT {ALLOWANCES} EXCLUDE USING gist "
        "(assignment_id WITH =, daterange(start_date, end_date, '[]') WITH &&)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE allowance_period DROP CONSTRAINT {ALLOWANCES}")
    op.execute(f"ALTER TABLE assignment DROP CONSTRAINT {POSTS}")
