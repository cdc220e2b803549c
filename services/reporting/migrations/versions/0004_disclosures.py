"""Disclosures: what each submitted report let leave its province.

Reports submitted before this revision are disclosed here, in the order they were
submitted, by the same rules as a submission today.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:30:00
"""

from collections.abc import Sequence
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from shared.db import utcnow
from shared.models import new_id

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    disclosure = op.create_table(
        "disclosure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("report_version", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("territory", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("disclosed_by", sa.String(length=200), nullable=False),
        sa.Column("disclosed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_disclosure_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure")),
    )
    with op.batch_alter_table("disclosure", schema=None) as batch_op:
        batch_op.create_index("ix_disclosure_report", ["report_id", "disclosed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_disclosure_province_code"), ["province_code"], unique=False
        )
    _disclose_submitted_reports(disclosure)


def _disclose_submitted_reports(disclosure: sa.Table) -> None:
    from services.reporting.disclosure.service import disclosed_territory, published_values

    report = sa.table(
        "report",
        sa.column("id", sa.Uuid()),
        sa.column("province_code", sa.String()),
        sa.column("status", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("values", sa.JSON()),
        sa.column("territory", sa.JSON()),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
        sa.column("submitted_by", sa.String()),
    )
    bind = op.get_bind()
    submitted = bind.execute(
        sa.select(report)
        .where(report.c.status.in_(("submitted", "accepted")))
        .order_by(report.c.submitted_at)
    )
    earlier: dict[str, list[SimpleNamespace]] = {}
    for row in submitted:
        before = earlier.setdefault(row.province_code, [])
        territory = disclosed_territory(row.territory)
        values = published_values(row.values, row.province_code, territory, before)
        before.append(SimpleNamespace(territory=territory, values=values))
        bind.execute(
            disclosure.insert().values(
                id=new_id(),
                report_id=row.id,
                report_version=row.version,
                province_code=row.province_code,
                territory=territory,
                values=values,
                disclosed_by=row.submitted_by or "migration",
                disclosed_at=row.submitted_at or utcnow(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("disclosure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_province_code"))
        batch_op.drop_index("ix_disclosure_report")
    op.drop_table("disclosure")
