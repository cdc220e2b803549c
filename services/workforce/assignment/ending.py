"""Ending positions when their holder or their facility stops: a worker who retires, leaves or
is archived, and a facility that closes or is archived. Each position ended says why, in the
history of the worker who held it."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.assignment.models import allowance_t, assignment_t
from services.workforce.common import history
from shared.auth import Principal
from shared.db import utcnow
from shared.records import save_changes


async def end_positions(
    connection: AsyncConnection,
    principal: Principal,
    where: sa.ColumnElement[bool],
    on: date,
    because: str,
) -> list[UUID]:
    """End on `on` every position matching `where` still open after it; one that would only
    have started later is archived instead. Returns the positions changed."""
    query = sa.select(assignment_t).where(
        where,
        assignment_t.c.archived_at.is_(None),
        sa.or_(assignment_t.c.end_date.is_(None), assignment_t.c.end_date > on),
    )
    changed = []
    for row in (await connection.execute(query.order_by(assignment_t.c.start_date))).all():
        never_held = row.start_date > on
        await save_changes(
            connection,
            assignment_t,
            row,
            {"archived_at": utcnow()} if never_held else {"end_date": on},
            history=history,
            principal=principal,
            entity_type="assignment",
            action="cancelled" if never_held else "ended",
            parent_id=row.worker_id,
            extra_changes={"because": because},
        )
        if not never_held:
            await connection.execute(
                allowance_t.update()
                .where(
                    allowance_t.c.assignment_id == row.id,
                    allowance_t.c.start_date <= on,
                    sa.or_(allowance_t.c.end_date.is_(None), allowance_t.c.end_date > on),
                )
                .values(end_date=on)
            )
        changed.append(row.id)
    return changed
