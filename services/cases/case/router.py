"""HTTP for cases: /api/v1/cases, their transitions, history, and the overdue list."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.cases.access.policy import CaseworkCaller
from services.cases.access.sensitive import (
    AccessedRecord,
    OneRecordReader,
    PersonalReader,
    Reader,
)
from services.cases.case import search, service
from services.cases.case.errors import (
    CaseArchived,
    CaseNotFound,
    IllegalTransition,
    TransitionPrerequisiteMissing,
)
from services.cases.case.render import case_read, case_summary
from services.cases.case.schemas import (
    CaseCreate,
    CasePage,
    CaseRead,
    CaseTransition,
    CaseUpdate,
    OverdueItem,
    OverduePage,
)
from services.cases.conflicts.schemas import ConflictRecordType
from services.cases.conflicts.service import Edit, apply_or_queue
from services.cases.deps import IdempotencyDep
from services.cases.person.errors import OutsideScope, PersonMerged, PersonNotFound
from services.cases.reference.codes import CaseStatus, Sex, Stage
from services.cases.validation import CategoryCode, WardCode
from shared.concurrency import IfMatchHeader, etag
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import EditConflict, IdTaken, problem_responses
from shared.history import HistoryPage
from shared.lean import lean_get
from shared.pagination import CursorQuery, LimitQuery
from shared.problem_handlers import answer_with
from shared.responses import model_response

router = APIRouter(tags=["cases"])
# A case outside the caller's scope answers as if it did not exist.
NOT_FOUND = problem_responses(CaseNotFound)


async def _read(reader: Reader, case_id: UUID, response: Response) -> CaseRead:
    row = await service.get_case(reader.connection, reader.principal, case_id)
    await reader.read([row.person_id], AccessedRecord.CASE, sensitive=False, case_id=row.id)
    response.headers["ETag"] = etag(row.version)
    return case_read(row)


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseRead,
    responses=problem_responses(PersonNotFound, PersonMerged, OutsideScope, IdTaken),
)
async def create_case(
    request: Request,
    body: CaseCreate,
    reader: PersonalReader,
    idempotency: IdempotencyDep,
) -> Response:
    """Open a case for a person in your scope; it starts at intake with a new case number."""
    case_id = await service.create_case(reader.connection, reader.principal, body)
    case = await _read(reader, case_id, Response())
    headers = {"ETag": etag(case.version), "Location": f"{request.url.path}/{case_id}"}
    return await idempotency.respond(case.model_dump(mode="json"), 201, headers)


@router.get("/cases")
async def list_cases(
    reader: PersonalReader,
    q: Annotated[
        str | None, Query(min_length=2, max_length=100, description="Case number or person's name")
    ] = None,
    category: Annotated[
        list[CategoryCode],
        Query(max_length=20, description="A sensitive category needs sensitive:read and a purpose"),
    ] = [],  # noqa: B006
    stage: Annotated[list[Stage], Query(max_length=20)] = [],  # noqa: B006
    status: CaseStatus | None = None,
    worker_id: UUID | None = None,
    facility_id: UUID | None = None,
    ward_code: WardCode | None = None,
    sex: Sex | None = None,
    age_min: Annotated[int | None, Query(ge=0, le=130)] = None,
    age_max: Annotated[int | None, Query(ge=0, le=130)] = None,
    opened_from: Day | None = None,
    opened_to: Day | None = None,
    overdue: bool | None = None,
    include_archived: bool = False,
    sort: search.CaseSort = "-opened_date",
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> CasePage:
    """List the cases in your scope, filtered and sorted, a page at a time."""
    filters = search.CaseFilters(
        q,
        tuple(category),
        tuple(stage),
        status,
        worker_id,
        facility_id,
        ward_code,
        sex,
        age_min,
        age_max,
        opened_from,
        opened_to,
        overdue,
        include_archived,
    )
    sensitive = reader.check_filter(category, ["query", "category"])
    rows, next_cursor = await search.search_cases(
        reader.connection, reader.principal, filters, sort=sort, cursor=cursor, limit=limit
    )
    if sensitive:
        await reader.read([r.person_id for r in rows], AccessedRecord.CASE_LIST, sensitive=True)
    return CasePage(items=[case_summary(r) for r in rows], next_cursor=next_cursor)


@lean_get(router, "/cases/{case_id}", response_model=CaseRead, responses=NOT_FOUND)
async def get_case(case_id: UUID, reader: OneRecordReader) -> Response:
    """One case, with its ETag."""
    case = case_read(await service.read_case(reader, case_id))
    return model_response(case, headers={"ETag": etag(case.version)})


@router.patch(
    "/cases/{case_id}",
    response_model=CaseRead,
    responses=problem_responses(
        CaseNotFound, CaseArchived, IllegalTransition, OutsideScope, EditConflict
    ),
)
async def update_case(
    request: Request,
    case_id: UUID,
    body: CaseUpdate,
    reader: PersonalReader,
    if_match: IfMatchHeader,
) -> Response:
    """Change risk, assignment, facility, review date or hold status; needs If-Match. A
    change made on an older version merges with what changed since, as for people; a field
    someone else changed since is a 409 edit_conflict, queued for you at /conflicts."""
    connection, principal = reader.connection, reader.principal
    edit = Edit(ConflictRecordType.CASE, case_id, body.model_dump(mode="json", exclude_unset=True))
    conflict = await apply_or_queue(
        connection,
        principal,
        edit,
        lambda: service.update_case(connection, principal, case_id, body, if_match),
    )
    if conflict is not None:
        return answer_with(conflict, request)
    case = await _read(reader, case_id, Response())
    return model_response(case, headers={"ETag": etag(case.version)})


@router.post(
    "/cases/{case_id}/transitions",
    response_model=CaseRead,
    responses=problem_responses(
        CaseNotFound, CaseArchived, IllegalTransition, TransitionPrerequisiteMissing
    ),
)
async def transition_case(
    case_id: UUID,
    body: CaseTransition,
    reader: PersonalReader,
    if_match: IfMatchHeader,
    idempotency: IdempotencyDep,
) -> Response:
    """Move the case to another stage; 409 names the stages allowed from here."""
    await service.transition_case(reader.connection, reader.principal, case_id, body, if_match)
    case = await _read(reader, case_id, Response())
    return await idempotency.respond(
        case.model_dump(mode="json"), 200, {"ETag": etag(case.version)}
    )


@router.post("/cases/{case_id}/archive", responses=NOT_FOUND)
async def archive_case(
    case_id: UUID,
    reader: PersonalReader,
    if_match: IfMatchHeader,
    response: Response,
) -> CaseRead:
    """Archive a case: kept with its history, never deleted."""
    await service.archive_case(reader.connection, reader.principal, case_id, if_match)
    return await _read(reader, case_id, response)


@router.get("/cases/{case_id}/history", responses=NOT_FOUND)
async def get_case_history(case_id: UUID, reader: PersonalReader) -> HistoryPage:
    """Who did what to the case and the records inside it, oldest first; sensitive values only
    with sensitive:read and a purpose (and then logged)."""
    case = await service.get_case(reader.connection, reader.principal, case_id)
    return HistoryPage(items=await reader.history(case.id, case.person_id, case.id))


@router.get("/overdue")
async def list_overdue(
    session: SessionDep,
    principal: CaseworkCaller,
    mine: Annotated[bool, Query(description="Only work assigned to me")] = False,
    limit: LimitQuery = 100,
) -> OverduePage:
    """Follow-ups and reviews past their due date, oldest first."""
    items = await search.overdue_items(session, principal, mine=mine, limit=limit)
    return OverduePage(items=[OverdueItem(**item) for item in items])
