"""HTTP for wage references: dated, and added to by an admin rather than edited in place."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import Strict

from services.workforce.access import Admin, RegistryReader
from services.workforce.deps import IdempotencyDep
from services.workforce.facility.errors import FacilityNotFound
from services.workforce.validation import WageRegion, WardCode
from services.workforce.wage import service
from services.workforce.wage.errors import WageRateExists
from services.workforce.wage.schemas import (
    FacilityRegionRead,
    RatesInForce,
    WageRateIn,
    WageRateOut,
    WageRates,
    WardRegion,
)
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import CursorQuery, LimitQuery, Page
from shared.responses import model_response

router = APIRouter(tags=["wages"])


@router.get("/wage-rates")
async def list_wage_rates(session: SessionDep, _: RegistryReader) -> WageRates:
    """Every base and regional minimum wage with the date it took effect."""
    rows = await service.list_wage_rates(session)
    return WageRates(items=[WageRateOut.model_validate(r._asdict()) for r in rows])


@router.get("/wage-rates/in-force")
async def get_rates_in_force(
    session: SessionDep,
    _: RegistryReader,
    on: Day,
    region: Annotated[WageRegion, Strict(False), Query()],
) -> RatesInForce:
    """The base wage and the region's minimum wage in force on a date."""
    return RatesInForce(on=on, region=region, **await service.rates_on(session, on, region))


@router.post(
    "/wage-rates",
    status_code=201,
    response_model=WageRateOut,
    responses=problem_responses(WageRateExists),
)
async def create_wage_rate(
    request: Request,
    body: WageRateIn,
    session: SessionDep,
    principal: Admin,
    idempotency: IdempotencyDep,
) -> Response:
    """Add a rate taking effect on a date (admins only); earlier rates stay as they were."""
    await service.create_wage_rate(session, principal, body)
    return await idempotency.respond(body.model_dump(mode="json"), 201, {})


@router.get("/ward-wage-regions", response_model=Page[WardRegion])
async def list_ward_regions(
    session: SessionDep,
    _: RegistryReader,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$", description="2025 scheme")] = None,
    ward: WardCode | None = None,
    on: Annotated[Day | None, Query(description="Only the spans in force that day")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 200,
) -> Response:
    """The minimum-wage region of each 2025 ward over time, with its legal source. Loaded by
    a province officer with POST /imports/ward-wage-regions."""
    items, next_cursor = await service.list_ward_regions(session, province, ward, on, cursor, limit)
    return model_response(Page[WardRegion](items=items, next_cursor=next_cursor))


@router.get("/facilities/{facility_id}/wage-region", responses=problem_responses(FacilityNotFound))
async def get_facility_region(
    facility_id: UUID, session: SessionDep, principal: RegistryReader, on: Day
) -> FacilityRegionRead:
    """The region a facility has on a date: its override, else its ward's, else unresolved."""
    return await service.facility_wage_region(session, principal, facility_id, on)
