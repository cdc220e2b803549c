"""The mechanics every record inside a case shares: add, list, find, and leave a trace."""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.service import touch_case
from services.cases.casework.errors import RecordNotFound
from services.cases.common import change_counter, history, new_id
from shared.auth import Principal
from shared.changes import next_change_seq
from shared.db import AnyRow, utcnow
from shared.history import record_event


async def add_record(
    connection: AsyncConnection,
    principal: Principal,
    case_id: UUID,
    table: sa.Table,
    values: dict[str, Any],
    *,
    entity_type: str,
    changes: dict[str, Any] | None = None,
) -> UUID:
    record_id = new_id()
    row = {
        "id": record_id,
        "case_id": case_id,
        "created_by": principal.subject,
        "created_at": utcnow(),
        **values,
    }
    await connection.execute(table.insert().values(**row))
    await record_event(
        connection,
        history,
        principal,
        entity_type=entity_type,
        entity_id=record_id,
        parent_id=case_id,
        action="created",
        changes=changes,
    )
    await touch_case(connection, case_id)
    return record_id


async def record_step(
    connection: AsyncConnection,
    principal: Principal,
    case_id: UUID,
    record_id: UUID,
    *,
    entity_type: str,
    action: str,
    changes: dict[str, Any],
) -> None:
    await record_event(
        connection,
        history,
        principal,
        entity_type=entity_type,
        entity_id=record_id,
        parent_id=case_id,
        action=action,
        changes=changes,
    )
    await touch_case(connection, case_id)


async def renumber(connection: AsyncConnection, table: sa.Table, record_id: UUID) -> None:
    """A record that carries its own change number (a referral) changed: it takes the next
    one, in the writer's transaction, after the write that locked its row (taking the
    counter first would lock the two in the other order from every other writer)."""
    seq = await next_change_seq(connection, change_counter)
    await connection.execute(table.update().where(table.c.id == record_id).values(change_seq=seq))


async def list_records(connection: AsyncConnection, table: sa.Table, case_id: UUID) -> list[AnyRow]:
    query = (
        sa.select(table).where(table.c.case_id == case_id).order_by(table.c.created_at, table.c.id)
    )
    return list((await connection.execute(query)).all())


async def find_record(
    connection: AsyncConnection, table: sa.Table, case_id: UUID, record_id: UUID
) -> AnyRow:
    query = sa.select(table).where(table.c.id == record_id, table.c.case_id == case_id)
    row = (await connection.execute(query)).first()
    if row is None:
        raise RecordNotFound()
    return row
