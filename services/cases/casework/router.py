"""HTTP for the records inside a case: assessments, plans, services, follow-ups, notes, consents."""

from typing import Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from services.cases.access.policy import CaseworkCaller
from services.cases.access.sensitive import HIDDEN, AccessedRecord, PersonalReader
from services.cases.case.errors import CaseArchived, CaseNotFound
from services.cases.case.service import get_case, get_open_case
from services.cases.casework import schemas as s
from services.cases.casework import service
from services.cases.casework.errors import ConsentAlreadyWithdrawn, PlanNotDraft, RecordNotFound
from services.cases.casework.models import (
    assessment_t,
    consent_t,
    follow_up_t,
    note_t,
    plan_t,
    service_t,
)
from services.cases.casework.records import find_record, list_records
from services.cases.deps import IdempotencyDep
from services.cases.person.errors import SensitiveWriteForbidden
from shared.concurrency import IfMatchHeader, etag
from shared.dates import today_in_vietnam
from shared.db import AnyRow, SessionDep
from shared.errors import problem_responses
from shared.idempotency import Idempotency

router = APIRouter(prefix="/cases/{case_id}", tags=["casework"])
# Reading a case's records: the case must be in the caller's scope.
NOT_FOUND = problem_responses(CaseNotFound)
# Writing into a case: get_open_case also refuses an archived one.
OPEN_CASE = (CaseNotFound, CaseArchived)
WRITE_PROBLEMS = problem_responses(*OPEN_CASE)
# Writing sensitive data (findings, a sensitive note) needs sensitive:read.
SENSITIVE_WRITE_PROBLEMS = problem_responses(*OPEN_CASE, SensitiveWriteForbidden)


M = TypeVar("M", bound=BaseModel)


def as_model(model: type[M], row: AnyRow, **overrides: Any) -> M:
    return model.model_validate({**row._mapping, **overrides})


async def _created(
    request: Request,
    idempotency: Idempotency,
    item: BaseModel,
    hidden: dict[str, Any] | None = None,
) -> Response:
    """201 with the record; `hidden` are the sensitive fields a retry gets hidden, since the
    stored answer must not keep them."""
    headers = {"Location": f"{request.url.path}/{item.id}"}  # type: ignore[attr-defined]
    if (version := getattr(item, "version", None)) is not None:  # records that change later
        headers["ETag"] = etag(version)
    replay = item.model_copy(update=hidden).model_dump(mode="json") if hidden else None
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers, replay=replay)


