"""Moving a person's rows to another record of theirs, and back.

What has a person_id, and what a merge does with it:
- case_file: moves (each case's version and change number move forward, and its history
  says so); everything inside a case (assessments, plans, consents, notes, follow-ups,
  referrals) moves with it, having no person_id of its own;
- service_delivery: carries its case's person for the counts; moves with its case;
- access_log: moves, so the survivor's log answers who read about this person;
- person_category: not moved: the survivor takes the union of both records' categories;
- person_transfer: stays with the alias: a decided transfer is part of its history, and a
  pending one refuses the merge.
"""

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.models import access_log_t
from services.cases.case.models import case_t
from services.cases.casework.models import service_t
from services.cases.common import change_counter, history
from shared.auth import Principal
from shared.changes import next_change_seq
from shared.db import utcnow
from shared.history import record_event

# Bound parameters per statement, well under what drivers take (asyncpg: 32767).
CHUNK = 5000


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


async def move_rows(
    connection: AsyncConnection,
    principal: Principal,
    merge_id: UUID,
    *,
    from_id: UUID,
    to_id: UUID,
) -> dict[str, list[Any]]:
    """Move the merged record's rows to the survivor; the ids moved, per table."""
    query = sa.select(case_t.c.id).where(case_t.c.person_id == from_id).order_by(case_t.c.id)
    cases = list((await connection.execute(query.with_for_update())).scalars())
    await _move_cases(connection, principal, merge_id, cases, from_id, to_id)
    services = await _move_services(connection, cases, to_id)
    logged = await connection.execute(
        access_log_t.update()
        .where(access_log_t.c.person_id == from_id)
        .values(person_id=to_id)
        .returning(access_log_t.c.id)
    )
    return {
        "case_file": [str(c) for c in cases],
        "service_delivery": [str(s) for s in services],
        "access_log": sorted(logged.scalars()),
    }


async def move_back(
    connection: AsyncConnection,
    principal: Principal,
    merge_id: UUID,
    moved: dict[str, list[Any]],
    *,
    from_id: UUID,
    to_id: UUID,
) -> None:
    """Move exactly the rows a merge moved back to the merged record. A case opened on the
    survivor since stays with it; services recorded since on a moved case go back with
    their case, whose person they are counted for."""
    cases = [UUID(c) for c in moved["case_file"]]
    locked = sa.select(case_t.c.id).where(case_t.c.id.in_(cases)).with_for_update()
    await connection.execute(locked)
    await _move_cases(connection, principal, merge_id, cases, from_id, to_id)
    await _move_services(connection, cases, to_id)
    for ids in _chunks(moved["access_log"]):
        await connection.execute(
            access_log_t.update()
            .where(access_log_t.c.id.in_(ids), access_log_t.c.person_id == from_id)
            .values(person_id=to_id)
        )


async def _move_cases(
    connection: AsyncConnection,
    principal: Principal,
    merge_id: UUID,
    cases: list[UUID],
    from_id: UUID,
    to_id: UUID,
) -> None:
    for case_id in cases:
        # Each case its own change number: the changes feed pages by them.
        await connection.execute(
            case_t.update()
            .where(case_t.c.id == case_id)
            .values(
                person_id=to_id,
                version=case_t.c.version + 1,
                updated_at=utcnow(),
                change_seq=await next_change_seq(connection, change_counter),
            )
        )
        await record_event(
            connection,
            history,
            principal,
            entity_type="case",
            entity_id=case_id,
            action="updated",
            changes={"person_id": [str(from_id), str(to_id)], "merge_id": str(merge_id)},
        )


async def _move_services(connection: AsyncConnection, cases: list[UUID], to_id: UUID) -> list[UUID]:
    if not cases:
        return []
    moved = await connection.execute(
        service_t.update()
        .where(service_t.c.case_id.in_(cases))
        .values(person_id=to_id)
        .returning(service_t.c.id)
    )
    return sorted(moved.scalars())
