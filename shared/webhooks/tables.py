"""The tables each event-writing service keeps for its subscriptions, on its own metadata."""

from dataclasses import dataclass

import sqlalchemy as sa

from shared.db import UTCDateTime

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


@dataclass(frozen=True, slots=True)
class WebhookTables:
    subscription: sa.Table
    delivery: sa.Table
    attempt: sa.Table


def webhook_tables(metadata: sa.MetaData) -> WebhookTables:
    subscription = sa.Table(
        "webhook_subscription",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("owner_subject", sa.String(200), nullable=False, index=True),
        # The scope of the token that subscribed, kept so the worker filters events as the
        # feed would for that caller: roles, province, commune, facility. Never `scopes`.
        sa.Column("owner_claims", sa.JSON, nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        # Standard Webhooks signs with HMAC, so the secret is kept as given, not hashed.
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),  # active | paused | archived
        # The last event seq turned into deliveries: the subscription's place in the feed.
        sa.Column("cursor", sa.BigInteger, nullable=False),
        # When a worker should look at it again, and which worker holds it until when.
        sa.Column("due_at", UTCDateTime, nullable=False, index=True),
        sa.Column("lease_token", sa.String(40), nullable=True),
        sa.Column("leased_until", UTCDateTime, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    delivery = sa.Table(
        "webhook_delivery",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column(
            "subscription_id", sa.Uuid, sa.ForeignKey("webhook_subscription.id"), nullable=False
        ),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("event_seq", sa.BigInteger, nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        # The body as sent, fixed when the delivery is made: every retry sends the same bytes.
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),  # pending | succeeded | dead
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=True),
        # Retries stop this long after the first attempt (or a manual redelivery).
        sa.Column("retry_until", UTCDateTime, nullable=True),
        sa.Column("last_status_code", sa.Integer, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("delivered_at", UTCDateTime, nullable=True),
        sa.Column("dead_at", UTCDateTime, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        # One delivery per event and subscriber: a second worker's insert fails instead.
        sa.UniqueConstraint("subscription_id", "event_id"),
        sa.Index("ix_webhook_delivery_queue", "subscription_id", "status", "event_seq"),
    )
    attempt = sa.Table(
        "webhook_attempt",
        metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "delivery_id", sa.Uuid, sa.ForeignKey("webhook_delivery.id"), nullable=False, index=True
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.UniqueConstraint("delivery_id", "number"),
    )
    return WebhookTables(subscription, delivery, attempt)
