"""A worker's leaving date, facility region overrides and legacy communes, dated ward regions.

Regions typed into facilities before ward regions existed are kept as overrides, with a reason
saying so, rather than dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:10:00
"""

import csv
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "ward_wage_regions_2024.csv"
TYPED_IN = "Vùng nhập cho cơ sở trước khi có bảng vùng theo phường, xã"
NO_OVERLAP = "pgonly_ward_wage_region_no_overlap"


def _date_of(column: sa.ColumnClause[Any]) -> sa.ColumnElement[Any]:
    if op.get_bind().dialect.name == "sqlite":
        return sa.func.date(column)  # timestamps are ISO text there
    return sa.cast(column, sa.Date)


def _workers() -> None:
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
    worker = sa.table(
        "worker",
        sa.column("left_on", sa.Date),
        sa.column("status", sa.String),
        sa.column("archived_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        worker.update()
        .where(worker.c.archived_at.is_not(None))
        .values(left_on=_date_of(worker.c.archived_at))
    )
    op.execute(
        worker.update()
        .where(worker.c.left_on.is_(None), worker.c.status != "active")
        .values(left_on=_date_of(worker.c.updated_at))
    )


def _facilities() -> None:
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wage_region_override", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("wage_region_override_reason", sa.String(length=300), nullable=True)
        )
        batch_op.add_column(sa.Column("legacy_ward_code", sa.String(length=5), nullable=True))
    facility = sa.table(
        "facility",
        sa.column("wage_region", sa.Integer),
        sa.column("wage_region_override", sa.Integer),
        sa.column("wage_region_override_reason", sa.String),
    )
    op.execute(
        facility.update().values(
            wage_region_override=facility.c.wage_region, wage_region_override_reason=TYPED_IN
        )
    )
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_facility_wage_region"), type_="check")
        batch_op.drop_column("wage_region")
        batch_op.create_check_constraint(
            op.f("ck_facility_wage_region_override"), "wage_region_override BETWEEN 1 AND 4"
        )
        batch_op.create_check_constraint(
            op.f("ck_facility_wage_region_override_reason"),
            "(wage_region_override IS NULL) = (wage_region_override_reason IS NULL)",
        )


def _ward_regions() -> None:
    op.create_table(
        "ward_wage_region",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ward_code", sa.String(length=5), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("region", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("legal_source", sa.String(length=300), nullable=False),
        sa.CheckConstraint("region BETWEEN 1 AND 4", name=op.f("ck_ward_wage_region_region")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_ward_wage_region_dates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ward_wage_region")),
    )
    with op.batch_alter_table("ward_wage_region", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ward_wage_region_ward_from", ["ward_code", "valid_from"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ward_wage_region_province_code"), ["province_code"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        # One region per ward per day, whatever order concurrent loads commit in.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE ward_wage_region ADD CONSTRAINT {NO_OVERLAP} EXCLUDE USING gist "
            "(ward_code WITH =, daterange(valid_from, valid_to, '[]') WITH &&) "
            "WHERE (archived_at IS NULL)"
        )
    _ship_regions()


def _ship_regions() -> None:
    table = sa.table(
        "ward_wage_region",
        sa.column("id", sa.Uuid),
        sa.column("version", sa.Integer),
        sa.column("created_by", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("ward_code", sa.String),
        sa.column("province_code", sa.String),
        sa.column("region", sa.Integer),
        sa.column("valid_from", sa.Date),
        sa.column("valid_to", sa.Date),
        sa.column("legal_source", sa.String),
    )
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with SHIPPED.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    op.bulk_insert(
        table,
        [
            {
                "id": uuid.UUID(int=(1 << 64) + i),
                "version": 1,
                "created_by": "migration",
                "created_at": now,
                "updated_at": now,
                "ward_code": row["ward_code"],
                "province_code": row["province_code"],
                "region": int(row["region"]),
                "valid_from": date.fromisoformat(row["valid_from"]),
                "valid_to": date.fromisoformat(row["valid_to"]),
                "legal_source": row["legal_source"],
            }
            for i, row in enumerate(rows)
        ],
    )


def upgrade() -> None:
    _workers()
    _facilities()
    _ward_regions()


def downgrade() -> None:
    op.drop_table("ward_wage_region")
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("wage_region", sa.Integer(), nullable=False, server_default="4")
        )
    facility = sa.table(
        "facility",
        sa.column("wage_region", sa.Integer),
        sa.column("wage_region_override", sa.Integer),
    )
    op.execute(
        facility.update()
        .where(facility.c.wage_region_override.is_not(None))
        .values(wage_region=facility.c.wage_region_override)
    )
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_facility_wage_region_override_reason"), type_="check")
        batch_op.drop_constraint(op.f("ck_facility_wage_region_override"), type_="check")
        batch_op.drop_column("legacy_ward_code")
        batch_op.drop_column("wage_region_override_reason")
        batch_op.drop_column("wage_region_override")
        batch_op.alter_column("wage_region", server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_facility_wage_region"), "wage_region BETWEEN 1 AND 4"
        )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_column("left_on")
