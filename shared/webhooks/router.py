"""`/api/v1/webhooks/...`: subscriptions and their delivery log, for the integration role
(its own subscriptions) and admins (every one). Each event-writing service mounts one,
made by `webhook_router` for its tables and its kind of event."""

import json
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.access import policy
from shared.auth import Principal, Role
from shared.concurrency import IfMatchHeader, etag
from shared.db import AnyRow, SessionDep
from shared.errors import PreconditionFailed, PreconditionRequired, problem_responses
from shared.idempotency import Idempotency, idempotency_dependency
from shared.pagination import LimitQuery, ListOf
from shared.settings import ServiceSettings
from shared.webhooks import schemas as s
from shared.webhooks import subscriptions
from shared.webhooks.errors import (
    DeliveryNotFound,
    DeliveryStillPending,
    SubscriptionArchived,
    SubscriptionNotFound,
)
from shared.webhooks.tables import WebhookTables

WEBHOOK_SUBSCRIBER = policy(
    "webhook_subscriber",
    {Role.INTEGRATION, Role.ADMIN},
    "A hospital's or school's system manages its own webhook subscriptions and reads their "
    "delivery log; admins manage every one. A subscription receives the events its creator's "
    "token may read in the events feed, never more, and never a sensitive field.",
)
Subscriber = Annotated[Principal, Depends(WEBHOOK_SUBSCRIBER.dependency())]
CHANGE_PROBLEMS = (
    SubscriptionNotFound,
    SubscriptionArchived,
    PreconditionFailed,
    PreconditionRequired,
)


