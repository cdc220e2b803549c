"""The conflict queue: an offline edit that met someone else's change to the same field is
kept for the worker who made it, to resolve (choosing a value or merging text) or dismiss.

The change is refused (the record stays as it was, shared.edit_merge) but the 409 is not
the end of it: the queue entry is written in the request's transaction, so a refused edit
is never lost, and the app can list what waits on its worker."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import case_scope, person_scope
from services.cases.case.models import case_t
from services.cases.conflicts.errors import EditConflictClosed, EditConflictNotFound
from services.cases.conflicts.models import edit_conflict_t
from services.cases.conflicts.schemas import ConflictRecordType, ConflictStatus
from services.cases.person.models import SENSITIVE_PERSON_FIELDS, person_t
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from shared.auth import Principal
from shared.db import AnyRow, utcnow
from shared.errors import EditConflict
from shared.history import plain
from shared.models import new_id
from shared.records import lock


@dataclass(frozen=True)
class Edit:
    """A change as the client sent it (JSON-ready), to one record."""

    record_type: ConflictRecordType
    record_id: UUID
    change: dict[str, Any]

    @property
    def withheld(self) -> list[str]:
        """Sensitive values the queue does not keep."""
        fields = [f for f in SENSITIVE_PERSON_FIELDS if f in self.change]
        if set(self.change.get("categories") or ()) & SENSITIVE_CATEGORIES:
            fields.append("categories")
        return fields


async def apply_or_queue(
    connection: AsyncConnection,
    principal: Principal,
    edit: Edit,
    apply: Callable[[], Awaitable[None]],
) -> EditConflict | None:
    """Apply the edit; if it conflicts, nothing of it is written and the conflict is queued
    (its id added to the answer) and returned for the route to answer with."""
    try:
        async with connection.begin_nested():
            await apply()
    except EditConflict as conflict:
        conflict_id = await _queue(connection, principal, edit, conflict)
        conflict.extensions["conflict_id"] = str(conflict_id)
        return conflict
    return None


async def _queue(
    connection: AsyncConnection, principal: Principal, edit: Edit, conflict: EditConflict
) -> UUID:
    withheld = edit.withheld
    # The fields that merged are kept as they merged (a list as it would apply now), the
    # conflicting ones as sent.
    change = {**edit.change, **plain(conflict.merged)}
    conflict_id = new_id()
    values = {
        "id": conflict_id,
        "record_type": edit.record_type,
        "record_id": edit.record_id,
        "person_id": await _person_of(connection, edit),
        "raised_by": principal.subject,
        "raised_at": utcnow(),
        "base_version": conflict.base_version,
        "record_version": conflict.current_version,
        "change": {k: v for k, v in change.items() if k not in withheld},
        "withheld": withheld,
        "conflicts": [c.model_dump(mode="json") for c in conflict.conflicts],
        "status": ConflictStatus.OPEN,
    }
    await connection.execute(edit_conflict_t.insert().values(**values))
    return conflict_id


async def _person_of(connection: AsyncConnection, edit: Edit) -> UUID:
    if edit.record_type == ConflictRecordType.PERSON:
        return edit.record_id
    query = sa.select(case_t.c.person_id).where(case_t.c.id == edit.record_id)
    person_id: UUID = (await connection.execute(query)).scalar_one()
    return person_id


def _yours_in_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The caller's own conflicts, on records still in their scope (a person transferred
    away takes their conflicts along, out of sight)."""
    record = edit_conflict_t.c.record_id
    person = sa.exists().where(person_t.c.id == record, person_scope(principal))
    case = sa.exists().where(case_t.c.id == record, case_scope(principal))
    return sa.and_(
        edit_conflict_t.c.raised_by == principal.subject,
        sa.or_(
            sa.and_(edit_conflict_t.c.record_type == "person", person),
            sa.and_(edit_conflict_t.c.record_type == "case", case),
        ),
    )


async def list_conflicts(
    connection: AsyncConnection, principal: Principal, status: ConflictStatus, limit: int
) -> list[AnyRow]:
    query = (
        sa.select(edit_conflict_t)
        .where(_yours_in_scope(principal), edit_conflict_t.c.status == status)
        .order_by(edit_conflict_t.c.raised_at.desc(), edit_conflict_t.c.id.desc())
        .limit(limit)
    )
    return list((await connection.execute(query)).all())


async def get_conflict(
    connection: AsyncConnection, principal: Principal, conflict_id: UUID
) -> AnyRow:
    query = sa.select(edit_conflict_t).where(
        edit_conflict_t.c.id == conflict_id, _yours_in_scope(principal)
    )
    row = (await connection.execute(query)).first()
    if row is None:
        raise EditConflictNotFound()
    return row


async def open_conflict(
    connection: AsyncConnection, principal: Principal, conflict_id: UUID
) -> AnyRow:
    """The conflict, locked to the end of the transaction, if it is still open: two
    resolutions of one conflict take turns, and the second finds it closed."""
    await get_conflict(connection, principal, conflict_id)
    row = await lock(connection, edit_conflict_t, conflict_id, EditConflictNotFound)
    if row.status != ConflictStatus.OPEN:
        raise EditConflictClosed(f"the conflict is {row.status} already")
    return row


async def close(
    connection: AsyncConnection,
    conflict_id: UUID,
    status: ConflictStatus,
    resolved_version: int | None = None,
) -> None:
    await connection.execute(
        edit_conflict_t.update()
        .where(edit_conflict_t.c.id == conflict_id)
        .values(status=status, closed_at=utcnow(), resolved_version=resolved_version)
    )
