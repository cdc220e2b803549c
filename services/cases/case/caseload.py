"""A worker's caseload: the cases assigned to them. Each assignment change is written down
(caseload_change), numbered like the case write it goes with, so that the caseload sync
(changes/caseload.py) can tell a case's new worker to take it, with its older records, and
its old worker to drop it."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.models import case_t, caseload_t


async def record_assignment(
    connection: AsyncConnection,
    case_id: UUID,
    before: UUID | None,
    after: UUID | None,
    *,
    change_seq: int | None = None,
) -> None:
    """The case left `before`'s caseload and entered `after`'s, in the transaction that
    changed it, under the number that change took (read back when not given): the number
    is what orders it against everything else the two workers' phones sync."""
    if before == after:
        return
    if change_seq is None:
        query = sa.select(case_t.c.change_seq).where(case_t.c.id == case_id)
        change_seq = (await connection.execute(query)).scalar_one()
    rows = [
        {"worker_id": worker, "case_id": case_id, "change_seq": change_seq, "entered": entered}
        for worker, entered in ((before, False), (after, True))
        if worker is not None
    ]
    await connection.execute(caseload_t.insert(), rows)