def webhook_router(
    tables: WebhookTables,
    event_type: type[Enum],
    head: Callable[[AsyncConnection], Awaitable[int]],
    idempotency_table: sa.Table,
    *,
    kind: str = "",
) -> APIRouter:
    """The routes for one service. `head` gives the last event seq, where a new
    subscription starts. A `kind` goes into the operation ids
    (`create_report_webhook_subscription`): clients of several services share one namespace
    of ids, and each service's routes take and answer its own kind of event."""
    router = APIRouter(prefix="/webhooks", tags=["webhooks"])

    def named(operation_id: str) -> str:
        return operation_id.replace("webhook", f"{kind}_webhook", 1) if kind else operation_id

    # The models are generic in the service's event enum; mypy cannot check types built at
    # run time, FastAPI reads them for validation and the document.
    Create = s.WebhookSubscriptionCreate[event_type]  # type: ignore[valid-type]  # noqa: N806
    Update = s.WebhookSubscriptionUpdate[event_type]  # type: ignore[valid-type]  # noqa: N806
    Read = s.WebhookSubscriptionRead[event_type]  # type: ignore[valid-type]  # noqa: N806
    Created = s.WebhookSubscriptionCreated[event_type]  # type: ignore[valid-type]  # noqa: N806
    IdempotencyDep = Annotated[  # noqa: N806
        Idempotency, Depends(idempotency_dependency(idempotency_table))
    ]

    def read(row: AnyRow) -> Any:
        return Read.model_validate({**row._asdict(), "after": str(row.cursor)})

    def respond(row: AnyRow, status_code: int = 200) -> Response:
        body = read(row).model_dump_json()
        headers = {"ETag": etag(row.version)}
        return Response(body, status_code, headers, media_type="application/json")

    def allow_private(request: Request) -> bool:
        settings: ServiceSettings = request.app.state.settings
        return settings.webhook_allow_private_targets

    @router.post(
        "/subscriptions",
        status_code=201,
        response_model=Created,
        responses=problem_responses(422),
        name=named("create_webhook_subscription"),
    )
    async def create_webhook_subscription(
        request: Request,
        body: Create,
        session: SessionDep,
        principal: Subscriber,
        idempotency: IdempotencyDep,
    ) -> Response:
        """Subscribe a URL to kinds of event. Deliveries start with the events after this
        moment (read the events feed for earlier ones). The signing secret is in this
        answer only."""
        await subscriptions.check_url(body.url, allow_private=allow_private(request))
        subscription_id, secret = await subscriptions.create(
            session, tables, principal, body, head=await head(session)
        )
        row = await subscriptions.get(session, tables, principal, subscription_id)
        content = Created.model_validate({**read(row).model_dump(), "secret": secret}).model_dump(
            mode="json"
        )
        headers = {
            "Location": f"/api/v1/webhooks/subscriptions/{subscription_id}",
            "ETag": etag(row.version),
        }
        return await idempotency.respond(content, 201, headers)

    @router.get("/subscriptions", name=named("list_webhook_subscriptions"))
    async def list_webhook_subscriptions(
        session: SessionDep,
        principal: Subscriber,
        include_archived: bool = False,
        limit: LimitQuery = 100,
    ) -> ListOf[Read]:
        """Your subscriptions, newest first (an admin's: everyone's)."""
        rows = await subscriptions.list_owned(
            session, tables, principal, include_archived=include_archived, limit=limit
        )
        return ListOf[Read](items=[read(row) for row in rows])

    @router.get(
        "/subscriptions/{subscription_id}",
        response_model=Read,
        responses=problem_responses(SubscriptionNotFound),
        name=named("get_webhook_subscription"),
    )
    async def get_webhook_subscription(
        subscription_id: UUID, session: SessionDep, principal: Subscriber
    ) -> Response:
        """One of your subscriptions, with its ETag; its secret is never shown again."""
        return respond(await subscriptions.get(session, tables, principal, subscription_id))

    @router.patch(
        "/subscriptions/{subscription_id}",
        response_model=Read,
        responses=problem_responses(*CHANGE_PROBLEMS, 422),
        name=named("update_webhook_subscription"),
    )
    async def update_webhook_subscription(
        request: Request,
        subscription_id: UUID,
        body: Update,
        session: SessionDep,
        principal: Subscriber,
        if_match: IfMatchHeader,
    ) -> Response:
        """Change the URL, the kinds of event or the description, or pause and resume
        (paused, events wait and are sent in order on resuming). Needs If-Match."""
        values = subscriptions.update_values(body)
        if "url" in values:
            await subscriptions.check_url(values["url"], allow_private=allow_private(request))
        await subscriptions.change(session, tables, principal, subscription_id, values, if_match)
        return respond(await subscriptions.get(session, tables, principal, subscription_id))

    @router.post(
        "/subscriptions/{subscription_id}/archive",
        response_model=Read,
        responses=problem_responses(*CHANGE_PROBLEMS),
        name=named("archive_webhook_subscription"),
    )
    async def archive_webhook_subscription(
        subscription_id: UUID, session: SessionDep, principal: Subscriber, if_match: IfMatchHeader
    ) -> Response:
        """Stop for good; the subscription and its delivery log are kept. Needs If-Match."""
        values = {"status": "archived"}
        await subscriptions.change(session, tables, principal, subscription_id, values, if_match)
        return respond(await subscriptions.get(session, tables, principal, subscription_id))

    @router.get(
        "/subscriptions/{subscription_id}/deliveries",
        responses=problem_responses(SubscriptionNotFound),
        name=named("list_webhook_deliveries"),
    )
    async def list_webhook_deliveries(
        subscription_id: UUID,
        session: SessionDep,
        principal: Subscriber,
        status: s.DeliveryStatus | None = None,
        before: Annotated[
            str | None, Query(pattern=r"^\d{1,18}$", description="`next_before` of the last page")
        ] = None,
        limit: LimitQuery = 50,
    ) -> s.WebhookDeliveryPage:
        """The delivery log, newest event first: status, attempts, last answer."""
        await subscriptions.get(session, tables, principal, subscription_id)
        rows = await subscriptions.deliveries(
            session,
            tables,
            subscription_id,
            status=status.value if status else None,
            before=int(before) if before else None,
            limit=limit,
        )
        items = [_delivery(row) for row in rows[:limit]]
        more = len(rows) > limit
        return s.WebhookDeliveryPage(items=items, next_before=items[-1].event_seq if more else None)

    @router.get(
        "/deliveries/{delivery_id}",
        responses=problem_responses(DeliveryNotFound),
        name=named("get_webhook_delivery"),
    )
    async def get_webhook_delivery(
        delivery_id: UUID, session: SessionDep, principal: Subscriber
    ) -> s.WebhookDeliveryDetail:
        """One delivery with every attempt: when, how long, what the receiver answered."""
        row = await subscriptions.get_delivery(session, tables, principal, delivery_id)
        return await _detail(session, row)

    @router.post(
        "/deliveries/{delivery_id}/redeliver",
        status_code=202,
        responses=problem_responses(DeliveryNotFound, DeliveryStillPending),
        name=named("redeliver_webhook"),
    )
    async def redeliver_webhook(
        delivery_id: UUID, session: SessionDep, principal: Subscriber
    ) -> s.WebhookDeliveryDetail:
        """Send a dead (or delivered) event again, before any newer one, with a fresh
        retry window. Safe to repeat: while it is pending, a repeat answers 409."""
        await subscriptions.redeliver(session, tables, principal, delivery_id)
        row = await subscriptions.get_delivery(session, tables, principal, delivery_id)
        return await _detail(session, row)

    async def _detail(session: AsyncConnection, row: AnyRow) -> s.WebhookDeliveryDetail:
        attempts = await subscriptions.attempts(session, tables, row.id)
        return s.WebhookDeliveryDetail(
            **_delivery(row).model_dump(),
            payload=_json(row.payload),
            attempt_log=[s.WebhookAttemptRead.model_validate(a._asdict()) for a in attempts],
        )

    return router


def _delivery(row: AnyRow) -> s.WebhookDeliveryRead:
    return s.WebhookDeliveryRead.model_validate({**row._asdict(), "event_seq": str(row.event_seq)})


def _json(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded
