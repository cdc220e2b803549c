"""A case's earliest open due date, kept by the database, so that "overdue" is one column.

A case is overdue when its review is past due (and it is not closed) or one of its
follow-ups not done is past due: an OR over two tables and today's date, which no index can
hold, and the province's overdue cases newest first read about 36,000 cases for a page.
`next_due` is the earliest of those dates (the review's if the case is not closed, the
earliest follow-up not done), so "overdue" is `next_due < today`; today is not stored.

Triggers keep it, on both dialects, whoever writes: the API, the offline sync, merges,
imports and the benchmarks' COPY. On PostgreSQL an index on (province_code, opened_date,
id, next_due) lets a province's cases newest first skip the ones not yet due inside the
index, reading the table only for the cases it lists. A worker's cases newest first get
an index of their own, (assigned_worker_id, opened_date, id), which replaces the one on the
worker alone: at 200,000 people the planner walked the province's newest cases for them
(25,000 rows).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The earliest open due date of case `c`. SQLite's min(a, b) is NULL when either is, and
# PostgreSQL has LEAST, which skips NULLs: min(coalesce(a, b), coalesce(b, a)) is the same.
_REVIEW = "CASE WHEN {c}.status <> 'closed' THEN {c}.next_review_date END"
_FOLLOW_UP = (
    "(SELECT min(f.due_date) FROM follow_up AS f WHERE f.case_id = {c}.id AND f.done_date IS NULL)"
)
POSTGRES_DUE = f"LEAST({_REVIEW}, {_FOLLOW_UP})"
SQLITE_DUE = f"min(coalesce({_REVIEW}, {_FOLLOW_UP}), coalesce({_FOLLOW_UP}, {_REVIEW}))"

# Every statement below is built from these constants, never from input (hence the noqa).

# PostgreSQL: a case's own columns set it before the row is written; a follow-up's change
# updates its case only when the date moves, so most follow-ups do not rewrite the case.
POSTGRES = [
    f"""CREATE FUNCTION case_file_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.next_due := {POSTGRES_DUE.format(c="NEW")};
  RETURN NEW;
END $$""",
    """CREATE TRIGGER case_file_next_due BEFORE INSERT OR UPDATE OF status, next_review_date
ON case_file FOR EACH ROW EXECUTE FUNCTION case_file_next_due()""",
    f"""CREATE FUNCTION follow_up_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- OLD is NULL on INSERT, NEW on DELETE: both cases of a moved follow-up are refreshed.
  UPDATE case_file AS c SET next_due = {POSTGRES_DUE.format(c="c")}
  WHERE c.id IN (NEW.case_id, OLD.case_id)
    AND c.next_due IS DISTINCT FROM {POSTGRES_DUE.format(c="c")};
  RETURN NULL;
END $$""",  # noqa: S608
    """CREATE TRIGGER follow_up_next_due
AFTER INSERT OR DELETE OR UPDATE OF case_id, due_date, done_date ON follow_up
FOR EACH ROW EXECUTE FUNCTION follow_up_next_due()""",
]

# SQLite: AFTER triggers that update the row (its triggers cannot assign NEW). Updating
# next_due does not fire them again: it is not among the columns they watch.
_SET = f"UPDATE case_file SET next_due = {SQLITE_DUE.format(c='case_file')}"  # noqa: S608
SQLITE = [
    f"""CREATE TRIGGER case_file_next_due_insert AFTER INSERT ON case_file
BEGIN {_SET} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER case_file_next_due_update AFTER UPDATE OF status, next_review_date
ON case_file BEGIN {_SET} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER follow_up_next_due_insert AFTER INSERT ON follow_up
BEGIN {_SET} WHERE id = NEW.case_id; END""",
    f"""CREATE TRIGGER follow_up_next_due_update AFTER UPDATE OF case_id, due_date, done_date
ON follow_up BEGIN {_SET} WHERE id IN (NEW.case_id, OLD.case_id); END""",
    f"""CREATE TRIGGER follow_up_next_due_delete AFTER DELETE ON follow_up
BEGIN {_SET} WHERE id = OLD.case_id; END""",
]
SQLITE_TRIGGERS = [
    "case_file_next_due_insert",
    "case_file_next_due_update",
    "follow_up_next_due_insert",
    "follow_up_next_due_update",
    "follow_up_next_due_delete",
]

# A province's cases newest first, the ones not yet due skipped inside the index.
INDEX = "ix_case_file_province_opened_due"
# A worker's cases newest first; replaces ix_case_file_assigned_worker_id.
WORKER_INDEX = "ix_case_file_worker_opened"


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due", sa.Date(), nullable=True))
        batch_op.create_index(INDEX, ["province_code", "opened_date", "id", "next_due"])
        batch_op.create_index(WORKER_INDEX, ["assigned_worker_id", "opened_date", "id"])
        batch_op.drop_index("ix_case_file_assigned_worker_id")
    postgres = op.get_bind().dialect.name == "postgresql"
    due = POSTGRES_DUE if postgres else SQLITE_DUE
    op.execute(f"UPDATE case_file SET next_due = {due.format(c='case_file')}")  # noqa: S608
    for statement in POSTGRES if postgres else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS follow_up_next_due ON follow_up")
        op.execute("DROP TRIGGER IF EXISTS case_file_next_due ON case_file")
        op.execute("DROP FUNCTION IF EXISTS follow_up_next_due()")
        op.execute("DROP FUNCTION IF EXISTS case_file_next_due()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index("ix_case_file_assigned_worker_id", ["assigned_worker_id"])
        batch_op.drop_index(WORKER_INDEX)
        batch_op.drop_index(INDEX)
        batch_op.drop_column("next_due")
