"""The delivery loop of `ctxh worker`, for one service's database.

Each round claims the subscriptions that are due and not leased (FOR UPDATE SKIP LOCKED,
then a conditional UPDATE that only one worker wins), and serves each in a task of its own:
the oldest pending delivery first, one at a time, so a receiver sees its events in order
and a slow one holds only its own task. Every write checks the lease token, so a worker
that lost its lease (it stalled past `leased_until`) changes nothing.

Leases, retries and due times run on the machine's clock, not on shared.db.utcnow, which
tests may move forward to pass a business deadline: moving it must not expire leases.
"""

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import AnyRow, Transactions
from shared.models import new_id
from shared.settings import ServiceSettings
from shared.webhooks.sending import Outcome, RetryPolicy, attempt
from shared.webhooks.source import EventSource, principal_of
from shared.webhooks.tables import WebhookTables

log = structlog.get_logger("ctxh.webhooks")

# Events turned into deliveries at a time; a subscriber far behind catches up in batches.
FILL_BATCH = 100


def wall_clock() -> datetime:
    return datetime.now(UTC)


class LeaseLost(Exception):
    """Another worker holds the subscription now; this one stops serving it."""


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    timeout: float
    poll: float
    concurrency: int
    allow_private: bool
    retry: RetryPolicy

    @property
    def lease(self) -> timedelta:
        # Long enough for a few attempts in a row; serve() stops before it runs out.
        return timedelta(seconds=4 * self.timeout + 30)

    @classmethod
    def of(cls, settings: ServiceSettings) -> "WorkerSettings":
        return cls(
            timeout=settings.webhook_timeout_seconds,
            poll=settings.webhook_poll_seconds,
            concurrency=settings.webhook_concurrency,
            allow_private=settings.webhook_allow_private_targets,
            retry=RetryPolicy(
                first=settings.webhook_retry_first_seconds,
                max_delay=settings.webhook_retry_max_delay_seconds,
                retry_for=settings.webhook_retry_for_seconds,
            ),
        )


