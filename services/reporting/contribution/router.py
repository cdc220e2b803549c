"""HTTP for contributions: the lead department asks and reviews, each agency's officers
draft and submit their own, and both read them (the desk is the list)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import AgencyFiler, ContributionReader, LeadDepartment
from services.reporting.agency.errors import AgencyNotFound
from services.reporting.contribution import service
from services.reporting.contribution.errors import (
    ContributionExists,
    ContributionFrozen,
    ContributionNotFound,
    ContributionNotSubmitted,
)
from services.reporting.contribution.schemas import (
    ContributionList,
    ContributionRead,
    ContributionRequest,
    ContributionReview,
    ContributionStatus,
    ContributionUpdate,
    ReminderRequest,
)
from services.reporting.deps import IdempotencyDep
from services.reporting.plan.errors import PlanNotFound
from shared.auth import Principal
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.history import HistoryPage
from shared.responses import model_response

router = APIRouter(prefix="/contributions", tags=["contributions"])
# Beside /contributions, not under it: /contributions/reminders would also match the
# routes of /contributions/{contribution_id}, and a 405 there would advertise their methods.
reminders_router = APIRouter(tags=["contributions"])
NOT_FOUND = problem_responses(ContributionNotFound)


async def _respond(
    session: AsyncConnection, principal: Principal, contribution_id: UUID
) -> Response:
    row = await service.get_contribution(session, principal, contribution_id)
    item = service.contribution_read(row)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "",
    status_code=201,
    response_model=ContributionRead,
    responses=problem_responses(PlanNotFound, AgencyNotFound, ContributionExists),
)
async def request_contribution(
    request: Request,
    body: ContributionRequest,
    session: SessionDep,
    principal: LeadDepartment,
    idempotency: IdempotencyDep,
) -> Response:
    """Ask an agency of your province for its contribution to a plan and period, due on or
    before the province's own deadline."""
    contribution_id = await service.request_contribution(session, principal, body)
    row = await service.get_contribution(session, principal, contribution_id)
    item = service.contribution_read(row)
    headers = {"Location": f"{request.url.path}/{contribution_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@reminders_router.post(
    "/contribution-reminders",
    response_model=ContributionList,
    responses=problem_responses(PlanNotFound),
)
async def remind_overdue_contributions(
    body: ReminderRequest, session: SessionDep, principal: LeadDepartment
) -> ContributionList:
    """Remind every agency of your province whose contribution to the plan and period is
    overdue: each gets `reminded_at` and a history entry. Answers those reminded."""
    reminded = await service.remind_overdue(session, principal, body.plan_id, body.period)
    return ContributionList(items=reminded)


@router.get("", response_model=ContributionList)
async def list_contributions(
    session: SessionDep,
    principal: ContributionReader,
    plan_id: UUID | None = None,
    period: Annotated[str | None, Query(max_length=40)] = None,
    agency_id: UUID | None = None,
    status: ContributionStatus | None = None,
    overdue: bool | None = None,
) -> ContributionList:
    """Who must contribute and who has filed: your province's contributions (an agency
    officer: its own agency's), by due date; `overdue=true` for those past due not filed."""
    filters = {"plan_id": plan_id, "period_id": period, "agency_id": agency_id, "status": status}
    return ContributionList(
        items=await service.list_contributions(session, principal, filters, overdue)
    )


@router.get("/{contribution_id}", response_model=ContributionRead, responses=NOT_FOUND)
async def get_contribution(
    contribution_id: UUID, session: SessionDep, principal: ContributionReader
) -> Response:
    """One contribution in your scope, drafts included for its own agency, with its ETag:
    send it back as If-Match to change, submit or review it."""
    return await _respond(session, principal, contribution_id)


@router.patch(
    "/{contribution_id}",
    response_model=ContributionRead,
    responses=problem_responses(ContributionNotFound, ContributionFrozen),
)
async def update_contribution(
    contribution_id: UUID,
    body: ContributionUpdate,
    session: SessionDep,
    principal: AgencyFiler,
    if_match: IfMatchHeader,
) -> Response:
    """Write your agency's contribution: what was done per task, activity counts, funding,
    difficulties and proposals. 409 once submitted, until it is returned."""
    await service.update_contribution(session, principal, contribution_id, body, if_match)
    return await _respond(session, principal, contribution_id)


@router.post(
    "/{contribution_id}/submission",
    response_model=ContributionRead,
    responses=problem_responses(ContributionNotFound, ContributionFrozen),
)
async def submit_contribution(
    contribution_id: UUID, session: SessionDep, principal: AgencyFiler, if_match: IfMatchHeader
) -> Response:
    """Submit your agency's contribution to the lead department: it is frozen from now on."""
    await service.submit_contribution(session, principal, contribution_id, if_match)
    return await _respond(session, principal, contribution_id)


@router.post(
    "/{contribution_id}/review",
    response_model=ContributionRead,
    responses=problem_responses(ContributionNotFound, ContributionNotSubmitted),
)
async def review_contribution(
    contribution_id: UUID,
    body: ContributionReview,
    session: SessionDep,
    principal: LeadDepartment,
    if_match: IfMatchHeader,
) -> Response:
    """Accept a submitted contribution, or return it for revision with the reason (and a
    new due date if you give one)."""
    await service.review_contribution(session, principal, contribution_id, body, if_match)
    return await _respond(session, principal, contribution_id)


@router.get("/{contribution_id}/history", responses=NOT_FOUND)
async def get_contribution_history(
    contribution_id: UUID, session: SessionDep, principal: ContributionReader
) -> HistoryPage:
    """Who asked for, edited, submitted, accepted or returned it, and when."""
    return HistoryPage(
        items=await service.contribution_history(session, principal, contribution_id)
    )
