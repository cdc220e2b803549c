"""Subscriptions and their deliveries as the API reads and changes them. An integration
client sees only the subscriptions it made; an admin sees every one."""

import base64
import secrets
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import Principal, Role
from shared.concurrency import check_if_match
from shared.db import AnyRow
from shared.errors import PreconditionFailed, ValidationFailed, field_error
from shared.models import new_id
from shared.webhooks import schemas as s
from shared.webhooks.errors import (
    DeliveryNotFound,
    DeliveryStillPending,
    SubscriptionArchived,
    SubscriptionNotFound,
)
from shared.webhooks.source import claims_of
from shared.webhooks.tables import WebhookTables
from shared.webhooks.targets import TargetRefused, check_form, resolve


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def check_url(url: str, *, allow_private: bool) -> None:
    """422 unless the URL is one the worker would send to (shared.webhooks.targets)."""
    try:
        await resolve(check_form(url, allow_private=allow_private), allow_private=allow_private)
    except TargetRefused as refused:
        error = field_error(["body", "url"], refused.message, refused.code)
        raise ValidationFailed([error]) from None


def _owned(tables: WebhookTables, principal: Principal) -> sa.ColumnElement[bool]:
    if principal.has_role(Role.ADMIN):
        return sa.true()
    return tables.subscription.c.owner_subject == principal.subject


def _now() -> datetime:
    return datetime.now(UTC)


async def create(
    connection: AsyncConnection,
    tables: WebhookTables,
    principal: Principal,
    data: s.WebhookSubscriptionCreate[Any],
    *,
    head: int,
) -> tuple[UUID, str]:
    """A new subscription, starting after the event `head`: earlier ones are in the feed."""
    now = _now()
    subscription_id = new_id()
    secret = data.secret or new_secret()
    await connection.execute(
        tables.subscription.insert().values(
            id=subscription_id,
            owner_subject=principal.subject,
            owner_claims=claims_of(principal),
            url=data.url,
            event_types=sorted({t.value for t in data.event_types}),
            secret=secret,
            description=data.description,
            status="active",
            cursor=head,
            due_at=now,
            created_at=now,
            updated_at=now,
            version=1,
        )
    )
    return subscription_id, secret


async def get(
    connection: AsyncConnection, tables: WebhookTables, principal: Principal, subscription_id: UUID
) -> AnyRow:
    sub = tables.subscription
    query = sa.select(sub).where(sub.c.id == subscription_id, _owned(tables, principal))
    if (row := (await connection.execute(query)).first()) is None:
        raise SubscriptionNotFound()
    return row


async def list_owned(
    connection: AsyncConnection,
    tables: WebhookTables,
    principal: Principal,
    *,
    include_archived: bool,
    limit: int,
) -> list[AnyRow]:
    sub = tables.subscription
    query = sa.select(sub).where(_owned(tables, principal))
    if not include_archived:
        query = query.where(sub.c.status != "archived")
    query = query.order_by(sub.c.created_at.desc(), sub.c.id).limit(limit)
    return list((await connection.execute(query)).all())


async def change(
    connection: AsyncConnection,
    tables: WebhookTables,
    principal: Principal,
    subscription_id: UUID,
    values: dict[str, Any],
    if_match: str | None,
) -> None:
    """Apply `values` to a subscription that is not archived, at the version the caller read."""
    current = await get(connection, tables, principal, subscription_id)
    check_if_match(if_match, current.version)
    if current.status == "archived":
        raise SubscriptionArchived()
    sub = tables.subscription
    # due now: a subscription resumed or pointed elsewhere is looked at again at once.
    statement = (
        sub.update()
        .where(sub.c.id == subscription_id, sub.c.version == current.version)
        .values(**values, due_at=_now(), updated_at=_now(), version=current.version + 1)
    )
    if (await connection.execute(statement)).rowcount != 1:
        raise PreconditionFailed("the subscription changed while you were saving; reload it")


def update_values(data: s.WebhookSubscriptionUpdate[Any]) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=True, mode="python")
    if "event_types" in values:
        if values["event_types"] is None:
            raise ValidationFailed(
                [field_error(["body", "event_types"], "list at least one", "missing")]
            )
        values["event_types"] = sorted({t.value for t in data.event_types or []})
    for required in ("url", "status"):
        if required in values and values[required] is None:
            raise ValidationFailed([field_error(["body", required], "may not be null", "missing")])
    return values


async def deliveries(
    connection: AsyncConnection,
    tables: WebhookTables,
    subscription_id: UUID,
    *,
    status: str | None,
    before: int | None,
    limit: int,
) -> list[AnyRow]:
    """Newest first, `limit` + 1 to tell whether there are more."""
    d = tables.delivery
    query = sa.select(d).where(d.c.subscription_id == subscription_id)
    if status:
        query = query.where(d.c.status == status)
    if before is not None:
        query = query.where(d.c.event_seq < before)
    query = query.order_by(d.c.event_seq.desc()).limit(limit + 1)
    return list((await connection.execute(query)).all())


async def get_delivery(
    connection: AsyncConnection, tables: WebhookTables, principal: Principal, delivery_id: UUID
) -> AnyRow:
    d, sub = tables.delivery, tables.subscription
    query = (
        sa.select(d)
        .join(sub, sub.c.id == d.c.subscription_id)
        .where(d.c.id == delivery_id, _owned(tables, principal))
    )
    if (row := (await connection.execute(query)).first()) is None:
        raise DeliveryNotFound()
    return row


async def attempts(
    connection: AsyncConnection, tables: WebhookTables, delivery_id: UUID
) -> list[AnyRow]:
    a = tables.attempt
    query = sa.select(a).where(a.c.delivery_id == delivery_id).order_by(a.c.number)
    return list((await connection.execute(query)).all())


async def redeliver(
    connection: AsyncConnection, tables: WebhookTables, principal: Principal, delivery_id: UUID
) -> None:
    """Queue a dead (or delivered) event again, with a fresh retry window. It is the
    subscription's oldest pending event, so it goes before any newer one."""
    delivery = await get_delivery(connection, tables, principal, delivery_id)
    d, sub = tables.delivery, tables.subscription
    now = _now()
    requeue = (
        d.update()
        .where(d.c.id == delivery_id, d.c.status != "pending")
        .values(
            status="pending",
            next_attempt_at=now,
            retry_until=None,
            dead_at=None,
            version=d.c.version + 1,
        )
    )
    # Conditional: of two redeliveries at once, or one racing the worker, one requeues.
    if (await connection.execute(requeue)).rowcount != 1:
        raise DeliveryStillPending()
    await connection.execute(
        sub.update().where(sub.c.id == delivery.subscription_id).values(due_at=now)
    )
