"""HTTP for workers: /api/v1/workers."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.workforce.access import Manager, PersonnelReader
from services.workforce.common import history
from services.workforce.deps import IdempotencyDep
from services.workforce.reference.codes import PositionKind, Qualification, WorkerStatus
from services.workforce.worker import service
from services.workforce.worker.errors import (
    WorkerNationalIdExists,
    WorkerNotFound,
    WorkerRegisteredElsewhere,
)
from services.workforce.worker.models import Worker, worker_t
from services.workforce.worker.schemas import WorkerCreate, WorkerPage, WorkerRead, WorkerUpdate
from shared.concurrency import IfMatchHeader, etag
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.history import HistoryPage, history_of
from shared.pagination import CursorQuery, LimitQuery
from shared.records import values_of
from shared.responses import model_response

router = APIRouter(prefix="/workers", tags=["workers"])
# A worker outside the caller's scope answers as if it did not exist.
NOT_FOUND = problem_responses(WorkerNotFound)
# The national ID is registered already: in the caller's scope, or (unnamed) elsewhere.
NATIONAL_ID_TAKEN = (WorkerNationalIdExists, WorkerRegisteredElsewhere)


def worker_read(worker: Worker) -> WorkerRead:
    return WorkerRead.model_validate(
        {**values_of(worker_t, worker), "archived": worker.archived_at is not None}
    )


def _respond(row: Any) -> Response:
    return model_response(worker_read(row), headers={"ETag": etag(row.version)})


@router.post(
    "",
    status_code=201,
    response_model=WorkerRead,
    responses=problem_responses(*NATIONAL_ID_TAKEN),
)
async def create_worker(
    request: Request,
    body: WorkerCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Register a worker in your province; 409 if the national ID is registered."""
    worker_id = await service.create_worker(session, principal, body)
    row = await service.get_worker(session, principal, worker_id)
    headers = {"ETag": etag(row.version), "Location": f"{request.url.path}/{worker_id}"}
    return await idempotency.respond(worker_read(row).model_dump(mode="json"), 201, headers)


@router.get("", response_model=WorkerPage)
async def list_workers(
    session: SessionDep,
    principal: PersonnelReader,
    q: Annotated[
        str | None,
        Query(min_length=2, max_length=100, description="Name (accents optional) or national ID"),
    ] = None,
    qualification: Qualification | None = None,
    facility_id: Annotated[UUID | None, Query(description="Assigned there today")] = None,
    position_kind: PositionKind | None = None,
    trained_since: Annotated[Day | None, Query(description="Completed a course since")] = None,
    status: WorkerStatus | None = None,
    include_archived: bool = False,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """List the workers in your scope by name, a page at a time."""
    filters = service.WorkerFilters(
        q, qualification, facility_id, position_kind, trained_since, status, include_archived
    )
    rows, next_cursor = await service.list_workers(
        session, principal, filters, cursor=cursor, limit=limit
    )
    return model_response(WorkerPage(items=[worker_read(r) for r in rows], next_cursor=next_cursor))


@router.get("/{worker_id}", response_model=WorkerRead, responses=NOT_FOUND)
async def get_worker(worker_id: UUID, session: SessionDep, principal: PersonnelReader) -> Response:
    """One worker, with its ETag."""
    return _respond(await service.get_worker(session, principal, worker_id))


@router.patch(
    "/{worker_id}",
    response_model=WorkerRead,
    responses=problem_responses(WorkerNotFound, *NATIONAL_ID_TAKEN),
)
async def update_worker(
    worker_id: UUID,
    body: WorkerUpdate,
    session: SessionDep,
    principal: Manager,
    if_match: IfMatchHeader,
) -> Response:
    """Change a worker; needs If-Match with the ETag last read."""
    await service.update_worker(session, principal, worker_id, body, if_match)
    return _respond(await service.get_worker(session, principal, worker_id))


@router.post("/{worker_id}/archive", response_model=WorkerRead, responses=NOT_FOUND)
async def archive_worker(
    worker_id: UUID, session: SessionDep, principal: Manager, if_match: IfMatchHeader
) -> Response:
    """Archive a worker: kept with assignments, training and history, left out of lists."""
    await service.archive_worker(session, principal, worker_id, if_match)
    return _respond(await service.get_worker(session, principal, worker_id))


@router.get("/{worker_id}/history", responses=NOT_FOUND)
async def get_worker_history(
    worker_id: UUID, session: SessionDep, principal: PersonnelReader
) -> HistoryPage:
    """The worker's record, positions, allowances and training as they changed, oldest first."""
    worker = await service.get_worker(session, principal, worker_id)
    return HistoryPage(items=await history_of(session, history, worker.id))
