"""Registering, finding and changing facilities."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import check_province, facility_scope
from services.workforce.assignment.ending import end_positions
from services.workforce.assignment.models import assignment_t
from services.workforce.common import history
from services.workforce.facility.errors import FacilityCodeExists, FacilityNotFound
from services.workforce.facility.models import Facility, facility_t
from services.workforce.facility.schemas import FacilityCreate, FacilityUpdate
from services.workforce.validation import check_legacy_ward
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.dates import today_in_vietnam
from shared.errors import ValidationFailed, field_error
from shared.history import record_event
from shared.models import new_record_values
from shared.pagination import model_page
from shared.records import archive, fetch_in_scope, save_changes, unique_or, values_of
from shared.text import search_key

OVERRIDE = ("wage_region_override", "wage_region_override_reason")


async def get_facility(
    connection: AsyncConnection, principal: Principal, facility_id: UUID
) -> Facility:
    return await fetch_in_scope(
        connection, Facility, facility_id, facility_scope(principal), FacilityNotFound
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
    taken = FacilityCodeExists(f"facility code {data.code} is taken")
    async with unique_or(connection, lambda: taken):
        await connection.execute(facility_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="facility",
        entity_id=values["id"],
        action="created",
        changes={
            "code": data.code,
            **{k: values[k] for k in OVERRIDE if values[k] is not None},
        },
    )
    created: UUID = values["id"]
    return created


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", field], message, "inconsistent")])


def _check_merged(current: Facility, values: dict[str, Any]) -> None:
    """The rules FacilityCreate checks, on the record as it will be after the change."""
    if values.get("ward_code", current.ward_code) != current.ward_code:
        # A facility moved to another ward keeps no legacy commune unless one comes with it.
        values.setdefault("legacy_ward_code", None)
    merged = {**values_of(facility_t, current), **values}
    if "wage_region_override" in values and values["wage_region_override"] is None:
        values["wage_region_override_reason"] = merged["wage_region_override_reason"] = None
    if (merged["wage_region_override"] is None) != (merged["wage_region_override_reason"] is None):
        raise _invalid(
            "wage_region_override_reason", "an override needs a reason, and a reason an override"
        )
    if "wage_region_override" in values and "wage_region_override_reason" not in values:
        raise _invalid("wage_region_override_reason", "say why the override changes")
    try:
        check_legacy_ward(merged["ward_code"], merged["legacy_ward_code"])
    except ValueError as exc:
        raise _invalid("legacy_ward_code", str(exc)) from None
    if (
        merged["active_from"]
        and merged["active_to"]
        and merged["active_to"] < merged["active_from"]
    ):
        raise _invalid("active_to", "must not be before active_from")


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
    _check_merged(current, values)
    changed = await save_changes(
        connection,
        facility_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="facility",
    )
    closing = values.get("active_to")
    if changed and closing is not None and closing != current.active_to:
        await _end_its_positions(connection, principal, current.id, closing, "facility_closed")


async def archive_facility(
    connection: AsyncConnection, principal: Principal, facility_id: UUID, if_match: str | None
) -> None:
    current = await get_facility(connection, principal, facility_id)
    check_province(principal, current.province_code)
    archived = await archive(
        connection,
        facility_t,
        current,
        if_match,
        history=history,
        principal=principal,
        entity_type="facility",
    )
    if archived:
        ends = min(current.active_to or today_in_vietnam(), today_in_vietnam())
        await _end_its_positions(connection, principal, current.id, ends, "facility_archived")


async def _end_its_positions(
    connection: AsyncConnection, principal: Principal, facility_id: UUID, on: date, because: str
) -> None:
    ended = await end_positions(
        connection, principal, assignment_t.c.facility_id == facility_id, on, because
    )
    if ended:
        await record_event(
            connection,
            history,
            principal,
            entity_type="facility",
            entity_id=facility_id,
            action="positions_ended",
            changes={"on": str(on), "because": because, "assignments": [str(i) for i in ended]},
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
        conditions.append(
            sa.or_(
                # autoescape: "%", "_" (and its escape character) are matched as themselves.
                facility_t.c.name_key.contains(search_key(f.q), autoescape=True),
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
        staffed = has_ctxh_staff_on(today_in_vietnam())
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
) -> tuple[list[Facility], str | None]:
    query = sa.select(Facility).where(*_conditions(principal, filters))
    return await model_page(
        connection, query, [facility_t.c.code, facility_t.c.id], cursor=cursor, limit=limit
    )
