"""HTTP for people: /api/v1/persons."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.cases.access.policy import AuditCaller
from services.cases.access.sensitive import (
    AccessedRecord,
    OneRecordReader,
    PersonalReader,
    Reader,
)
from services.cases.conflicts.schemas import ConflictRecordType
from services.cases.conflicts.service import Edit, apply_or_queue
from services.cases.deps import IdempotencyDep
from services.cases.person import search, service
from services.cases.person.errors import (
    MoveNeedsTransfer,
    NationalIdExists,
    OutsideScope,
    PersonMerged,
    PersonNotFound,
    PossibleDuplicate,
    PossibleDuplicateElsewhere,
    RegisteredElsewhere,
    SensitiveWriteForbidden,
)
from services.cases.person.render import (
    access_entry,
    access_log_csv,
    person_read,
    person_summary,
)
from services.cases.person.schemas import (
    AccessLogPage,
    PersonCreate,
    PersonPage,
    PersonRead,
    PersonUpdate,
)
from services.cases.reference.codes import Sex
from services.cases.validation import CategoryCode, WardCode
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import EditConflict, IdTaken, problem_responses
from shared.history import HistoryPage
from shared.lean import lean_get
from shared.pagination import CursorQuery, LimitQuery
from shared.problem_handlers import answer_with
from shared.responses import BINARY, attachment, model_response

router = APIRouter(prefix="/persons", tags=["persons"])
# A person outside the caller's scope answers as if it did not exist.
NOT_FOUND = problem_responses(PersonNotFound)


async def _read(reader: Reader, person_id: UUID) -> PersonRead:
    row = await service.get_person(reader.connection, reader.principal, person_id)
    await reader.read([row.id], AccessedRecord.PERSON, sensitive=reader.sees_sensitive)
    return person_read(row, service.codes_of(row), sensitive=reader.sees_sensitive)


def _respond(person: PersonRead) -> Response:
    return model_response(person, headers={"ETag": etag(person.version)})


@router.post(
    "",
    status_code=201,
    response_model=PersonRead,
    responses=problem_responses(
        SensitiveWriteForbidden,
        OutsideScope,
        IdTaken,
        NationalIdExists,
        RegisteredElsewhere,
        PossibleDuplicate,
        PossibleDuplicateElsewhere,
    ),
)
async def create_person(
    request: Request,
    body: PersonCreate,
    reader: PersonalReader,
    idempotency: IdempotencyDep,
    allow_duplicate: Annotated[
        bool, Query(description="Register even though a likely duplicate exists")
    ] = False,
) -> Response:
    """Register a person; 409 when the national ID exists or a likely duplicate is found."""
    person_id = await service.create_person(
        reader.connection, reader.principal, body, allow_duplicate=allow_duplicate
    )
    person = await _read(reader, person_id)
    headers = {"ETag": etag(person.version), "Location": f"{request.url.path}/{person_id}"}
    # A retry gets the record without its sensitive part: it is not kept with the answer.
    replay = person.model_copy(update={"sensitive": None}).model_dump(mode="json")
    return await idempotency.respond(person.model_dump(mode="json"), 201, headers, replay=replay)


@router.get("", response_model=PersonPage)
async def list_persons(
    reader: PersonalReader,
    q: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=100,
            description="Name (accents optional), national ID or phone",
        ),
    ] = None,
    category: Annotated[
        list[CategoryCode],
        Query(
            max_length=20,
            description="A sensitive category needs sensitive:read and a purpose; the people "
            "listed are then logged",
        ),
    ] = [],  # noqa: B006 - FastAPI copies it
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
    sensitive = reader.check_filter(category, ["query", "category"])
    filters = search.PersonFilters(
        q, tuple(category), ward_code, sex, age_min, age_max, include_archived
    )
    rows, next_cursor = await search.search_people(
        reader.connection, reader.principal, filters, sort=sort, cursor=cursor, limit=limit
    )
    if sensitive:
        await reader.read([r.id for r in rows], AccessedRecord.PERSON_LIST, sensitive=True)
    items = [person_summary(r, service.codes_of(r)) for r in rows]
    return model_response(PersonPage(items=items, next_cursor=next_cursor))


# A record merged into another (services/cases/merge) answers with where it went.
MERGED_ALIAS: dict[int | str, dict[str, Any]] = {
    307: {
        "description": "This record was merged into another record of the same person; "
        "Location names the surviving record",
        "headers": {
            "Location": {
                "description": "The surviving record",
                "schema": {"type": "string"},
                "required": True,
            }
        },
    }
}


@lean_get(
    router, "/{person_id}", response_model=PersonRead, responses={**MERGED_ALIAS, **NOT_FOUND}
)
async def get_person(person_id: UUID, reader: OneRecordReader) -> Response:
    """One person; the sensitive part needs sensitive:read and a purpose, and is logged. A
    record merged into another redirects (307) to the survivor."""
    row = await service.read_person(reader, person_id)
    if isinstance(row, UUID):
        return Response(status_code=307, headers={"Location": f"/api/v1/persons/{row}"})
    return _respond(person_read(row, service.codes_of(row), sensitive=reader.sees_sensitive))


@router.patch(
    "/{person_id}",
    response_model=PersonRead,
    responses=problem_responses(
        PersonNotFound,
        PersonMerged,
        SensitiveWriteForbidden,
        OutsideScope,
        MoveNeedsTransfer,
        NationalIdExists,
        RegisteredElsewhere,
        EditConflict,
    ),
)
async def update_person(
    request: Request,
    person_id: UUID,
    body: PersonUpdate,
    reader: PersonalReader,
    if_match: IfMatchHeader,
) -> Response:
    """Change a person's fields within your unit (moving them to another province is a
    transfer); needs If-Match with the ETag last read. A change made on an older version
    merges with what changed since, field by field (see the cases README); a field someone
    else changed since is a 409 edit_conflict, queued for you at /conflicts."""
    connection, principal = reader.connection, reader.principal
    edit = Edit(
        ConflictRecordType.PERSON, person_id, body.model_dump(mode="json", exclude_unset=True)
    )
    conflict = await apply_or_queue(
        connection,
        principal,
        edit,
        lambda: service.update_person(connection, principal, person_id, body, if_match),
    )
    if conflict is not None:
        return answer_with(conflict, request)
    return _respond(await _read(reader, person_id))


@router.post(
    "/{person_id}/archive",
    response_model=PersonRead,
    responses=problem_responses(PersonNotFound, PersonMerged),
)
async def archive_person(
    person_id: UUID,
    reader: PersonalReader,
    if_match: IfMatchHeader,
) -> Response:
    """Archive a person: hidden from default lists, kept with its history; never deleted."""
    await service.archive_person(reader.connection, reader.principal, person_id, if_match)
    return _respond(await _read(reader, person_id))


@router.get("/{person_id}/history", responses=NOT_FOUND)
async def get_person_history(person_id: UUID, reader: PersonalReader) -> HistoryPage:
    """Who changed this person's record and how; sensitive values only with sensitive:read
    and a purpose (and then logged)."""
    await service.get_person(reader.connection, reader.principal, person_id)
    return HistoryPage(items=await reader.history(person_id, person_id))


@router.get(
    "/{person_id}/access-log",
    response_model=AccessLogPage,
    responses={
        200: {"content": {"text/csv": BINARY}},
        **NOT_FOUND,
    },
)
async def get_person_access_log(
    person_id: UUID,
    session: SessionDep,
    principal: AuditCaller,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Who read this person's records, when and why, newest first: what the person has the
    right to be told (Law 91/2025). As CSV to hand over."""
    rows = await service.access_log(session, principal, person_id, limit=limit)
    entries = [access_entry(r) for r in rows]
    if format == "csv":
        name = f"nhat-ky-truy-cap-{person_id}.csv"
        return Response(
            access_log_csv(entries),
            media_type="text/csv; charset=utf-8",
            headers=attachment(name),
        )
    return model_response(AccessLogPage(items=entries))
