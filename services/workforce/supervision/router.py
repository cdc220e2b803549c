"""HTTP for supervision checks of workers and facilities."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.workforce.access import Manager
from services.workforce.deps import IdempotencyDep
from services.workforce.facility.errors import FacilityNotFound
from services.workforce.reference.codes import Finding
from services.workforce.supervision import service
from services.workforce.supervision.schemas import (
    SupervisionCreate,
    SupervisionList,
    SupervisionRead,
)
from services.workforce.worker.errors import WorkerNotFound
from shared.db import SessionDep
from shared.errors import problem_responses

router = APIRouter(prefix="/supervisions", tags=["supervision"])


@router.post(
    "",
    status_code=201,
    response_model=SupervisionRead,
    responses=problem_responses(WorkerNotFound, FacilityNotFound),
)
async def create_supervision(
    request: Request,
    body: SupervisionCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Record a check of a worker's or facility's compliance with ethics and the law."""
    item = await service.create_supervision(session, principal, body)
    return await idempotency.respond(
        item.model_dump(mode="json"), 201, {"Location": f"{request.url.path}/{item.id}"}
    )


@router.get("")
async def list_supervisions(
    session: SessionDep,
    principal: Manager,
    worker_id: UUID | None = None,
    facility_id: UUID | None = None,
    finding: Annotated[Finding | None, Query()] = None,
) -> SupervisionList:
    """Checks in your province, newest first."""
    rows = await service.list_supervisions(session, principal, worker_id, facility_id, finding)
    return SupervisionList(items=[SupervisionRead.model_validate(r._asdict()) for r in rows])
