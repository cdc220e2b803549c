"""HTTP for people: /api/v1/persons."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from services.cases.access.scope import CaseworkCaller
from services.cases.access.sensitive import Purpose, access_log_t, log_access, reveals_sensitive
from services.cases.deps import IdempotencyDep
from services.cases.history import case_history
from services.cases.person import search, service
from services.cases.person.render import person_read, person_summary
from services.cases.person.schemas import PersonCreate, PersonPage, PersonRead, PersonUpdate
from services.cases.reference.codes import Sex
from services.cases.validation import CategoryCode, WardCode
from shared.auth import Role
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import Forbidden, problem_responses
from shared.history import HistoryPage
from shared.pagination import CursorQuery, LimitQuery
from shared.responses import model_response

router = APIRouter(prefix="/persons", tags=["persons"])


async def _read(
    request: Request,
    session: SessionDep,
    principal: CaseworkCaller,
    person_id: UUID,
    purpose: str | None,
) -> PersonRead:
    row = await service.get_person(session, principal, person_id)
    sensitive = reveals_sensitive(principal, purpose)
    await log_access(
        session,
        request,
        principal,
        person_id=row.id,
        record_type="person",
        sensitive=sensitive,
        purpose=purpose,
    )
    return person_read(row, service.codes_of(row), sensitive=sensitive)


def _respond(person: PersonRead) -> Response:
    return model_response(person, headers={"ETag": etag(person.version)})


@router.post(
    "",
    status_code=201,
    response_model=PersonRead,
    responses=problem_responses(403, 409),
)
async def create_person(
    request: Request,
    body: PersonCreate,
    session: SessionDep,
    principal: CaseworkCaller,
    idempotency: IdempotencyDep,
    purpose: Purpose,
    allow_duplicate: Annotated[
        bool, Query(description="Register even though a likely duplicate exists")
    ] = False,
) -> Response:
    """Register a person; 409 when the national ID exists or a likely duplicate is found."""
    person_id = await service.create_person(
        session, principal, body, allow_duplicate=allow_duplicate
    )
    person = await _read(request, session, principal, person_id, purpose)
    headers = {"ETag": etag(person.version), "Location": f"{request.url.path}/{person_id}"}
    return await idempotency.respond(person.model_dump(mode="json"), 201, headers)


@router.get("", response_model=PersonPage, responses=problem_responses(422))
async def list_persons(
    session: SessionDep,
    principal: CaseworkCaller,
    q: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=100,
            description="Name (accents optional), national ID or phone",
        ),
    ] = None,
    category: Annotated[list[CategoryCode], Query()] = [],  # noqa: B006 - FastAPI copies it
    ward_code: WardCode | None = None,
    sex: Sex | None = None,
    age_min: Annotated[int | None, Query(ge=0, le=130)] = None,
    age_max: Annotated[int | None, Query(ge=0, le=130)] = None,
    include_archived: bool = False,
    sort: search.PersonSort = "name",
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """List and search the people in your scope (sensitive fields are never in lists)."""
    filters = search.PersonFilters(
        q, tuple(category), ward_code, sex, age_min, age_max, include_archived
    )
    rows, next_cursor = await search.search_people(
        session, principal, filters, sort=sort, cursor=cursor, limit=limit
    )
    items = [person_summary(r, service.codes_of(r)) for r in rows]
    return model_response(PersonPage(items=items, next_cursor=next_cursor))


@router.get("/{person_id}", response_model=PersonRead, responses=problem_responses(404))
async def get_person(
    request: Request,
    person_id: UUID,
    session: SessionDep,
    principal: CaseworkCaller,
    purpose: Purpose,
) -> Response:
    """One person; the sensitive part needs sensitive:read and a purpose, and is logged."""
    return _respond(await _read(request, session, principal, person_id, purpose))


@router.patch(
    "/{person_id}", response_model=PersonRead, responses=problem_responses(403, 404, 409, 412, 428)
)
async def update_person(
    request: Request,
    person_id: UUID,
    body: PersonUpdate,
    session: SessionDep,
    principal: CaseworkCaller,
    if_match: IfMatchHeader,
    purpose: Purpose,
) -> Response:
    """Change a person's fields; needs If-Match with the ETag last read."""
    await service.update_person(session, principal, person_id, body, if_match)
    return _respond(await _read(request, session, principal, person_id, purpose))


@router.post(
    "/{person_id}/archive", response_model=PersonRead, responses=problem_responses(404, 412, 428)
)
async def archive_person(
    request: Request,
    person_id: UUID,
    session: SessionDep,
    principal: CaseworkCaller,
    if_match: IfMatchHeader,
    purpose: Purpose,
) -> Response:
    """Archive a person: hidden from default lists, kept with its history; never deleted."""
    await service.archive_person(session, principal, person_id, if_match)
    return _respond(await _read(request, session, principal, person_id, purpose))


class AccessEntry(BaseModel):
    at: datetime
    actor: str
    actor_roles: list[str]
    record_type: str
    case_id: UUID | None
    sensitive: bool
    purpose: str | None


class AccessLogPage(BaseModel):
    items: list[AccessEntry]


@router.get("/{person_id}/history", responses=problem_responses(404))
async def get_person_history(
    person_id: UUID, session: SessionDep, principal: CaseworkCaller, purpose: Purpose
) -> HistoryPage:
    """Who changed this person's record and how; sensitive values hidden without the scope."""
    await service.get_person(session, principal, person_id)
    items = await case_history(session, person_id, sensitive=reveals_sensitive(principal, purpose))
    return HistoryPage(items=items)


@router.get("/{person_id}/access-log", responses=problem_responses(403, 404))
async def get_person_access_log(
    person_id: UUID, session: SessionDep, principal: CaseworkCaller, limit: LimitQuery = 200
) -> AccessLogPage:
    """Who viewed this person's records, when and why, newest first (province officers)."""
    if not principal.has_role(Role.PROVINCE_OFFICER):
        raise Forbidden("the access log is for province officers")
    await service.get_person(session, principal, person_id)
    query = (
        sa.select(access_log_t)
        .where(access_log_t.c.person_id == person_id)
        .order_by(access_log_t.c.at.desc(), access_log_t.c.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return AccessLogPage(
        items=[
            AccessEntry(
                at=r.at,
                actor=r.actor,
                actor_roles=[x for x in r.actor_roles.split(",") if x],
                record_type=r.record_type,
                case_id=r.case_id,
                sensitive=r.sensitive,
                purpose=r.purpose,
            )
            for r in rows
        ]
    )
