"""Registering and reading a province's agencies."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import agency_scope
from services.reporting.agency.errors import AgencyCodeExists, AgencyNotFound
from services.reporting.agency.models import Agency, agency_t
from services.reporting.agency.schemas import AgencyIn, AgencyRead
from services.reporting.common import history
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.db import utcnow
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.history import record_event
from shared.models import new_id
from shared.records import fetch_in_scope, unique_or, values_of


def _check_ward(province_code: str, ward_code: str | None) -> None:
    if ward_code is None:
        return
    ward = units_2025().wards.get(ward_code)
    if ward is None or ward.province_code != province_code:
        raise ValidationFailed(
            [field_error(["body", "ward_code"], f"no ward {ward_code} in your province", "unknown")]
        )


async def create_agency(connection: AsyncConnection, principal: Principal, data: AgencyIn) -> UUID:
    """An agency of the officer's own province; 409 if the province has its code."""
    province = principal.province_code
    if province is None:
        raise Forbidden("only an officer bound to a province registers its agencies")
    _check_ward(province, data.ward_code)
    now, agency_id = utcnow(), new_id()
    values = {
        **data.model_dump(),
        "id": agency_id,
        "province_code": province,
        "version": 1,
        "created_by": principal.subject,
        "created_at": now,
        "updated_at": now,
        "archived_at": None,
    }
    async with unique_or(connection, lambda: AgencyCodeExists(f"agency code {data.code} is taken")):
        await connection.execute(agency_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="agency",
        entity_id=agency_id,
        action="created",
        changes={"code": data.code, "kind": data.kind.value},
    )
    return agency_id


async def get_agency(connection: AsyncConnection, principal: Principal, agency_id: UUID) -> Agency:
    return await fetch_in_scope(
        connection, Agency, agency_id, agency_scope(principal), AgencyNotFound
    )


def agency_read(agency: Agency) -> AgencyRead:
    return AgencyRead.model_validate(values_of(agency_t, agency))


async def list_agencies(
    connection: AsyncConnection, principal: Principal, kind: str | None
) -> list[AgencyRead]:
    """The agencies in the caller's scope, by kind and code: an officer's whole province, an
    agency officer's own agency."""
    query = sa.select(agency_t).where(agency_scope(principal), agency_t.c.archived_at.is_(None))
    if kind is not None:
        query = query.where(agency_t.c.kind == kind)
    rows = await connection.execute(query.order_by(agency_t.c.kind, agency_t.c.code))
    return [AgencyRead.model_validate(row._asdict()) for row in rows]
