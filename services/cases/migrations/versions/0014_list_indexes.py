"""Indexes for every list at a million people (docs/scale.md says what each one is for).

A ward's people in name order and a ward's cases newest first replace the indexes on
ward_code alone, which they also serve; the newest people; and, on PostgreSQL only, partial
indexes for the open work that can be late: reviews of cases not closed, follow-ups not done,
and a finer sample of names, so that the planner sees how few people a name search matches.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Open work that can be late, in due order: GET /overdue reads the first page of each.
PARTIAL = {
    "pgonly_case_file_review_due": "case_file (next_review_date, case_number) "
    "WHERE status <> 'closed' AND archived_at IS NULL",
    "pgonly_follow_up_open_due": "follow_up (due_date) WHERE done_date IS NULL",
}


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_ward_name", ["ward_code", "name_key", "id"])
        batch_op.create_index("ix_person_created_at", ["created_at", "id"])
        batch_op.drop_index("ix_person_ward_code")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index("ix_case_file_ward_opened", ["ward_code", "opened_date", "id"])
        batch_op.drop_index("ix_case_file_ward_code")
    if op.get_bind().dialect.name == "postgresql":
        for name, definition in PARTIAL.items():
            op.execute(f"CREATE INDEX {name} ON {definition}")
        # With the default sample, a common name ("nguyen van", 0.24% of a million people)
        # was estimated at 1%, and some ANALYZE runs then walked the whole name index in
        # name order (800 ms) instead of the trigram index and a sort of its matches (25 ms).
        op.execute("ALTER TABLE person ALTER COLUMN name_key SET STATISTICS 1000")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE person ALTER COLUMN name_key SET STATISTICS -1")
        for name in PARTIAL:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index("ix_case_file_ward_code", ["ward_code"])
        batch_op.drop_index("ix_case_file_ward_opened")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_ward_code", ["ward_code"])
        batch_op.drop_index("ix_person_created_at")
        batch_op.drop_index("ix_person_ward_name")
