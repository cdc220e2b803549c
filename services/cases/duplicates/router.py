"""HTTP for likely duplicate people: the province's review queue, its scan, and the check
of would-be people."""

from uuid import UUID

from fastapi import APIRouter, Response

from services.cases.access.policy import CaseworkCaller, DuplicateReviewer
from services.cases.access.sensitive import AccessedRecord, DuplicateReader
from services.cases.duplicates import service
from services.cases.duplicates.errors import DuplicateDecided, DuplicateNotFound, NoProvince
from services.cases.duplicates.matching import facts, within
from services.cases.duplicates.render import (
    check_item,
    duplicate_read,
    duplicate_summary,
    scan_result,
)
from services.cases.duplicates.scan import scan_province
from services.cases.duplicates.schemas import (
    DuplicateCheck,
    DuplicateCheckResult,
    DuplicateDismissal,
    DuplicatePage,
    DuplicateRead,
    DuplicateScanResult,
    DuplicateStatus,
)
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import CursorQuery, LimitQuery
from shared.responses import model_response

# Pair ids are typed in the paths (`:uuid`), so /scan and /check are never also read as a
# pair (GET /duplicates/scan), which would offer a method the document does not.
router = APIRouter(prefix="/duplicates", tags=["duplicates"])


@router.post("/scan", responses=problem_responses(NoProvince))
async def scan_duplicates(session: SessionDep, principal: DuplicateReviewer) -> DuplicateScanResult:
    """Find your province's likely duplicate people and bring the review queue up to date.
    Safe to repeat: a pair is never queued twice, and pairs you dismissed stay dismissed."""
    if principal.province_code is None:
        raise NoProvince()
    return scan_result(await scan_province(session, principal.province_code))


@router.post("/check")
async def check_duplicates(
    body: DuplicateCheck, session: SessionDep, principal: CaseworkCaller
) -> DuplicateCheckResult:
    """For each would-be person (up to 500, as an import would register them), the people
    in your scope they look like, and the other rows that look like the same person.
    Nothing is written."""
    rows = [facts(**row.model_dump(include=CHECKED_FIELDS, mode="python")) for row in body.rows]
    found = await service.check_rows(session, principal, rows)
    others = within(rows)
    return DuplicateCheckResult(
        items=[check_item(i, found[i], others[i]) for i in range(len(rows))]
    )


CHECKED_FIELDS = {
    "full_name",
    "birth_date",
    "birth_date_estimated",
    "ward_code",
    "national_id",
    "phone",
    "caregivers",
}


@router.get("")
async def list_duplicates(
    session: SessionDep,
    principal: DuplicateReviewer,
    status: DuplicateStatus = DuplicateStatus.OPEN,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> DuplicatePage:
    """Your province's pairs of likely duplicates in a status, highest score first."""
    rows, next_cursor = await service.list_duplicates(
        session, principal, status=status, cursor=cursor, limit=limit
    )
    return DuplicatePage(items=[duplicate_summary(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{duplicate_id:uuid}",
    response_model=DuplicateRead,
    responses=problem_responses(DuplicateNotFound),
)
async def get_duplicate(duplicate_id: UUID, reader: DuplicateReader) -> Response:
    """A pair with both people side by side (nothing sensitive) and why they look alike;
    the read is in both people's access log."""
    row = await service.get_duplicate(reader.connection, reader.principal, duplicate_id)
    await reader.read([row.person_a_id, row.person_b_id], AccessedRecord.PERSON, sensitive=False)
    item = duplicate_read(row)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/{duplicate_id:uuid}/dismiss",
    response_model=DuplicateRead,
    responses=problem_responses(DuplicateNotFound, DuplicateDecided),
)
async def dismiss_duplicate(
    duplicate_id: UUID,
    body: DuplicateDismissal,
    reader: DuplicateReader,
    if_match: IfMatchHeader,
) -> Response:
    """Not the same person: the pair leaves the queue and no scan brings it back."""
    await service.dismiss_duplicate(
        reader.connection, reader.principal, duplicate_id, body, if_match
    )
    row = await service.get_duplicate(reader.connection, reader.principal, duplicate_id)
    item = duplicate_read(row)
    return model_response(item, headers={"ETag": etag(item.version)})
