"""People, their categories, cases and everything recorded inside a case.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:03:34.704232
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_roles", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index("ix_access_log_person_at", ["person_id", "at"], unique=False)

    op.create_table(
        "case_number_counter",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("province_code", "year", name=op.f("pk_case_number_counter")),
    )
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
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
        "person",
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
        sa.Column("birth_date_estimated", sa.Boolean(), nullable=False),
        sa.Column("national_id", sa.String(length=12), nullable=True),
        sa.Column("birth_registration_no", sa.String(length=40), nullable=True),
        sa.Column("phone", sa.String(length=15), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("ward_code", sa.String(length=5), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=True),
        sa.Column("caregivers", sa.JSON(), nullable=False),
        sa.Column("disability_type", sa.String(length=30), nullable=True),
        sa.Column("disability_severity", sa.String(length=20), nullable=True),
        sa.Column("ethnicity", sa.String(length=60), nullable=True),
        sa.Column("hiv_status", sa.String(length=20), nullable=True),
        sa.Column("health_notes", sa.String(length=2000), nullable=True),
        sa.Column("drug_use", sa.Boolean(), nullable=True),
        sa.Column("criminal_record", sa.Boolean(), nullable=True),
        sa.Column("registered_by_facility_id", sa.Uuid(), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("national_id", name=op.f("uq_person_national_id")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_phone"), ["phone"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_person_registered_by_facility_id"),
            ["registered_by_facility_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_person_ward_code"), ["ward_code"], unique=False)

    op.create_table(
        "case_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("case_number", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("ward_code", sa.String(length=5), nullable=False),
        sa.Column("managing_facility_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_worker_id", sa.Uuid(), nullable=True),
        sa.Column("registered_by_facility_id", sa.Uuid(), nullable=True),
        sa.Column("risk_level", sa.String(length=20), nullable=False),
        sa.Column("intake_source", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_date", sa.Date(), nullable=False),
        sa.Column("closed_date", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.String(length=30), nullable=True),
        sa.Column("closure_note", sa.String(length=1000), nullable=True),
        sa.Column("next_review_date", sa.Date(), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_case_file_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("case_number", name=op.f("uq_case_file_case_number")),
    )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_file_assigned_worker_id"), ["assigned_worker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_file_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_file_managing_facility_id"), ["managing_facility_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_file_next_review_date"), ["next_review_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_file_opened_date"), ["opened_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_file_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_file_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_file_registered_by_facility_id"),
            ["registered_by_facility_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_case_file_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_file_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_file_ward_code"), ["ward_code"], unique=False)

    op.create_table(
        "person_category",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_category_person_id_person")
        ),
        sa.PrimaryKeyConstraint("person_id", "category_code", name=op.f("pk_person_category")),
    )
    with op.batch_alter_table("person_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_category_category_code"), ["category_code"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("risk_level", sa.String(length=20), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(length=2000), nullable=False),
        sa.Column("findings", sa.String(length=5000), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_assessment_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_note",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.String(length=10000), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_note_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note")),
    )
    with op.batch_alter_table("case_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_note_case_id"), ["case_id"], unique=False)

    op.create_table(
        "consent",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("given_by", sa.String(length=20), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_consent_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_case_id"), ["case_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("assigned_worker_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_follow_up_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_assigned_worker_id"), ["assigned_worker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_up_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_done_date"), ["done_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_due_date"), ["due_date"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_facility_id", sa.Uuid(), nullable=True),
        sa.Column("to_facility_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("services_requested", sa.JSON(), nullable=False),
        sa.Column("consent_confirmed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response_note", sa.String(length=1000), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_referral_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referral_to_facility_id"), ["to_facility_id"], unique=False
        )

    op.create_table(
        "service_delivery",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("service_type", sa.String(length=40), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("provider_facility_id", sa.Uuid(), nullable=True),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("funding_source", sa.String(length=20), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_service_delivery_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_service_delivery_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_delivery")),
    )
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_delivery_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_service_delivery_delivered_on"), ["delivered_on"], unique=False
        )
        batch_op.create_index(
            "ix_service_delivery_person_date", ["person_id", "delivered_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_delivery_service_type"), ["service_type"], unique=False
        )

    op.create_table(
        "support_plan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drafted_on", sa.Date(), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("planned_services", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approver_title", sa.String(length=200), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_support_plan_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_plan")),
    )
    with op.batch_alter_table("support_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_plan_case_id"), ["case_id"], unique=False)

    op.execute("INSERT INTO change_counter (id, value) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        # Name search matches anywhere in the diacritic-free name: trigram indexes serve
        # LIKE '%...%' on a province's hundreds of thousands of people.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX pgonly_person_name_key_trgm ON person USING gin (name_key gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS pgonly_person_name_key_trgm")
    with op.batch_alter_table("support_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_plan_case_id"))

    op.drop_table("support_plan")
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_delivery_service_type"))
        batch_op.drop_index("ix_service_delivery_person_date")
        batch_op.drop_index(batch_op.f("ix_service_delivery_delivered_on"))
        batch_op.drop_index(batch_op.f("ix_service_delivery_case_id"))

    op.drop_table("service_delivery")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_to_facility_id"))
        batch_op.drop_index(batch_op.f("ix_referral_status"))
        batch_op.drop_index(batch_op.f("ix_referral_case_id"))

    op.drop_table("referral")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_due_date"))
        batch_op.drop_index(batch_op.f("ix_follow_up_done_date"))
        batch_op.drop_index(batch_op.f("ix_follow_up_case_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_assigned_worker_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_case_id"))

    op.drop_table("consent")
    with op.batch_alter_table("case_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_note_case_id"))

    op.drop_table("case_note")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_case_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("person_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_category_category_code"))

    op.drop_table("person_category")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_ward_code"))
        batch_op.drop_index(batch_op.f("ix_case_file_status"))
        batch_op.drop_index(batch_op.f("ix_case_file_stage"))
        batch_op.drop_index(batch_op.f("ix_case_file_registered_by_facility_id"))
        batch_op.drop_index(batch_op.f("ix_case_file_province_code"))
        batch_op.drop_index(batch_op.f("ix_case_file_person_id"))
        batch_op.drop_index(batch_op.f("ix_case_file_opened_date"))
        batch_op.drop_index(batch_op.f("ix_case_file_next_review_date"))
        batch_op.drop_index(batch_op.f("ix_case_file_managing_facility_id"))
        batch_op.drop_index(batch_op.f("ix_case_file_change_seq"))
        batch_op.drop_index(batch_op.f("ix_case_file_assigned_worker_id"))

    op.drop_table("case_file")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_ward_code"))
        batch_op.drop_index(batch_op.f("ix_person_registered_by_facility_id"))
        batch_op.drop_index(batch_op.f("ix_person_province_code"))
        batch_op.drop_index(batch_op.f("ix_person_phone"))
        batch_op.drop_index(batch_op.f("ix_person_name_key"))
        batch_op.drop_index(batch_op.f("ix_person_change_seq"))
        batch_op.drop_index(batch_op.f("ix_person_birth_date"))

    op.drop_table("person")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_created_at"))

    op.drop_table("idempotency_record")
    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.drop_index("ix_history_event_parent_id")
        batch_op.drop_index("ix_history_event_entity_id")

    op.drop_table("history_event")
    op.drop_table("change_counter")
    op.drop_table("case_number_counter")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_index("ix_access_log_person_at")

    op.drop_table("access_log")