@router.post(
    "/assessments",
    status_code=201,
    response_model=s.AssessmentRead,
    responses=SENSITIVE_WRITE_PROBLEMS,
)
async def create_assessment(
    request: Request,
    case_id: UUID,
    body: s.AssessmentCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Record an initial risk or a detailed needs assessment."""
    case = await get_open_case(session, principal, case_id)
    record_id = await service.add_assessment(session, principal, case, body)
    row = await find_record(session, assessment_t, case_id, record_id)
    return await _created(
        request, idempotency, as_model(s.AssessmentRead, row), hidden={"findings": None}
    )


@router.get("/assessments", responses=NOT_FOUND)
async def list_assessments(case_id: UUID, reader: PersonalReader) -> s.ListOf[s.AssessmentRead]:
    """The case's assessments; findings only with sensitive:read and a purpose (logged)."""
    case = await get_case(reader.connection, reader.principal, case_id)
    rows = await list_records(reader.connection, assessment_t, case_id)
    if reader.sees_sensitive and any(r.findings for r in rows):
        await reader.read(
            [case.person_id], AccessedRecord.ASSESSMENT, sensitive=True, case_id=case_id
        )
    hidden = {} if reader.sees_sensitive else {"findings": None}
    items = [as_model(s.AssessmentRead, r, **hidden) for r in rows]
    return s.ListOf[s.AssessmentRead](items=items)


@router.post("/plans", status_code=201, response_model=s.SupportPlanRead, responses=WRITE_PROBLEMS)
async def create_support_plan(
    request: Request,
    case_id: UUID,
    body: s.SupportPlanCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Draft a support plan: goals and planned services."""
    case = await get_open_case(session, principal, case_id)
    record_id = await service.add_plan(session, principal, case, body)
    row = await find_record(session, plan_t, case_id, record_id)
    return await _created(request, idempotency, as_model(s.SupportPlanRead, row))


@router.get("/plans", responses=NOT_FOUND)
async def list_support_plans(
    case_id: UUID, session: SessionDep, principal: CaseworkCaller
) -> s.ListOf[s.SupportPlanRead]:
    """The case's support plans, drafts and superseded ones included."""
    await get_case(session, principal, case_id)
    rows = await list_records(session, plan_t, case_id)
    return s.ListOf[s.SupportPlanRead](items=[as_model(s.SupportPlanRead, r) for r in rows])


@router.post(
    "/plans/{plan_id}/approval",
    response_model=s.SupportPlanRead,
    responses=problem_responses(*OPEN_CASE, RecordNotFound, PlanNotDraft),
)
async def approve_support_plan(
    case_id: UUID,
    plan_id: UUID,
    body: s.SupportPlanApproval,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Record the plan's approval (for children, by the commune chairman)."""
    case = await get_open_case(session, principal, case_id)
    await service.approve_plan(session, principal, case, plan_id, body)
    row = await find_record(session, plan_t, case_id, plan_id)
    return await idempotency.respond(
        as_model(s.SupportPlanRead, row).model_dump(mode="json"), 200, {}
    )


@router.post("/services", status_code=201, response_model=s.ServiceRead, responses=WRITE_PROBLEMS)
async def create_service_delivery(
    request: Request,
    case_id: UUID,
    body: s.ServiceCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Record a service delivered, with its funding source and optional amount."""
    case = await get_open_case(session, principal, case_id)
    record_id = await service.add_service(session, principal, case, body)
    row = await find_record(session, service_t, case_id, record_id)
    return await _created(request, idempotency, as_model(s.ServiceRead, row))


@router.get("/services", responses=NOT_FOUND)
async def list_service_deliveries(
    case_id: UUID, session: SessionDep, principal: CaseworkCaller
) -> s.ListOf[s.ServiceRead]:
    """Services delivered in this case."""
    await get_case(session, principal, case_id)
    rows = await list_records(session, service_t, case_id)
    return s.ListOf[s.ServiceRead](items=[as_model(s.ServiceRead, r) for r in rows])


def _follow_up(row: AnyRow) -> s.FollowUpRead:
    overdue = row.done_date is None and row.due_date < today_in_vietnam()
    return as_model(s.FollowUpRead, row, overdue=overdue)


@router.post(
    "/follow-ups", status_code=201, response_model=s.FollowUpRead, responses=WRITE_PROBLEMS
)
async def create_follow_up(
    request: Request,
    case_id: UUID,
    body: s.FollowUpCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Schedule a follow-up or review."""
    case = await get_open_case(session, principal, case_id)
    record_id = await service.add_follow_up(session, principal, case, body)
    row = await find_record(session, follow_up_t, case_id, record_id)
    return await _created(request, idempotency, _follow_up(row))


@router.get("/follow-ups", responses=NOT_FOUND)
async def list_follow_ups(
    case_id: UUID, session: SessionDep, principal: CaseworkCaller
) -> s.ListOf[s.FollowUpRead]:
    """The case's follow-ups and reviews, with whether each is overdue."""
    await get_case(session, principal, case_id)
    rows = await list_records(session, follow_up_t, case_id)
    return s.ListOf[s.FollowUpRead](items=[_follow_up(r) for r in rows])


@router.patch("/follow-ups/{follow_up_id}", responses=problem_responses(*OPEN_CASE, RecordNotFound))
async def complete_follow_up(
    case_id: UUID,
    follow_up_id: UUID,
    body: s.FollowUpDone,
    session: SessionDep,
    principal: CaseworkCaller,
    if_match: IfMatchHeader,
    response: Response,
) -> s.FollowUpRead:
    """Mark a follow-up done; needs If-Match with the follow-up's ETag."""
    case = await get_open_case(session, principal, case_id)
    await service.complete_follow_up(session, principal, case, follow_up_id, body, if_match)
    row = await find_record(session, follow_up_t, case_id, follow_up_id)
    response.headers["ETag"] = etag(row.version)
    return _follow_up(row)


@router.post(
    "/notes", status_code=201, response_model=s.NoteRead, responses=SENSITIVE_WRITE_PROBLEMS
)
async def create_note(
    request: Request,
    case_id: UUID,
    body: s.NoteCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Add a note; a sensitive note needs sensitive:read."""
    case = await get_open_case(session, principal, case_id)
    record_id = await service.add_note(session, principal, case, body)
    row = await find_record(session, note_t, case_id, record_id)
    hidden = {"body": HIDDEN} if row.sensitive else None
    return await _created(request, idempotency, as_model(s.NoteRead, row), hidden)


@router.get("/notes", responses=NOT_FOUND)
async def list_notes(case_id: UUID, reader: PersonalReader) -> s.ListOf[s.NoteRead]:
    """The case's notes; sensitive ones only with sensitive:read and a purpose (logged)."""
    case = await get_case(reader.connection, reader.principal, case_id)
    notes = await list_records(reader.connection, note_t, case_id)
    rows = [r for r in notes if reader.sees_sensitive or not r.sensitive]
    if reader.sees_sensitive and any(r.sensitive for r in rows):
        await reader.read(
            [case.person_id], AccessedRecord.CASE_NOTE, sensitive=True, case_id=case_id
        )
    return s.ListOf[s.NoteRead](items=[as_model(s.NoteRead, r) for r in rows])


def _consent(row: AnyRow) -> s.ConsentRead:
    today = today_in_vietnam()
    active = row.withdrawn_on is None and (row.expires_on is None or row.expires_on >= today)
    return as_model(s.ConsentRead, row, active=active)


@router.post("/consents", status_code=201, response_model=s.ConsentRead, responses=WRITE_PROBLEMS)
async def create_consent(
    request: Request,
    case_id: UUID,
    body: s.ConsentCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Record consent for one purpose, given by the person, the guardian or both."""
    case = await get_open_case(session, principal, case_id)
    record_id = await service.add_consent(session, principal, case, body)
    row = await find_record(session, consent_t, case_id, record_id)
    return await _created(request, idempotency, _consent(row))


@router.get("/consents", responses=NOT_FOUND)
async def list_consents(
    case_id: UUID, session: SessionDep, principal: CaseworkCaller
) -> s.ListOf[s.ConsentRead]:
    """The case's consents, with whether each is still in force."""
    await get_case(session, principal, case_id)
    rows = await list_records(session, consent_t, case_id)
    return s.ListOf[s.ConsentRead](items=[_consent(r) for r in rows])


@router.post(
    "/consents/{consent_id}/withdrawal",
    response_model=s.ConsentRead,
    responses=problem_responses(*OPEN_CASE, RecordNotFound, ConsentAlreadyWithdrawn),
)
async def withdraw_consent(
    case_id: UUID,
    consent_id: UUID,
    body: s.ConsentWithdrawal,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Record that a consent was withdrawn; it stays on file, no longer in force."""
    case = await get_open_case(session, principal, case_id)
    await service.withdraw_consent(session, principal, case, consent_id, body)
    row = await find_record(session, consent_t, case_id, consent_id)
    return await idempotency.respond(_consent(row).model_dump(mode="json"), 200, {})
