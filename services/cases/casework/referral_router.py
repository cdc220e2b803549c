"""HTTP for referrals: sent from a case, answered by the receiving facility, each step
against its deadline."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.cases.access.policy import CaseworkCaller
from services.cases.case.errors import CaseArchived, CaseNotFound
from services.cases.case.service import get_case, get_open_case
from services.cases.casework import referrals
from services.cases.casework import schemas as s
from services.cases.casework.errors import (
    IllegalReferralStep,
    OutcomeRequired,
    ReasonRequired,
    RecordNotFound,
    ReferralStepForbidden,
)
from services.cases.casework.models import referral_t
from services.cases.casework.records import find_record, list_records
from services.cases.casework.router import as_model
from services.cases.deps import IdempotencyDep, ReferralDeadlinesDep
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import LimitQuery

router = APIRouter(tags=["referrals"])


@router.post(
    "/cases/{case_id}/referrals",
    status_code=201,
    response_model=s.ReferralRead,
    responses=problem_responses(CaseNotFound, CaseArchived),
)
async def create_referral(
    request: Request,
    case_id: UUID,
    body: s.ReferralCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
    clocks: ReferralDeadlinesDep,
) -> Response:
    """Refer the case to another facility; the person's consent must be confirmed.

    The receiving facility must answer by `respond_by`, set from the case's risk level."""
    case = await get_open_case(session, principal, case_id)
    record_id = await referrals.add_referral(session, principal, case, body, clocks)
    row = await find_record(session, referral_t, case_id, record_id)
    item = as_model(s.ReferralRead, row)
    headers = {"Location": f"/api/v1/referrals/{record_id}", "ETag": etag(row.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("/cases/{case_id}/referrals", responses=problem_responses(CaseNotFound))
async def list_case_referrals(
    case_id: UUID, session: SessionDep, principal: CaseworkCaller
) -> s.ListOf[s.ReferralRead]:
    """Referrals made from this case."""
    await get_case(session, principal, case_id)
    rows = await list_records(session, referral_t, case_id)
    return s.ListOf[s.ReferralRead](items=[as_model(s.ReferralRead, r) for r in rows])


@router.get("/referrals")
async def list_referrals(
    session: SessionDep,
    principal: CaseworkCaller,
    direction: Annotated[
        Literal["incoming", "outgoing"], Query(description="incoming: to my facility")
    ] = "incoming",
    status: s.ReferralStatus | None = None,
    limit: LimitQuery = 100,
) -> s.ListOf[s.ReferralRead]:
    """A facility's referral inbox (incoming) or what its cases sent (outgoing), newest first."""
    rows = await referrals.list_referrals(
        session, principal, direction=direction, status=status, limit=limit
    )
    return s.ListOf[s.ReferralRead](items=[as_model(s.ReferralRead, r) for r in rows])


# Before /referrals/{referral_id}, which would take "overdue" for an id.
@router.get("/referrals/overdue")
async def list_overdue_referrals(
    session: SessionDep,
    principal: CaseworkCaller,
    direction: Annotated[
        Literal["incoming", "outgoing", "all"],
        Query(
            description="incoming: to my facility; outgoing: from my cases to elsewhere; all: "
            "both (for a province officer, every case of the province)"
        ),
    ] = "all",
    escalated: Annotated[
        bool | None, Query(description="true: the escalation queue; false: not escalated yet")
    ] = None,
    limit: LimitQuery = 100,
) -> s.ListOf[s.OverdueReferral]:
    """Referrals past a deadline they have not met, longest overdue first.

    Pending past `respond_by`, or accepted and not contacted by `first_contact_by`; each with
    the deadline it passed and, once escalated, when."""
    rows = await referrals.list_overdue(
        session, principal, direction=direction, escalated=escalated, limit=limit
    )
    return s.ListOf[s.OverdueReferral](items=[as_model(s.OverdueReferral, r) for r in rows])


@router.get("/referrals/{referral_id}", responses=problem_responses(RecordNotFound))
async def get_referral(
    referral_id: UUID, session: SessionDep, principal: CaseworkCaller, response: Response
) -> s.ReferralRead:
    """One referral, sent or received."""
    row = await referrals.get_referral(session, principal, referral_id)
    response.headers["ETag"] = etag(row.version)
    return as_model(s.ReferralRead, row)


@router.post(
    "/referrals/{referral_id}/transitions",
    response_model=s.ReferralRead,
    responses=problem_responses(
        RecordNotFound, IllegalReferralStep, ReferralStepForbidden, ReasonRequired, OutcomeRequired
    ),
)
async def step_referral(
    referral_id: UUID,
    body: s.ReferralStep,
    session: SessionDep,
    principal: CaseworkCaller,
    if_match: IfMatchHeader,
    idempotency: IdempotencyDep,
    clocks: ReferralDeadlinesDep,
) -> Response:
    """Accept, reject, contact, complete (receiving facility) or cancel (sender) a referral.

    A rejection needs its reason in `note`, a completion its `outcome` (and the
    `services_delivered` when it delivered any). `contacted` records the first contact with
    the person, due by `first_contact_by`."""
    await referrals.step_referral(session, principal, referral_id, body, if_match, clocks)
    row = await referrals.get_referral(session, principal, referral_id)
    item = as_model(s.ReferralRead, row).model_dump(mode="json")
    return await idempotency.respond(item, 200, {"ETag": etag(row.version)})
