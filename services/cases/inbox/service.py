"""The inbox, gathered from the records on each read: new referrals to the caller's
facility, referrals past a deadline (the province's escalated ones, for its officers),
draft plans in their scope, consents about to expire, and the follow-ups and
reviews assigned to them that are overdue. Each kind is read up to PER_KIND items; an item
marked done stays hidden until the record needs the caller again under a new key."""

from datetime import date, datetime, timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import case_scope, incoming_referrals
from services.cases.case.models import case_t
from services.cases.case.search import overdue_items
from services.cases.casework.models import consent_t, plan_t, referral_t
from services.cases.casework.referrals import list_overdue
from services.cases.inbox.models import inbox_done_t
from services.cases.inbox.schemas import Inbox, InboxItem, InboxKind
from shared.auth import Principal, Role
from shared.dates import day_in_vietnam, today_in_vietnam
from shared.db import utcnow

PER_KIND = 200
# A consent is in the inbox this many days before it expires: time to ask again.
CONSENT_NOTICE_DAYS = 30

OPEN_CASE = (case_t.c.archived_at.is_(None), case_t.c.status != "closed")


def _item(
    kind: InboxKind,
    case_id: UUID,
    record_id: UUID,
    since: date,
    due: date | None,
    occasion: object = None,
) -> InboxItem:
    """`occasion` tells apart a record's returns to the inbox (a new deadline, a new day)."""
    key = f"{kind.value}:{record_id}" + (f":{occasion}" if occasion is not None else "")
    return InboxItem(
        key=key, kind=kind, case_id=case_id, record_id=record_id, since=since, due=due, done=False
    )


async def _received(connection: AsyncConnection, principal: Principal) -> list[InboxItem]:
    query = (
        sa.select(
            referral_t.c.id.label("record_id"),
            referral_t.c.case_id,
            referral_t.c.created_at,
            referral_t.c.respond_by,
        )
        .join(case_t, case_t.c.id == referral_t.c.case_id)
        .where(incoming_referrals(principal), referral_t.c.status == "pending", *OPEN_CASE)
        .order_by(referral_t.c.created_at)
        .limit(PER_KIND)
    )
    rows = (await connection.execute(query)).all()
    kind = InboxKind.REFERRAL_RECEIVED
    return [
        _item(kind, r.case_id, r.record_id, day_in_vietnam(r.created_at), _day(r.respond_by))
        for r in rows
    ]


def _day(instant: datetime | None) -> date | None:
    return day_in_vietnam(instant) if instant is not None else None


async def _late_referrals(connection: AsyncConnection, principal: Principal) -> list[InboxItem]:
    """Referrals past a deadline, sent or received: for a province officer, those escalated
    to the province. Each deadline of a referral is an item of its own."""
    officer = principal.has_role(Role.PROVINCE_OFFICER)
    rows = await list_overdue(
        connection,
        principal,
        direction="all",
        escalated=True if officer else None,
        limit=PER_KIND,
    )
    items = []
    for row in rows:
        day = day_in_vietnam(row.due_at)
        items.append(
            _item(InboxKind.REFERRAL_OVERDUE, row.case_id, row.id, day, day, occasion=row.deadline)
        )
    return items


async def _plans(connection: AsyncConnection, principal: Principal) -> list[InboxItem]:
    query = (
        sa.select(plan_t.c.id.label("record_id"), plan_t.c.case_id, plan_t.c.drafted_on)
        .join(case_t, case_t.c.id == plan_t.c.case_id)
        .where(case_scope(principal), plan_t.c.status == "draft", *OPEN_CASE)
        .order_by(plan_t.c.drafted_on)
        .limit(PER_KIND)
    )
    rows = (await connection.execute(query)).all()
    return [
        _item(InboxKind.PLAN_AWAITING_APPROVAL, r.case_id, r.record_id, r.drafted_on, None)
        for r in rows
    ]


async def _consents(connection: AsyncConnection, principal: Principal) -> list[InboxItem]:
    today = today_in_vietnam()
    query = (
        sa.select(consent_t.c.id.label("record_id"), consent_t.c.case_id, consent_t.c.expires_on)
        .join(case_t, case_t.c.id == consent_t.c.case_id)
        .where(
            case_scope(principal),
            consent_t.c.withdrawn_on.is_(None),
            consent_t.c.expires_on.between(today, today + timedelta(days=CONSENT_NOTICE_DAYS)),
            *OPEN_CASE,
        )
        .order_by(consent_t.c.expires_on)
        .limit(PER_KIND)
    )
    rows = (await connection.execute(query)).all()
    notice = timedelta(days=CONSENT_NOTICE_DAYS)
    kind = InboxKind.CONSENT_EXPIRING
    return [_item(kind, r.case_id, r.record_id, r.expires_on - notice, r.expires_on) for r in rows]


async def _overdue(connection: AsyncConnection, principal: Principal) -> list[InboxItem]:
    items = []
    for row in await overdue_items(connection, principal, mine=True, limit=PER_KIND):
        due = row["due_date"]
        if row["kind"] == "follow_up":
            kind = InboxKind.FOLLOW_UP_OVERDUE
            items.append(_item(kind, row["case_id"], row["follow_up_id"], due, due))
        else:
            # A case is reviewed again and again: each review day is an item of its own.
            case_id = row["case_id"]
            kind = InboxKind.REVIEW_OVERDUE
            items.append(_item(kind, case_id, case_id, due, due, occasion=due))
    return items


async def inbox(connection: AsyncConnection, principal: Principal, *, include_done: bool) -> Inbox:
    kinds = [
        await _received(connection, principal),
        await _late_referrals(connection, principal),
        await _plans(connection, principal),
        await _consents(connection, principal),
        await _overdue(connection, principal),
    ]
    gathered = [item for items in kinds for item in items]
    done = await _done_keys(connection, principal, [item.key for item in gathered])
    for item in gathered:
        item.done = item.key in done
    open_items = [item for item in gathered if not item.done]
    shown = gathered if include_done else open_items
    shown.sort(key=lambda item: (item.due or item.since, item.kind.value))
    return Inbox(
        items=shown,
        open_count=len(open_items),
        more=any(len(items) >= PER_KIND for items in kinds),
    )


async def _done_keys(
    connection: AsyncConnection, principal: Principal, keys: list[str]
) -> set[str]:
    if not keys:
        return set()
    query = sa.select(inbox_done_t.c.item_key).where(
        inbox_done_t.c.subject == principal.subject, inbox_done_t.c.item_key.in_(keys)
    )
    return set((await connection.execute(query)).scalars())


async def mark_done(connection: AsyncConnection, principal: Principal, keys: list[str]) -> None:
    """Marking twice is marking once: a retried request changes nothing more."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    now = utcnow()
    rows = [
        {"subject": principal.subject, "item_key": key, "done_at": now}
        for key in dict.fromkeys(keys)
    ]
    await connection.execute(dialect.insert(inbox_done_t).on_conflict_do_nothing(), rows)
