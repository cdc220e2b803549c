"""Registering, finding and changing facilities."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import assignment_t, check_province, facility_scope, facility_t
from services.workforce.common import history
from services.workforce.facility.errors import FacilityCodeExists, FacilityNotFound
from services.workforce.facility.schemas import FacilityCreate, FacilityUpdate
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.history import record_event
from shared.models import new_record_values
from shared.pagination import keyset_page
from shared.records import archive, fetch_in_scope, save_changes
from shared.text import search_key


async def get_facility(connection: AsyncConnection, principal: Principal, facility_id: UUID) -> Any:
    return await fetch_in_scope(
        connection, facility_t, facility_id, facility_scope(principal), FacilityNotFound
    )


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "name" in values:
        values["name_key"] = search_key(values["name"])
    if "ward_code" in values:
        values["province_code"] = units_2025().wards[values["ward_code"]].province_code
    return values


async def create_facility(
    connection: AsyncConnection, principal: Principal, data: FacilityCreate
) -> UUID:
    values = _values(data.model_dump(mode="python"))
    check_province(principal, values["province_code"])
    values.update(new_record_values(principal.subject))
    try:
        async with connection.begin_nested():
            await connection.execute(facility_t.insert().values(**values))
    except sa.exc.IntegrityError:
        raise FacilityCodeExists(f"facility code {data.code} is taken") from None
    await record_event(
        connection,
        history,
        principal,
        entity_type="facility",
        entity_id=values["id"],
        action="created",
        changes={"code": data.code},
    )
    return values["id"]


async def update_facility(
    connection: AsyncConnection,
    principal: Principal,
    facility_id: UUID,
    data: FacilityUpdate,
    if_match: str | None,
) -> None:
    current = await get_facility(connection, principal, facility_id)
    check_province(principal, current.province_code)
    check_if_match(if_match, current.version)
    values = _values(data.model_dump(mode="python", exclude_unset=True))
    if "province_code" in values:
        check_province(principal, values["province_code"])
    await save_changes(
        connection,
        facility_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="facility",
    )


async def archive_facility(
    connection: AsyncConnection, principal: Principal, facility_id: UUID, if_match: str | None
) -> None:
    current = await get_facility(connection, principal, facility_id)
    check_province(principal, current.province_code)
    await archive(
        connection,
        facility_t,
        current,
        if_match,
        history=history,
        principal=principal,
        entity_type="facility",
    )


@dataclass(frozen=True)
class FacilityFilters:
    q: str | None = None
    kinds: tuple[str, ...] = ()
    sector: str | None = None
    ward_code: str | None = None
    province_code: str | None = None
    provides_services: bool | None = None
    in_network_plan: bool | None = None
    has_ctxh_staff: bool | None = None
    include_archived: bool = False


def has_ctxh_staff_on(on: date) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        assignment_t.c.facility_id == facility_t.c.id,
        assignment_t.c.is_ctxh.is_(True),
        assignment_t.c.archived_at.is_(None),
        assignment_t.c.start_date <= on,
        sa.or_(assignment_t.c.end_date.is_(None), assignment_t.c.end_date >= on),
    )


def _conditions(principal: Principal, f: FacilityFilters) -> list[sa.ColumnElement[bool]]:
    conditions = [facility_scope(principal)]
    if f.q:
        key = search_key(f.q).replace("%", "\\%").replace("_", "\\_")
        conditions.append(
            sa.or_(
                facility_t.c.name_key.like(f"%{key}%", escape="\\"),
                facility_t.c.code == f.q.strip(),
            )
        )
    if f.kinds:
        conditions.append(facility_t.c.kind.in_(f.kinds))
    simple = {
        facility_t.c.sector: f.sector,
        facility_t.c.ward_code: f.ward_code,
        facility_t.c.province_code: f.province_code,
        facility_t.c.provides_services: f.provides_services,
        facility_t.c.in_network_plan: f.in_network_plan,
    }
    conditions += [column == value for column, value in simple.items() if value is not None]
    if f.has_ctxh_staff is not None:
        staffed = has_ctxh_staff_on(date.today())
        conditions.append(staffed if f.has_ctxh_staff else sa.not_(staffed))
    if not f.include_archived:
        conditions.append(facility_t.c.archived_at.is_(None))
    return conditions


async def list_facilities(
    connection: AsyncConnection,
    principal: Principal,
    filters: FacilityFilters,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    query = sa.select(facility_t).where(*_conditions(principal, filters))
    return await keyset_page(
        connection, query, [facility_t.c.code, facility_t.c.id], cursor=cursor, limit=limit
    )
