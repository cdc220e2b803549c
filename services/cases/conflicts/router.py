"""HTTP for the conflict queue: /api/v1/conflicts."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.cases.access.sensitive import AccessedRecord, PersonalReader
from services.cases.conflicts import resolution, service
from services.cases.conflicts.errors import EditConflictClosed, EditConflictNotFound
from services.cases.conflicts.schemas import (
    ConflictList,
    ConflictRead,
    ConflictResolution,
    ConflictStatus,
)
from shared.db import AnyRow
from shared.errors import EditConflict, problem_responses
from shared.problem_handlers import answer_with
from shared.responses import model_response

router = APIRouter(prefix="/conflicts", tags=["sync"])
NOT_FOUND = problem_responses(EditConflictNotFound)


def conflict_read(row: AnyRow) -> ConflictRead:
    return ConflictRead.model_validate(row, from_attributes=True)


async def _shown(reader: PersonalReader, rows: list[AnyRow], what: AccessedRecord) -> None:
    # A conflict shows the record's values now, so showing it is a read of the person.
    await reader.read(sorted({row.person_id for row in rows}), what, sensitive=False)


@router.get("")
async def list_conflicts(
    reader: PersonalReader,
    status: ConflictStatus = ConflictStatus.OPEN,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ConflictList:
    """Your edits that met someone else's change to the same field, newest first."""
    rows = await service.list_conflicts(reader.connection, reader.principal, status, limit)
    await _shown(reader, rows, AccessedRecord.PERSON_LIST)
    return ConflictList(items=[conflict_read(row) for row in rows])


@router.get("/{conflict_id}", responses=NOT_FOUND)
async def get_conflict(conflict_id: UUID, reader: PersonalReader) -> ConflictRead:
    """One of your conflicts: your change, both values of each field, and who made theirs."""
    row = await service.get_conflict(reader.connection, reader.principal, conflict_id)
    await _shown(reader, [row], AccessedRecord.PERSON)
    return conflict_read(row)


@router.post(
    "/{conflict_id}/resolve",
    response_model=ConflictRead,
    responses=problem_responses(EditConflictNotFound, EditConflictClosed, EditConflict),
)
async def resolve_conflict(
    conflict_id: UUID, body: ConflictResolution, reader: PersonalReader, request: Request
) -> Response:
    """Apply your change with the value you chose for each conflicting field. If the record
    changed again meanwhile, the answer is a new conflict, and this one is superseded."""
    connection, principal = reader.connection, reader.principal
    newer = await resolution.resolve(connection, principal, conflict_id, body)
    if newer is not None:
        return answer_with(newer, request)
    return model_response(
        conflict_read(await service.get_conflict(connection, principal, conflict_id))
    )


@router.post(
    "/{conflict_id}/dismiss",
    responses=problem_responses(EditConflictNotFound, EditConflictClosed),
)
async def dismiss_conflict(conflict_id: UUID, reader: PersonalReader) -> ConflictRead:
    """Keep the record as it is and drop your queued change."""
    await resolution.dismiss(reader.connection, reader.principal, conflict_id)
    return conflict_read(
        await service.get_conflict(reader.connection, reader.principal, conflict_id)
    )
