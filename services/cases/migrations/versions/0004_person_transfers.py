"""Transfers of people between provinces.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table(
        "person_transfer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("from_province_code", sa.String(length=2), nullable=False),
        sa.Column("from_ward_code", sa.String(length=5), nullable=False),
        sa.Column("to_province_code", sa.String(length=2), nullable=False),
        sa.Column("to_ward_code", sa.String(length=5), nullable=False),
        sa.Column("to_legacy_ward_code", sa.String(length=5), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_transfer_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_transfer")),
    )
    with op.batch_alter_table("person_transfer", schema=None) as batch_op:
        for column in ("person_id", "from_province_code", "to_province_code", "status"):
            batch_op.create_index(batch_op.f(f"ix_person_transfer_{column}"), [column])
        batch_op.create_index(batch_op.f("ix_person_transfer_change_seq"), ["change_seq"])
        batch_op.create_index(
            "uq_person_transfer_pending",
            ["person_id"],
            unique=True,
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )


def downgrade() -> None:
    op.drop_table("person_transfer")
