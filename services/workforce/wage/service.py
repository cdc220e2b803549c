"""Wage references: the dated rates, the wage in force on a date (for "allowance at least
the base / minimum wage"), and the regions of wards and facilities."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.facility.service import get_facility
from services.workforce.reference.codes import WageKind
from services.workforce.wage.errors import WageRateExists
from services.workforce.wage.models import wage_t
from services.workforce.wage.regions import region_of_facility, ward_region_spans
from services.workforce.wage.schemas import FacilityRegionRead, WageRateIn, WardRegion
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.db import AnyRow
from shared.models import new_id
from shared.records import unique_or


def rate_in_force(kind: WageKind, region: Any, on: Any) -> sa.ScalarSelect[Any]:
    """The amount of `kind` (for `region`) in force on `on`, as a correlated SQL subquery."""
    return (
        sa.select(wage_t.c.amount_vnd)
        .where(
            wage_t.c.kind == kind.value, wage_t.c.region == region, wage_t.c.effective_from <= on
        )
        .order_by(wage_t.c.effective_from.desc())
        .limit(1)
        .correlate_except(wage_t)
        .scalar_subquery()
    )


async def rates_on(connection: AsyncConnection, on: date, region: int) -> dict[str, int | None]:
    query = sa.select(
        rate_in_force(WageKind.BASE, 0, on).label("base"),
        rate_in_force(WageKind.REGIONAL_MINIMUM, region, on).label("regional_minimum"),
    )
    row = (await connection.execute(query)).one()
    return {"base": row.base, "regional_minimum": row.regional_minimum}


async def list_wage_rates(connection: AsyncConnection) -> list[AnyRow]:
    query = sa.select(wage_t).order_by(wage_t.c.kind, wage_t.c.region, wage_t.c.effective_from)
    return list(await connection.execute(query))


async def create_wage_rate(
    connection: AsyncConnection, principal: Principal, data: WageRateIn
) -> None:
    """Add a dated rate; one of the same kind and region starting that day is refused."""
    async with unique_or(connection, WageRateExists):  # the unique kind, region and date
        await connection.execute(
            wage_t.insert().values(
                id=new_id(), created_by=principal.subject, **data.model_dump(mode="python")
            )
        )


async def list_ward_regions(
    connection: AsyncConnection,
    province: str | None,
    ward: str | None,
    on: date | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[WardRegion], str | None]:
    """One page of ward regions, each with its ward's name, and the next page's cursor."""
    rows, next_cursor = await ward_region_spans(connection, province, ward, on, cursor, limit)
    wards = units_2025().wards
    items = [
        WardRegion.model_validate({**r._asdict(), "ward_name": wards[r.ward_code].name})
        for r in rows
    ]
    return items, next_cursor


async def facility_wage_region(
    connection: AsyncConnection, principal: Principal, facility_id: UUID, on: date
) -> FacilityRegionRead:
    """The region of a facility in the caller's scope on a date, and where it comes from."""
    facility = await get_facility(connection, principal, facility_id)
    found = await region_of_facility(connection, facility, on)
    return FacilityRegionRead(facility_id=facility.id, on=on, **vars(found))