class DeliveryWorker:
    def __init__(
        self,
        transactions: Transactions,
        tables: WebhookTables,
        source: EventSource,
        settings: WorkerSettings,
        client: httpx.AsyncClient,
        *,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        self.transactions = transactions
        self.tables = tables
        self.source = source
        self.settings = settings
        self.client = client
        self.clock = clock
        self.serving: set[asyncio.Task[None]] = set()
        # Leases whose release failed (the database went away mid-round), with when each
        # subscription is due: given back at the next round, not left to run out (a lease
        # lasts over a minute, which would hold the subscriber's deliveries that long).
        self.unreleased: dict[Any, tuple[AnyRow, datetime]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Claim and serve until `stop` is set; then finish what is in hand."""
        while not stop.is_set():
            free = self.settings.concurrency - len(self.serving)
            pause = self.settings.poll
            if free > 0:
                try:
                    await self.release_stranded()
                    claimed = await self.claim(free)
                except Exception:
                    # The database restarting or failing over: the worker waits and tries
                    # again; it never ends for an outage.
                    log.exception("webhook_claim_failed")
                    claimed, pause = [], max(pause, 1.0)
                for subscription in claimed:
                    task = asyncio.create_task(self.serve(subscription))
                    self.serving.add(task)
                    task.add_done_callback(self.serving.discard)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
        if self.serving:
            await asyncio.gather(*self.serving, return_exceptions=True)

    async def run_once(self) -> int:
        """One round, waited for: claim what is due and serve it. For tests and tools."""
        await self.release_stranded()
        claimed = await self.claim(self.settings.concurrency)
        await asyncio.gather(*(self.serve(subscription) for subscription in claimed))
        return len(claimed)

    async def claim(self, limit: int) -> list[AnyRow]:
        sub = self.tables.subscription
        now = self.clock()
        free = sa.or_(sub.c.leased_until.is_(None), sub.c.leased_until < now)
        due = (
            sa.select(sub.c.id)
            .where(sub.c.status == "active", sub.c.due_at <= now, free)
            .order_by(sub.c.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        token = secrets.token_hex(16)
        async with self.transactions.begin() as connection:
            ids = list((await connection.execute(due)).scalars())
            if not ids:
                return []
            # Conditional: of two workers that read the same free row, one wins the UPDATE.
            claim = (
                sub.update()
                .where(sub.c.id.in_(ids), free)
                .values(lease_token=token, leased_until=now + self.settings.lease)
                .returning(*sub.c)
            )
            return list((await connection.execute(claim)).all())

    async def serve(self, subscription: AnyRow) -> None:
        """Send the subscription's due deliveries in order while the lease lasts."""
        stop_at = time.monotonic() + (
            self.settings.lease.total_seconds() - self.settings.timeout - 5
        )
        due_at = self.clock() + timedelta(seconds=self.settings.poll)
        try:
            while time.monotonic() + self.settings.timeout < stop_at:
                delivery = await self.next_delivery(subscription)
                if delivery is None:
                    break
                if delivery.next_attempt_at > self.clock():
                    due_at = delivery.next_attempt_at
                    break
                outcome = await self.send(subscription, delivery)
                await self.record(subscription, delivery, outcome)
            else:
                due_at = self.clock()  # the lease ran short with work left: come back now
        except LeaseLost:
            log.warning("webhook_lease_lost", subscription_id=str(subscription.id))
            return
        except Exception:
            # A bug or an outage must not kill the worker; the subscription is retried.
            log.exception("webhook_serve_failed", subscription_id=str(subscription.id))
            due_at = self.clock() + timedelta(seconds=max(self.settings.poll, 5))
        try:
            await self.release(subscription, due_at)
        except Exception:
            # Given back at the next round (release_stranded); should this worker die first,
            # the lease runs out by itself and another worker takes the subscription up.
            log.exception("webhook_release_failed", subscription_id=str(subscription.id))
            self.unreleased[subscription.id] = (subscription, due_at)

    async def release_stranded(self) -> None:
        for subscription_id, (subscription, due_at) in list(self.unreleased.items()):
            await self.release(subscription, due_at)  # raises while the database is still out
            del self.unreleased[subscription_id]

    async def _hold(self, connection: AsyncConnection, subscription: AnyRow) -> AnyRow:
        """Lock the subscription row if this worker still holds its lease (else LeaseLost)."""
        sub = self.tables.subscription
        query = (
            sa.select(sub)
            .where(sub.c.id == subscription.id, sub.c.lease_token == subscription.lease_token)
            .with_for_update()
        )
        held = (await connection.execute(query)).first()
        if held is None:
            raise LeaseLost()
        return held

    async def next_delivery(self, subscription: AnyRow) -> AnyRow | None:
        """The oldest pending delivery; when there is none, the next events after the
        cursor that the owner may read become deliveries first."""
        delivery = self.tables.delivery
        oldest = (
            sa.select(delivery)
            .where(delivery.c.subscription_id == subscription.id, delivery.c.status == "pending")
            .order_by(delivery.c.event_seq)
            .limit(1)
        )
        async with self.transactions.begin() as connection:
            held = await self._hold(connection, subscription)
            if held.status != "active":
                return None  # paused or archived meanwhile: the attempt in hand was the last
            if (found := (await connection.execute(oldest)).first()) is not None:
                return found
            if not await self._fill(connection, held):
                return None
            return (await connection.execute(oldest)).first()

    async def _fill(self, connection: AsyncConnection, held: AnyRow) -> int:
        # The head is read first: every event up to it has committed (shared.changes), so
        # the cursor can move to it even past events the owner may not read.
        head = await self.source.head(connection)
        if head <= held.cursor:
            return 0
        events = await self.source.events(
            connection,
            principal_of(held.owner_subject, held.owner_claims),
            after=held.cursor,
            upto=head,
            types=list(held.event_types),
            limit=FILL_BATCH,
        )
        now = self.clock()
        if events:
            await connection.execute(
                self.tables.delivery.insert(),
                [
                    _new_delivery(held.id, event.seq, event.id, event.type, event.body, now)
                    for event in events
                ],
            )
        cursor = events[-1].seq if len(events) == FILL_BATCH else head
        sub = self.tables.subscription
        await connection.execute(sub.update().where(sub.c.id == held.id).values(cursor=cursor))
        return len(events)

    async def send(self, subscription: AnyRow, delivery: AnyRow) -> Outcome:
        return await attempt(
            self.client,
            url=subscription.url,
            secret=subscription.secret,
            message_id=str(delivery.event_id),
            body=delivery.payload,
            timeout=self.settings.timeout,
            allow_private=self.settings.allow_private,
        )

    async def record(self, subscription: AnyRow, delivery: AnyRow, outcome: Outcome) -> None:
        d = self.tables.delivery
        number = delivery.attempts + 1
        now = self.clock()
        values: dict[str, Any] = {
            "attempts": number,
            "last_status_code": outcome.status_code,
            "last_error": outcome.error,
            "version": delivery.version + 1,
        }
        if outcome.succeeded:
            values |= {"status": "succeeded", "delivered_at": now, "next_attempt_at": None}
        else:
            retry_until = delivery.retry_until or outcome.started_at + timedelta(
                seconds=self.settings.retry.retry_for
            )
            next_at = now + self.settings.retry.delay(number)
            if next_at > retry_until:
                values |= {"status": "dead", "dead_at": now, "next_attempt_at": None}
            else:
                values |= {"next_attempt_at": next_at}
            values["retry_until"] = retry_until
        async with self.transactions.begin() as connection:
            await self._hold(connection, subscription)
            await connection.execute(
                self.tables.attempt.insert().values(
                    delivery_id=delivery.id,
                    number=number,
                    started_at=outcome.started_at,
                    duration_ms=outcome.duration_ms,
                    status_code=outcome.status_code,
                    error=outcome.error,
                )
            )
            changed = await connection.execute(
                d.update()
                .where(d.c.id == delivery.id, d.c.version == delivery.version)
                .values(**values)
            )
            if changed.rowcount != 1:
                raise LeaseLost()
        log.info(
            "webhook_attempt",
            subscription_id=str(subscription.id),
            event_id=str(delivery.event_id),
            attempt=number,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            outcome=values.get("status", "retry"),
        )

    async def release(self, subscription: AnyRow, due_at: datetime) -> None:
        """Give the lease back, due again at `due_at` or sooner if a delivery became due
        meanwhile (one redelivered by hand while this worker was serving)."""
        sub, d = self.tables.subscription, self.tables.delivery
        soonest = sa.select(sa.func.min(d.c.next_attempt_at)).where(
            d.c.subscription_id == subscription.id, d.c.status == "pending"
        )
        async with self.transactions.begin() as connection:
            if (pending := (await connection.execute(soonest)).scalar()) is not None:
                due_at = min(due_at, pending)
            await connection.execute(
                sub.update()
                .where(sub.c.id == subscription.id, sub.c.lease_token == subscription.lease_token)
                .values(lease_token=None, leased_until=None, due_at=due_at)
            )


def _new_delivery(
    subscription_id: Any, seq: int, event_id: Any, type: str, body: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "subscription_id": subscription_id,
        "event_id": event_id,
        "event_seq": seq,
        "event_type": type,
        "payload": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "version": 1,
    }
