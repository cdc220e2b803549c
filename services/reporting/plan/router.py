"""HTTP for plans and the indicator catalogue."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.reporting.access import PlanAuthor, PlanReader
from services.reporting.deps import IdempotencyDep
from services.reporting.indicators.catalogue import CATALOGUE
from services.reporting.periods import periods_of_year
from services.reporting.plan import service
from services.reporting.plan.errors import PlanCodeExists, PlanNotFound
from services.reporting.plan.schemas import IndicatorRead, PeriodRead, PlanIn, PlanList, PlanRead
from shared.access import AnyCaller
from shared.concurrency import etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import ListOf
from shared.responses import model_response

router = APIRouter(tags=["plans"])


@router.get("/indicators")
async def list_indicators(_: AnyCaller) -> ListOf[IndicatorRead]:
    """The plans' indicators, then the monitored ones: definition, source, window and unit."""
    return ListOf(
        items=[
            IndicatorRead(**{**vars(i), "breakdowns": list(i.breakdowns)})
            for i in CATALOGUE.values()
        ]
    )


@router.post(
    "/plans",
    status_code=201,
    response_model=PlanRead,
    responses=problem_responses(PlanCodeExists),
)
async def create_plan(
    request: Request,
    body: PlanIn,
    session: SessionDep,
    principal: PlanAuthor,
    idempotency: IdempotencyDep,
) -> Response:
    """Create a plan with its targets (an officer for its province; the ministry nationally)."""
    plan_id = await service.create_plan(session, principal, body)
    item = await service.read_plan(session, principal, plan_id)
    headers = {"Location": f"{request.url.path}/{plan_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("/plans")
async def list_plans(session: SessionDep, principal: PlanReader) -> PlanList:
    """Plans you may report on: your province's and the national programme."""
    return PlanList(items=await service.list_plans(session, principal))


@router.get("/plans/{plan_id}", response_model=PlanRead, responses=problem_responses(PlanNotFound))
async def get_plan(plan_id: UUID, session: SessionDep, principal: PlanReader) -> Response:
    """One plan with its targets."""
    item = await service.read_plan(session, principal, plan_id)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.get("/periods")
async def list_periods(
    _: AnyCaller, year: Annotated[int, Query(ge=2000, le=2100)]
) -> ListOf[PeriodRead]:
    """A year's reporting periods with their data windows (Decree 09/2019) and deadlines."""
    return ListOf(items=[PeriodRead(**vars(period)) for period in periods_of_year(year)])
