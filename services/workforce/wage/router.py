"""HTTP for wage references: dated, and added to by an admin rather than edited in place."""

from datetime import date
from typing import Annotated
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, Strict, StrictInt, model_validator

from services.workforce.access import Admin, RegistryReader
from services.workforce.deps import IdempotencyDep
from services.workforce.facility.errors import FacilityNotFound
from services.workforce.facility.service import get_facility
from services.workforce.reference.codes import WageKind
from services.workforce.validation import VND, WageRegion, WardCode
from services.workforce.wage.models import wage_t, ward_region_t
from services.workforce.wage.regions import region_of_facility
from services.workforce.wage.schemas import FacilityRegionRead, WardRegion
from services.workforce.wage.service import rates_on
from shared.admin_units import units_2025
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import Conflict, problem_responses
from shared.models import new_id
from shared.pagination import CursorQuery, LimitQuery, Page, keyset_page
from shared.responses import model_response

router = APIRouter(tags=["wages"])


class WageRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: WageKind
    region: StrictInt = Field(
        default=0, ge=0, le=4, description="1–4 for regional minimums, 0 for base"
    )
    amount_vnd: VND
    effective_from: Day
    legal_basis: str | None = Field(
        default=None, max_length=200, examples=["Nghị định 73/2024/NĐ-CP"]
    )

    @model_validator(mode="after")
    def _region_fits_kind(self) -> "WageRateIn":
        if (self.kind == WageKind.BASE) != (self.region == 0):
            raise ValueError("the base wage has region 0; regional minimums have regions 1–4")
        return self


class WageRateOut(WageRateIn):
    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)


class WageRates(BaseModel):
    items: list[WageRateOut]


class RatesInForce(BaseModel):
    on: date
    region: int
    base: int | None
    regional_minimum: int | None


class WageRateExists(Conflict):
    code = "wage_rate_exists"
    title = "A rate of this kind and region already starts on that date"


@router.get("/wage-rates")
async def list_wage_rates(session: SessionDep, _: RegistryReader) -> WageRates:
    """Every base and regional minimum wage with the date it took effect."""
    rows = await session.execute(
        sa.select(wage_t).order_by(wage_t.c.kind, wage_t.c.region, wage_t.c.effective_from)
    )
    return WageRates(items=[WageRateOut.model_validate(r._asdict()) for r in rows])


@router.get("/wage-rates/in-force")
async def get_rates_in_force(
    session: SessionDep,
    _: RegistryReader,
    on: Day,
    region: Annotated[WageRegion, Strict(False), Query()],
) -> RatesInForce:
    """The base wage and the region's minimum wage in force on a date."""
    return RatesInForce(on=on, region=region, **await rates_on(session, on, region))


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
    try:
        async with session.begin_nested():
            await session.execute(
                wage_t.insert().values(
                    id=new_id(), created_by=principal.subject, **body.model_dump(mode="python")
                )
            )
    except sa.exc.IntegrityError:
        raise WageRateExists() from None
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
    t = ward_region_t
    query = sa.select(t).where(t.c.archived_at.is_(None))
    for column, value in ((t.c.province_code, province), (t.c.ward_code, ward)):
        if value is not None:
            query = query.where(column == value)
    if on is not None:
        query = query.where(
            t.c.valid_from <= on, sa.or_(t.c.valid_to.is_(None), t.c.valid_to >= on)
        )
    rows, next_cursor = await keyset_page(
        session, query, [t.c.ward_code, t.c.valid_from, t.c.id], cursor=cursor, limit=limit
    )
    wards = units_2025().wards
    items = [
        WardRegion.model_validate({**r._asdict(), "ward_name": wards[r.ward_code].name})
        for r in rows
    ]
    return model_response(Page[WardRegion](items=items, next_cursor=next_cursor))


@router.get("/facilities/{facility_id}/wage-region", responses=problem_responses(FacilityNotFound))
async def get_facility_region(
    facility_id: UUID, session: SessionDep, principal: RegistryReader, on: Day
) -> FacilityRegionRead:
    """The region a facility has on a date: its override, else its ward's, else unresolved."""
    facility = await get_facility(session, principal, facility_id)
    found = await region_of_facility(session, facility, on)
    return FacilityRegionRead(facility_id=facility.id, on=on, **vars(found))
