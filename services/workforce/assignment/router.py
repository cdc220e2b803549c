"""HTTP for assignments: a worker's positions at facilities and their allowances."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.workforce.access import Manager, PersonnelReader
from services.workforce.assignment import service
from services.workforce.assignment.errors import AssignmentNotFound, AssignmentOverlap
from services.workforce.assignment.schemas import (
    AllowanceCreate,
    AssignmentCreate,
    AssignmentEnd,
    AssignmentList,
    AssignmentRead,
)
from services.workforce.deps import IdempotencyDep
from services.workforce.facility.errors import FacilityNotFound
from services.workforce.worker.errors import WorkerNotFound
from shared.concurrency import IfMatchHeader, etag
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.responses import model_response

router = APIRouter(tags=["assignments"])
# An assignment of a worker outside the caller's scope answers as if it did not exist.
NOT_FOUND = problem_responses(AssignmentNotFound)


@router.post(
    "/workers/{worker_id}/assignments",
    status_code=201,
    response_model=AssignmentRead,
    responses=problem_responses(WorkerNotFound, FacilityNotFound, AssignmentOverlap),
)
async def create_assignment(
    request: Request,
    worker_id: UUID,
    body: AssignmentCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Assign a worker to a facility from a date, with an optional monthly allowance."""
    assignment_id = await service.create_assignment(session, principal, worker_id, body)
    item = await service.read_assignment(session, assignment_id)
    headers = {"ETag": etag(item.version), "Location": f"/api/v1/assignments/{assignment_id}"}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("/workers/{worker_id}/assignments", responses=problem_responses(WorkerNotFound))
async def list_worker_assignments(
    worker_id: UUID, session: SessionDep, principal: PersonnelReader
) -> AssignmentList:
    """Every position the worker has held, with allowance history, oldest first."""
    items = await service.worker_assignments(session, principal, worker_id)
    return AssignmentList(items=items)


@router.get("/facilities/{facility_id}/assignments", responses=problem_responses(FacilityNotFound))
async def list_facility_assignments(
    facility_id: UUID,
    session: SessionDep,
    principal: PersonnelReader,
    on: Annotated[Day | None, Query(description="Only positions held on this date")] = None,
) -> AssignmentList:
    """Positions at a facility, all or those held on a date."""
    items = await service.facility_assignments(session, principal, facility_id, on)
    return AssignmentList(items=items)


@router.get("/assignments/{assignment_id}", response_model=AssignmentRead, responses=NOT_FOUND)
async def get_assignment(
    assignment_id: UUID, session: SessionDep, principal: PersonnelReader
) -> Response:
    """One assignment with its allowance history and ETag."""
    await service.get_assignment(session, principal, assignment_id)
    item = await service.read_assignment(session, assignment_id)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.patch(
    "/assignments/{assignment_id}",
    response_model=AssignmentRead,
    responses=problem_responses(AssignmentNotFound, AssignmentOverlap),
)
async def end_assignment(
    assignment_id: UUID,
    body: AssignmentEnd,
    session: SessionDep,
    principal: Manager,
    if_match: IfMatchHeader,
) -> Response:
    """End an assignment on a date; its open allowance ends with it."""
    await service.end_assignment(session, principal, assignment_id, body, if_match)
    item = await service.read_assignment(session, assignment_id)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/assignments/{assignment_id}/allowances",
    response_model=AssignmentRead,
    responses=NOT_FOUND,
)
async def change_allowance(
    assignment_id: UUID,
    body: AllowanceCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Set a new monthly allowance from a date; the previous one is kept and ends the day before."""
    await service.change_allowance(session, principal, assignment_id, body)
    item = await service.read_assignment(session, assignment_id)
    return await idempotency.respond(
        item.model_dump(mode="json"), 200, {"ETag": etag(item.version)}
    )
