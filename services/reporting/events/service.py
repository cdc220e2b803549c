"""Writing report events with the changes they describe, and reading them back in the
caller's scope.

An event is written by the transaction that submits or reviews its report, and takes its
`seq` from the change counter (shared.changes), whose row lock hands numbers out in commit
order. The feed reads in one snapshot, so a reader who has seen `seq` N never misses an
event committed later: it gets a number above N. An event's `data` holds ids, the period and
statuses, never a number or a note: a report's numbers leave the province only through the
disclosure control (services.reporting.disclosure).
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import event_scope
from services.reporting.common import change_counter
from services.reporting.events.models import event_t
from services.reporting.events.schemas import ReportEventRead, ReportEventType
from shared.auth import Principal
from shared.changes import next_change_seq
from shared.db import AnyRow, utcnow
from shared.models import new_id
from shared.outbox import feed_window
from shared.outbox import last_seq as newest_seq


async def emit(
    connection: AsyncConnection, type: ReportEventType, report: Any, *, status: str
) -> None:
    """Write the event in the caller's transaction: it exists exactly when the change does.
    `report` is the report as it was before the change, `status` the one it has now."""
    following = (
        sa.select(sa.func.coalesce(sa.func.max(event_t.c.report_seq), 0) + 1)
        .where(event_t.c.report_id == report.id)
        .scalar_subquery()
    )
    data = {
        "report_id": str(report.id),
        "plan_id": str(report.plan_id),
        "province_code": report.province_code,
        "period_id": report.period_id,
        "period_kind": report.period_kind,
        "status": status,
        "previous_status": report.status,
    }
    await connection.execute(
        event_t.insert().values(
            seq=await next_change_seq(connection, change_counter),
            id=new_id(),
            type=type.value,
            report_id=report.id,
            report_seq=following,
            province_code=report.province_code,
            status=status,
            previous_status=report.status,
            occurred_at=utcnow(),
            data=data,
        )
    )


async def events_after(
    connection: AsyncConnection,
    principal: Principal,
    *,
    after: int,
    types: list[ReportEventType],
    limit: int,
    upto: int | None = None,
) -> list[AnyRow]:
    """Up to `limit` + 1 events after `after` (and up to `upto`) in the caller's scope,
    oldest first."""
    query = sa.select(event_t).where(event_scope(principal))
    window = feed_window(query, event_t, after=after, upto=upto, types=types, limit=limit)
    return list((await connection.execute(window)).all())


def event_read(row: AnyRow) -> ReportEventRead:
    return ReportEventRead(
        id=row.id,
        seq=str(row.seq),
        type=ReportEventType(row.type),
        occurred_at=row.occurred_at,
        report_id=row.report_id,
        report_seq=row.report_seq,
        data=row.data,
    )


async def last_seq(connection: AsyncConnection) -> int:
    return await newest_seq(connection, event_t)
