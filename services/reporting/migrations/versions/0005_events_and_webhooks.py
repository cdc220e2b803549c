"""Report events, written in the transaction of the change they describe, numbered by a
change counter in commit order; and the webhook subscriptions that deliver them, their
deliveries and every attempt (shared.webhooks).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:38:37
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.execute("INSERT INTO change_counter (id, value) VALUES (1, 0)")
    _events()
    _webhooks()


def _events() -> None:
    op.create_table(
        "integration_event",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("report_seq", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("previous_status", sa.String(length=10), nullable=False),
        sa.Column("occurred_at", AT, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_integration_event_report_id_report")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_integration_event")),
        sa.UniqueConstraint("id", name=op.f("uq_integration_event_id")),
        sa.UniqueConstraint("report_id", "report_seq", name=op.f("uq_integration_event_report_id")),
    )
    op.create_index(
        op.f("ix_integration_event_province_code"),
        "integration_event",
        ["province_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_integration_event_report_id"), "integration_event", ["report_id"], unique=False
    )
    op.create_index(op.f("ix_integration_event_type"), "integration_event", ["type"], unique=False)


def _webhooks() -> None:
    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_subject", sa.String(length=200), nullable=False),
        sa.Column("owner_claims", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("due_at", AT, nullable=False),
        sa.Column("lease_token", sa.String(length=40), nullable=True),
        sa.Column("leased_until", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscription")),
    )
    op.create_index(
        op.f("ix_webhook_subscription_due_at"), "webhook_subscription", ["due_at"], unique=False
    )
    op.create_index(
        op.f("ix_webhook_subscription_owner_subject"),
        "webhook_subscription",
        ["owner_subject"],
        unique=False,
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", AT, nullable=True),
        sa.Column("retry_until", AT, nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("delivered_at", AT, nullable=True),
        sa.Column("dead_at", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscription.id"],
            name=op.f("fk_webhook_delivery_subscription_id_webhook_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint(
            "subscription_id", "event_id", name=op.f("uq_webhook_delivery_subscription_id")
        ),
    )
    op.create_index(
        "ix_webhook_delivery_queue",
        "webhook_delivery",
        ["subscription_id", "status", "event_seq"],
        unique=False,
    )
    op.create_table(
        "webhook_attempt",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", AT, nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_delivery.id"],
            name=op.f("fk_webhook_attempt_delivery_id_webhook_delivery"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempt")),
        sa.UniqueConstraint("delivery_id", "number", name=op.f("uq_webhook_attempt_delivery_id")),
    )
    op.create_index(
        op.f("ix_webhook_attempt_delivery_id"), "webhook_attempt", ["delivery_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_attempt_delivery_id"), table_name="webhook_attempt")
    op.drop_table("webhook_attempt")
    op.drop_index("ix_webhook_delivery_queue", table_name="webhook_delivery")
    op.drop_table("webhook_delivery")
    op.drop_index(op.f("ix_webhook_subscription_owner_subject"), table_name="webhook_subscription")
    op.drop_index(op.f("ix_webhook_subscription_due_at"), table_name="webhook_subscription")
    op.drop_table("webhook_subscription")
    op.drop_index(op.f("ix_integration_event_type"), table_name="integration_event")
    op.drop_index(op.f("ix_integration_event_report_id"), table_name="integration_event")
    op.drop_index(op.f("ix_integration_event_province_code"), table_name="integration_event")
    op.drop_table("integration_event")
    op.drop_table("change_counter")
