"""Facilities, workers, assignments and allowances, wage references, training, supervision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:33:26.156823
"""

import uuid
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

# Dated reference values in force when this schema was made; admins add later ones via the API.
WAGE_RATES = [
    ("base", 0, 1_490_000, date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    ("base", 0, 1_800_000, date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    ("base", 0, 2_340_000, date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
    ("regional_minimum", 1, 4_420_000, date(2020, 1, 1), "Nghị định 90/2019/NĐ-CP"),
    ("regional_minimum", 2, 3_920_000, date(2020, 1, 1), "Nghị định 90/2019/NĐ-CP"),
    ("regional_minimum", 3, 3_430_000, date(2020, 1, 1), "Nghị định 90/2019/NĐ-CP"),
    ("regional_minimum", 4, 3_070_000, date(2020, 1, 1), "Nghị định 90/2019/NĐ-CP"),
    ("regional_minimum", 1, 4_680_000, date(2022, 7, 1), "Nghị định 38/2022/NĐ-CP"),
    ("regional_minimum", 2, 4_160_000, date(2022, 7, 1), "Nghị định 38/2022/NĐ-CP"),
    ("regional_minimum", 3, 3_640_000, date(2022, 7, 1), "Nghị định 38/2022/NĐ-CP"),
    ("regional_minimum", 4, 3_250_000, date(2022, 7, 1), "Nghị định 38/2022/NĐ-CP"),
    ("regional_minimum", 1, 4_960_000, date(2024, 7, 1), "Nghị định 74/2024/NĐ-CP"),
    ("regional_minimum", 2, 4_410_000, date(2024, 7, 1), "Nghị định 74/2024/NĐ-CP"),
    ("regional_minimum", 3, 3_860_000, date(2024, 7, 1), "Nghị định 74/2024/NĐ-CP"),
    ("regional_minimum", 4, 3_450_000, date(2024, 7, 1), "Nghị định 74/2024/NĐ-CP"),
    ("regional_minimum", 1, 5_310_000, date(2026, 1, 1), "Nghị định 293/2025/NĐ-CP"),
    ("regional_minimum", 2, 4_730_000, date(2026, 1, 1), "Nghị định 293/2025/NĐ-CP"),
    ("regional_minimum", 3, 4_140_000, date(2026, 1, 1), "Nghị định 293/2025/NĐ-CP"),
    ("regional_minimum", 4, 3_700_000, date(2026, 1, 1), "Nghị định 293/2025/NĐ-CP"),
]

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("organiser", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("funding_source", sa.String(length=30), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
        sa.UniqueConstraint("code", name=op.f("uq_course_code")),
    )
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_course_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_course_start_date"), ["start_date"], unique=False)

    op.create_table(
        "facility",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("ownership", sa.String(length=10), nullable=False),
        sa.Column("in_sector", sa.Boolean(), nullable=False),
        sa.Column("in_network_plan", sa.Boolean(), nullable=False),
        sa.Column("provides_services", sa.Boolean(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("wage_region", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("ward_code", sa.String(length=5), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=True),
        sa.Column("active_from", sa.Date(), nullable=True),
        sa.Column("active_to", sa.Date(), nullable=True),
        sa.CheckConstraint("wage_region BETWEEN 1 AND 4", name=op.f("ck_facility_wage_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
        sa.UniqueConstraint("code", name=op.f("uq_facility_code")),
    )
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facility_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_facility_name_key"), ["name_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_facility_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_facility_sector"), ["sector"], unique=False)
        batch_op.create_index(batch_op.f("ix_facility_ward_code"), ["ward_code"], unique=False)

    op.create_table(
        "history_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_roles", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_event")),
    )
    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.create_index("ix_history_event_entity_id", ["entity_id", "id"], unique=False)
        batch_op.create_index("ix_history_event_parent_id", ["parent_id", "id"], unique=False)

    op.create_table(
        "idempotency_record",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", "key", name=op.f("pk_idempotency_record")),
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_record_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "wage_rate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", sa.Integer(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("legal_basis", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wage_rate")),
        sa.UniqueConstraint("kind", "region", "effective_from", name=op.f("uq_wage_rate_kind")),
    )
    op.create_table(
        "worker",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("national_id", sa.String(length=12), nullable=True),
        sa.Column("phone", sa.String(length=15), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("qualification", sa.String(length=20), nullable=False),
        sa.Column("professional_title", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker")),
        sa.UniqueConstraint("national_id", name=op.f("uq_worker_national_id")),
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_name_key"), ["name_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_worker_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_worker_qualification"), ["qualification"], unique=False
        )

    op.create_table(
        "assignment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("position_kind", sa.String(length=20), nullable=False),
        sa.Column("is_ctxh", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_assignment_dates")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_assignment_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_assignment_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assignment_facility_dates", ["facility_id", "start_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assignment_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "participation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("certificate_no", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_participation_course_id_course")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_participation_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
        sa.UniqueConstraint("course_id", "worker_id", name=op.f("uq_participation_course_id")),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participation_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participation_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "supervision",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("finding", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("follow_up", sa.String(length=1000), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_supervision_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_supervision_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision")),
    )
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_facility_id"), ["facility_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supervision_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_supervision_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "allowance_period",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assignment_id", sa.Uuid(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("amount_vnd >= 0", name=op.f("ck_allowance_period_amount")),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_allowance_period_dates")
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_allowance_period_assignment_id_assignment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allowance_period")),
    )
    with op.batch_alter_table("allowance_period", schema=None) as batch_op:
        batch_op.create_index(
            "ix_allowance_period_assignment", ["assignment_id", "start_date"], unique=False
        )

    wage_rate = sa.table(
        "wage_rate",
        sa.column("id", sa.Uuid),
        sa.column("kind", sa.String),
        sa.column("region", sa.Integer),
        sa.column("amount_vnd", sa.BigInteger),
        sa.column("effective_from", sa.Date),
        sa.column("legal_basis", sa.String),
        sa.column("created_by", sa.String),
    )
    op.bulk_insert(
        wage_rate,
        [
            {
                "id": uuid.UUID(int=i + 1),
                "kind": kind,
                "region": region,
                "amount_vnd": amount,
                "effective_from": effective,
                "legal_basis": basis,
                "created_by": "migration",
            }
            for i, (kind, region, amount, effective, basis) in enumerate(WAGE_RATES)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("allowance_period", schema=None) as batch_op:
        batch_op.drop_index("ix_allowance_period_assignment")

    op.drop_table("allowance_period")
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_worker_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_province_code"))
        batch_op.drop_index(batch_op.f("ix_supervision_facility_id"))

    op.drop_table("supervision")
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_worker_id"))
        batch_op.drop_index(batch_op.f("ix_participation_course_id"))

    op.drop_table("participation")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_worker_id"))
        batch_op.drop_index("ix_assignment_facility_dates")

    op.drop_table("assignment")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_qualification"))
        batch_op.drop_index(batch_op.f("ix_worker_province_code"))
        batch_op.drop_index(batch_op.f("ix_worker_name_key"))

    op.drop_table("worker")
    op.drop_table("wage_rate")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_created_at"))

    op.drop_table("idempotency_record")
    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.drop_index("ix_history_event_parent_id")
        batch_op.drop_index("ix_history_event_entity_id")

    op.drop_table("history_event")
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facility_ward_code"))
        batch_op.drop_index(batch_op.f("ix_facility_sector"))
        batch_op.drop_index(batch_op.f("ix_facility_province_code"))
        batch_op.drop_index(batch_op.f("ix_facility_name_key"))
        batch_op.drop_index(batch_op.f("ix_facility_kind"))

    op.drop_table("facility")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_start_date"))
        batch_op.drop_index(batch_op.f("ix_course_province_code"))
        batch_op.drop_index(batch_op.f("ix_course_kind"))

    op.drop_table("course")
