"""HTTP for plans and the indicator catalogue."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from services.reporting.access import PlanAuthor, PlanReader
from services.reporting.deps import IdempotencyDep
from services.reporting.indicators.catalogue import CATALOGUE, IndicatorUnit
from services.reporting.periods import PeriodKind, periods_of_year
from services.reporting.plan import service
from services.reporting.plan.schemas import PlanIn, PlanList, PlanRead
from shared.access import AnyCaller
from shared.concurrency import etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import ListOf
from shared.responses import model_response

router = APIRouter(tags=["plans"])


class IndicatorRead(BaseModel):
    code: str
    target_no: str
    name_vi: str
    name_en: str
    unit: IndicatorUnit
    numerator: str = Field(description="Who or what is counted, in the plans' own terms")
    denominator: str
    source: str
    taken: str = Field(description="The dates the numbers are taken on or over")
    about_people: bool = Field(description="Counts people: small counts withheld outside")
    excluded: str = Field(description="What the numbers leave out")
    judged: str = Field(description="When and against what the target is judged")
    breakdowns: list[str] = Field(description="The breakdowns given in details")
    territory: str = Field(description="Which records of a plan's territory count")


@router.get("/indicators")
async def list_indicators(_: AnyCaller) -> ListOf[IndicatorRead]:
    """The ten indicators: definition, numerator, denominator, source, window and unit."""
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
    responses=problem_responses(service.PlanCodeExists),
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
    plan = await service.get_plan_row(session, principal, plan_id)
    item = service.plan_read(plan, await service.targets_of(session, plan_id))
    headers = {"Location": f"{request.url.path}/{plan_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("/plans")
async def list_plans(session: SessionDep, principal: PlanReader) -> PlanList:
    """Plans you may report on: your province's and the national programme."""
    return PlanList(items=await service.list_plans(session, principal))


@router.get(
    "/plans/{plan_id}", response_model=PlanRead, responses=problem_responses(service.PlanNotFound)
)
async def get_plan(plan_id: UUID, session: SessionDep, principal: PlanReader) -> Response:
    """One plan with its targets."""
    plan = await service.get_plan_row(session, principal, plan_id)
    item = service.plan_read(plan, await service.targets_of(session, plan_id))
    return model_response(item, headers={"ETag": etag(item.version)})


class PeriodRead(BaseModel):
    id: str
    kind: PeriodKind
    start: date
    end: date
    deadline: date | None
    dhis2_id: str | None
    label_vi: str
    label_en: str


@router.get("/periods")
async def list_periods(
    _: AnyCaller, year: Annotated[int, Query(ge=2000, le=2100)]
) -> ListOf[PeriodRead]:
    """A year's reporting periods with their data windows (Decree 09/2019) and deadlines."""
    return ListOf(items=[PeriodRead(**vars(period)) for period in periods_of_year(year)])
