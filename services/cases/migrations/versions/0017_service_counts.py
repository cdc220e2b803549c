"""Whether a service counts for the targets, kept on the service by the database.

A service counts for targets #4 and #5 when its case is not archived and it is not dated
after the case closed. Asked at each report, that was a join of the window's services to
all of the province's cases: at a million cases, about 0.5 s of each of the two statements
behind the provincial report (bench/README.md). `counts_for_targets` holds the answer, and
`ix_service_delivery_counting` (the delivery date, with the person, type and funding on
PostgreSQL) lets a window's counting services be read from the index alone.

Triggers keep it, on both dialects, whoever writes: the API, the offline sync, merges and
the benchmarks' COPY. A service takes its case's state when it is recorded or moved; a
case archived, closed or reopened updates its own services, and only those whose answer
changes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Whether service `s` counts, given its case `c`: the rule in services/cases/stats/queries.py.
_COUNTS = (
    "({c}.archived_at IS NULL AND ({c}.closed_date IS NULL OR {s}.delivered_on <= {c}.closed_date))"
)
# Every statement here is built from these constants, never from input (hence the noqa).
_OF_ITS_CASE = "(SELECT {counts} FROM case_file AS c WHERE c.id = {{s}}.case_id)".format(  # noqa: S608
    counts=_COUNTS.format(c="c", s="{s}")
)

POSTGRES = [
    # FOR SHARE: a case being archived or closed right now is waited for and its new state
    # read; else that update, not seeing this uncommitted service, would leave it stale.
    # The API has locked the case already (get_open_case); other writers may not have.
    f"""CREATE FUNCTION service_delivery_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT {_COUNTS.format(c="c", s="NEW")} INTO NEW.counts_for_targets
  FROM case_file AS c WHERE c.id = NEW.case_id FOR SHARE;
  RETURN NEW;
END $$""",  # noqa: S608
    """CREATE TRIGGER service_delivery_counts
BEFORE INSERT OR UPDATE OF case_id, delivered_on ON service_delivery
FOR EACH ROW EXECUTE FUNCTION service_delivery_counts()""",
    f"""CREATE FUNCTION case_file_services_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE service_delivery AS s SET counts_for_targets = {_COUNTS.format(c="NEW", s="s")}
  WHERE s.case_id = NEW.id
    AND s.counts_for_targets IS DISTINCT FROM {_COUNTS.format(c="NEW", s="s")};
  RETURN NULL;
END $$""",  # noqa: S608
    """CREATE TRIGGER case_file_services_count
AFTER UPDATE OF archived_at, closed_date ON case_file FOR EACH ROW
WHEN (OLD.archived_at IS DISTINCT FROM NEW.archived_at
      OR OLD.closed_date IS DISTINCT FROM NEW.closed_date)
EXECUTE FUNCTION case_file_services_count()""",
]

# SQLite: AFTER triggers that update the row (its triggers cannot assign NEW). Setting
# counts_for_targets fires none of them again: none watches that column.
_SET = (
    f"UPDATE service_delivery SET counts_for_targets = {_OF_ITS_CASE.format(s='service_delivery')}"  # noqa: S608
)
SQLITE = [
    f"""CREATE TRIGGER service_delivery_counts_insert AFTER INSERT ON service_delivery
BEGIN {_SET} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER service_delivery_counts_update
AFTER UPDATE OF case_id, delivered_on ON service_delivery
BEGIN {_SET} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER case_file_services_count AFTER UPDATE OF archived_at, closed_date
ON case_file BEGIN {_SET} WHERE case_id = NEW.id; END""",
]
SQLITE_TRIGGERS = [
    "service_delivery_counts_insert",
    "service_delivery_counts_update",
    "case_file_services_count",
]

INDEX = "ix_service_delivery_counting"


def upgrade() -> None:
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counts_for_targets", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute(_SET)
    op.create_index(
        INDEX,
        "service_delivery",
        ["delivered_on"],
        postgresql_include=["person_id", "service_type", "funding_source"],
        postgresql_where=sa.text("counts_for_targets"),
        sqlite_where=sa.text("counts_for_targets"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_file_services_count ON case_file")
        op.execute("DROP TRIGGER IF EXISTS service_delivery_counts ON service_delivery")
        op.execute("DROP FUNCTION IF EXISTS case_file_services_count()")
        op.execute("DROP FUNCTION IF EXISTS service_delivery_counts()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(INDEX, table_name="service_delivery")
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.drop_column("counts_for_targets")
