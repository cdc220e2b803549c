"""HTTP for supervision checks of workers and facilities."""

from typing import Annotated
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.workforce.access import Manager, supervision_scope
from services.workforce.common import history
from services.workforce.deps import IdempotencyDep
from services.workforce.facility.errors import FacilityNotFound
from services.workforce.facility.service import get_facility
from services.workforce.reference.codes import Finding
from services.workforce.supervision.models import supervision_t
from services.workforce.worker.errors import WorkerNotFound
from services.workforce.worker.service import get_worker
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.history import record_event
from shared.models import new_record_values

router = APIRouter(prefix="/supervisions", tags=["supervision"])


class SupervisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    worker_id: UUID | None = None
    facility_id: UUID | None = None
    checked_on: Day
    finding: Finding
    notes: str | None = Field(default=None, max_length=2000)
    follow_up: str | None = Field(default=None, max_length=1000)
    follow_up_due: Day | None = None

    @model_validator(mode="after")
    def _has_subject(self) -> "SupervisionCreate":
        if self.worker_id is None and self.facility_id is None:
            raise ValueError("name the worker_id or the facility_id checked")
        return self


class SupervisionRead(SupervisionCreate):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    province_code: str


class SupervisionList(BaseModel):
    items: list[SupervisionRead]


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
    if body.worker_id:
        await get_worker(session, principal, body.worker_id)
    if body.facility_id:
        await get_facility(session, principal, body.facility_id)
    values = {
        **body.model_dump(mode="python"),
        **new_record_values(principal.subject),
        "province_code": principal.province_code,
    }
    await session.execute(supervision_t.insert().values(**values))
    await record_event(
        session,
        history,
        principal,
        entity_type="supervision",
        entity_id=values["id"],
        parent_id=body.worker_id or body.facility_id,
        action="created",
        changes={"finding": body.finding},
    )
    item = SupervisionRead.model_validate(values)
    return await idempotency.respond(
        item.model_dump(mode="json"), 201, {"Location": f"{request.url.path}/{values['id']}"}
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
    query = sa.select(supervision_t).where(supervision_scope(principal))
    for column, value in (
        (supervision_t.c.worker_id, worker_id),
        (supervision_t.c.facility_id, facility_id),
        (supervision_t.c.finding, finding),
    ):
        if value is not None:
            query = query.where(column == value)
    rows = await session.execute(query.order_by(supervision_t.c.checked_on.desc()))
    return SupervisionList(items=[SupervisionRead.model_validate(r._asdict()) for r in rows])
