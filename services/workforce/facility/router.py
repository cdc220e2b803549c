"""HTTP for facilities: /api/v1/facilities."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.workforce.access import Manager, RegistryReader
from services.workforce.common import history
from services.workforce.deps import IdempotencyDep
from services.workforce.facility import service
from services.workforce.facility.errors import FacilityCodeExists, FacilityNotFound
from services.workforce.facility.models import Facility, facility_t
from services.workforce.facility.schemas import (
    FacilityCreate,
    FacilityPage,
    FacilityRead,
    FacilityUpdate,
)
from services.workforce.reference.codes import FacilityKind, Sector
from services.workforce.validation import WardCode
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.history import HistoryPage, history_of
from shared.pagination import CursorQuery, LimitQuery
from shared.records import values_of
from shared.responses import model_response

router = APIRouter(prefix="/facilities", tags=["facilities"])
# A facility outside the caller's scope answers as if it did not exist.
NOT_FOUND = problem_responses(FacilityNotFound)


def facility_read(facility: Facility) -> FacilityRead:
    return FacilityRead.model_validate(
        {**values_of(facility_t, facility), "archived": facility.archived_at is not None}
    )


def _respond(row: Any) -> Response:
    return model_response(facility_read(row), headers={"ETag": etag(row.version)})


@router.post(
    "",
    status_code=201,
    response_model=FacilityRead,
    responses=problem_responses(FacilityCodeExists),
)
async def create_facility(
    request: Request,
    body: FacilityCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Register a facility in your province."""
    facility_id = await service.create_facility(session, principal, body)
    row = await service.get_facility(session, principal, facility_id)
    headers = {"ETag": etag(row.version), "Location": f"{request.url.path}/{facility_id}"}
    return await idempotency.respond(facility_read(row).model_dump(mode="json"), 201, headers)


@router.get("", response_model=FacilityPage)
async def list_facilities(
    session: SessionDep,
    principal: RegistryReader,
    q: Annotated[
        str | None,
        Query(min_length=2, max_length=100, description="Name (accents optional) or code"),
    ] = None,
    kind: Annotated[list[FacilityKind], Query(max_length=20)] = [],  # noqa: B006
    sector: Sector | None = None,
    ward_code: WardCode | None = None,
    province_code: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    provides_services: bool | None = None,
    in_network_plan: bool | None = None,
    has_ctxh_staff: Annotated[
        bool | None, Query(description="A CTXH worker assigned today")
    ] = None,
    include_archived: bool = False,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """List facilities in your scope, by code, a page at a time."""
    filters = service.FacilityFilters(
        q,
        tuple(kind),
        sector,
        ward_code,
        province_code,
        provides_services,
        in_network_plan,
        has_ctxh_staff,
        include_archived,
    )
    rows, next_cursor = await service.list_facilities(
        session, principal, filters, cursor=cursor, limit=limit
    )
    page = FacilityPage(items=[facility_read(r) for r in rows], next_cursor=next_cursor)
    return model_response(page)


@router.get("/{facility_id}", response_model=FacilityRead, responses=NOT_FOUND)
async def get_facility(
    facility_id: UUID, session: SessionDep, principal: RegistryReader
) -> Response:
    """One facility, with its ETag."""
    return _respond(await service.get_facility(session, principal, facility_id))


@router.patch(
    "/{facility_id}",
    response_model=FacilityRead,
    responses=NOT_FOUND,
)
async def update_facility(
    facility_id: UUID,
    body: FacilityUpdate,
    session: SessionDep,
    principal: Manager,
    if_match: IfMatchHeader,
) -> Response:
    """Change a facility; needs If-Match with the ETag last read."""
    await service.update_facility(session, principal, facility_id, body, if_match)
    return _respond(await service.get_facility(session, principal, facility_id))


@router.post(
    "/{facility_id}/archive",
    response_model=FacilityRead,
    responses=NOT_FOUND,
)
async def archive_facility(
    facility_id: UUID, session: SessionDep, principal: Manager, if_match: IfMatchHeader
) -> Response:
    """Archive a facility: kept with its history and assignments, left out of lists."""
    await service.archive_facility(session, principal, facility_id, if_match)
    return _respond(await service.get_facility(session, principal, facility_id))


@router.get("/{facility_id}/history", responses=NOT_FOUND)
async def get_facility_history(
    facility_id: UUID, session: SessionDep, principal: RegistryReader
) -> HistoryPage:
    """Who changed the facility and how, oldest first."""
    facility = await service.get_facility(session, principal, facility_id)
    return HistoryPage(items=await history_of(session, history, facility.id))
