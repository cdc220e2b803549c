"""Resolving a queued conflict: the worker's chosen values, with the rest of their change,
applied to the record as it is now, through the same update (and merge) as any edit."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.models import case_t
from services.cases.case.schemas import CaseUpdate
from services.cases.case.service import update_case
from services.cases.conflicts import service
from services.cases.conflicts.schemas import (
    ConflictRecordType,
    ConflictResolution,
    ConflictStatus,
)
from services.cases.person.models import person_t
from services.cases.person.schemas import PersonUpdate
from services.cases.person.service import update_person
from shared.auth import Principal
from shared.concurrency import etag
from shared.db import AnyRow
from shared.errors import EditConflict, ValidationFailed, field_error

Update = Callable[[AsyncConnection, Principal, UUID, Any, str | None], Awaitable[None]]
# Each kind of record: how its changes are checked, applied, and where its version is.
KINDS: dict[ConflictRecordType, tuple[type[BaseModel], Update, sa.Table]] = {
    ConflictRecordType.PERSON: (PersonUpdate, update_person, person_t),
    ConflictRecordType.CASE: (CaseUpdate, update_case, case_t),
}


async def resolve(
    connection: AsyncConnection,
    principal: Principal,
    conflict_id: UUID,
    resolution: ConflictResolution,
) -> EditConflict | None:
    """Resolve the conflict, or answer the newer conflict that resolving it met (the old
    one is then superseded by it)."""
    row = await service.open_conflict(connection, principal, conflict_id)
    _check_complete(row, resolution)
    record_type = ConflictRecordType(row.record_type)
    schema, update, table = KINDS[record_type]
    change = {**row.change, **resolution.values}
    try:
        data = schema.model_validate(change)
    except ValidationError as error:
        raise ValidationFailed(
            [
                field_error(["body", "values", *e["loc"]], e["msg"], e["type"])
                for e in error.errors()
            ]
        ) from None
    edit = service.Edit(record_type, row.record_id, change)
    newer = await service.apply_or_queue(
        connection,
        principal,
        edit,
        lambda: update(connection, principal, row.record_id, data, etag(row.record_version)),
    )
    if newer is not None:
        await service.close(connection, conflict_id, ConflictStatus.SUPERSEDED)
        return newer
    version_now = sa.select(table.c.version).where(table.c.id == row.record_id)
    version = (await connection.execute(version_now)).scalar_one()
    await service.close(connection, conflict_id, ConflictStatus.RESOLVED, version)
    return None


def _check_complete(row: AnyRow, resolution: ConflictResolution) -> None:
    """Every conflicting field needs the value to keep, and every withheld one its value
    again: applying the change without them would drop part of it unseen."""
    needed = {c["field"] for c in row.conflicts} | set(row.withheld)
    missing = sorted(needed - set(resolution.values))
    if missing:
        raise ValidationFailed(
            [
                field_error(["body", "values", field], "send the value to keep", "missing")
                for field in missing
            ]
        )


async def dismiss(connection: AsyncConnection, principal: Principal, conflict_id: UUID) -> None:
    """Keep the record as it is and drop the queued change."""
    await service.open_conflict(connection, principal, conflict_id)
    await service.close(connection, conflict_id, ConflictStatus.DISMISSED)
