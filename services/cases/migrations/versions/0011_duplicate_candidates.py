"""Pairs of people who look like one, and the province officer's review of each.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duplicate_candidate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_a_id", sa.Uuid(), nullable=False),
        sa.Column("person_b_id", sa.Uuid(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "person_a_id < person_b_id", name=op.f("ck_duplicate_candidate_ordered_pair")
        ),
        sa.ForeignKeyConstraint(
            ["person_a_id"],
            ["person.id"],
            name=op.f("fk_duplicate_candidate_person_a_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"],
            ["person.id"],
            name=op.f("fk_duplicate_candidate_person_b_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidate")),
        sa.UniqueConstraint("person_a_id", "person_b_id", name="uq_duplicate_candidate_pair"),
    )
    op.create_index(
        op.f("ix_duplicate_candidate_person_b_id"),
        "duplicate_candidate",
        ["person_b_id"],
        unique=False,
    )
    op.create_index(
        "ix_duplicate_candidate_queue",
        "duplicate_candidate",
        ["province_code", "status", "score", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_duplicate_candidate_queue", table_name="duplicate_candidate")
    op.drop_index(op.f("ix_duplicate_candidate_person_b_id"), table_name="duplicate_candidate")
    op.drop_table("duplicate_candidate")
