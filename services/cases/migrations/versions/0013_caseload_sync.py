"""The caseload sync: a change number on referrals, and the record of cases entering and
leaving each worker's caseload.

Backfilled so that the first caseload sync of any phone is whole: a referral takes its
case's change number (every referral write touched its case, so the case's number is at
least the referral's last change), and each case assigned today enters its worker's
caseload at the case's own number. Numbers taken from the counter afterwards are higher.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("change_seq", sa.BigInteger(), nullable=False, server_default="0")
        )
    case = sa.table(
        "case_file",
        sa.column("id", sa.Uuid()),
        sa.column("change_seq", sa.BigInteger()),
        sa.column("assigned_worker_id", sa.Uuid()),
    )
    referral = sa.table("referral", sa.column("case_id", sa.Uuid()), sa.column("change_seq"))
    op.execute(
        referral.update().values(
            change_seq=sa.select(case.c.change_seq)
            .where(case.c.id == referral.c.case_id)
            .scalar_subquery()
        )
    )
    op.create_table(
        "caseload_change",
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_caseload_change_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint(
            "worker_id", "case_id", "change_seq", name=op.f("pk_caseload_change")
        ),
    )
    op.create_index("ix_caseload_change_worker_seq", "caseload_change", ["worker_id", "change_seq"])
    caseload = sa.table(
        "caseload_change",
        sa.column("worker_id", sa.Uuid()),
        sa.column("case_id", sa.Uuid()),
        sa.column("change_seq", sa.BigInteger()),
        sa.column("entered", sa.Boolean()),
    )
    assigned = sa.select(case.c.assigned_worker_id, case.c.id, case.c.change_seq, sa.true()).where(
        case.c.assigned_worker_id.is_not(None)
    )
    op.execute(
        caseload.insert().from_select(["worker_id", "case_id", "change_seq", "entered"], assigned)
    )


def downgrade() -> None:
    op.drop_index("ix_caseload_change_worker_seq", table_name="caseload_change")
    op.drop_table("caseload_change")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("change_seq")
