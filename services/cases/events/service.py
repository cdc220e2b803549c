"""Writing events with the changes they describe, and reading them back in the caller's
scope.

An event is written by the transaction that makes its change, and takes its `seq` from the
change counter (shared.changes), whose row lock hands numbers out in commit order. The feed
reads in one snapshot, so a reader who has seen `seq` N never misses an event committed
later: it gets a number above N. An event's `data` holds ids, statuses and facilities, never
a name, a note or a sensitive field, so what reaches an integrator is what its scope already
lets it read of the case.
"""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import referral_scope
from services.cases.case.models import case_t
from services.cases.casework.models import referral_t
from services.cases.common import change_counter
from services.cases.events.models import event_t
from services.cases.events.schemas import EventRead, EventType
from shared.auth import Principal
from shared.changes import next_change_seq
from shared.db import AnyRow, utcnow
from shared.models import new_id
from shared.outbox import feed_window
from shared.outbox import last_seq as newest_seq


async def emit(
    connection: AsyncConnection,
    type: EventType,
    *,
    case_id: UUID,
    record_id: UUID,
    data: dict[str, Any],
) -> None:
    """Write the event in the caller's transaction: it exists exactly when the change does."""
    record_type = type.value.split(".")[0]
    following = (
        sa.select(sa.func.coalesce(sa.func.max(event_t.c.record_seq), 0) + 1)
        .where(event_t.c.record_id == record_id)
        .scalar_subquery()
    )
    await connection.execute(
        event_t.insert().values(
            seq=await next_change_seq(connection, change_counter),
            id=new_id(),
            type=type.value,
            case_id=case_id,
            record_type=record_type,
            record_id=record_id,
            record_seq=following,
            occurred_at=utcnow(),
            data={key: _plain(value) for key, value in data.items()},
        )
    )


def referral_data(
    referral_id: UUID, case_id: UUID, sender: UUID | None, receiver: UUID, status: str
) -> dict[str, Any]:
    """What an integrator learns of a referral: who sends, who receives, where it stands;
    never its reason or notes, which may hold what the person told a worker. Events add
    codes and times to it (an outcome, a deadline), never text."""
    return {
        "referral_id": referral_id,
        "case_id": case_id,
        "from_facility_id": sender,
        "to_facility_id": receiver,
        "status": status,
    }


def _plain(value: Any) -> Any:
    """JSON's own types: ids as text, days in ISO form."""
    if isinstance(value, UUID):
        return str(value)
    return value.isoformat() if isinstance(value, date) else value


async def events_after(
    connection: AsyncConnection,
    principal: Principal,
    *,
    after: int,
    types: list[EventType],
    limit: int,
    upto: int | None = None,
) -> list[AnyRow]:
    """Up to `limit` + 1 events after `after` (and up to `upto`) in the caller's scope,
    oldest first."""
    referral = referral_t.alias("event_referral")
    query = (
        sa.select(event_t)
        .join(case_t, case_t.c.id == event_t.c.case_id)
        .outerjoin(referral, referral.c.id == event_t.c.record_id)
        .where(referral_scope(principal, referral))
    )
    window = feed_window(query, event_t, after=after, upto=upto, types=types, limit=limit)
    return list((await connection.execute(window)).all())


def event_read(row: AnyRow) -> EventRead:
    return EventRead(
        id=row.id,
        seq=str(row.seq),
        type=EventType(row.type),
        occurred_at=row.occurred_at,
        case_id=row.case_id,
        record_type=row.record_type,
        record_id=row.record_id,
        record_seq=row.record_seq,
        data=row.data,
    )


async def last_seq(connection: AsyncConnection) -> int:
    return await newest_seq(connection, event_t)
