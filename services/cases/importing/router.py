"""HTTP for people's import jobs: POST /import-jobs (202), GET /import-jobs[/{id}]."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.cases.access.policy import PeopleImporter
from services.cases.importing.jobs import DESK
from services.cases.importing.schemas import PersonImportJob, PersonImportJobList, PersonSheetKind
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.idempotency import IdempotencyKeyHeader
from shared.pagination import CursorQuery
from shared.sheets.desk import ImportJobNotFound, job_accepted
from shared.sheets.upload import UPLOAD

router = APIRouter(tags=["import"])


@router.post(
    "/import-jobs",
    status_code=202,
    openapi_extra=UPLOAD,
    response_class=JSONResponse,
    responses=job_accepted(PersonImportJob),
)
async def start_people_import_job(
    request: Request,
    kind: PersonSheetKind,
    principal: PeopleImporter,
    idempotency_key: IdempotencyKeyHeader = None,
    dry_run: Annotated[bool, Query(description="Check every row and write nothing")] = False,
    allow_likely_duplicates: Annotated[
        bool,
        Query(
            description="Write rows that look like a registered person or an earlier row (a "
            "national ID already registered is never written); the duplicates scan finds them"
        ),
    ] = False,
) -> JSONResponse:
    """Import a people sheet of up to 200,000 rows off the request: 202 with the job. The job
    checks every row as POST /persons checks one person, duplicates included, and writes all
    of them or, if any is bad, none; it lists the first 1,000 problems and counts all."""
    options = {"allow_likely_duplicates": allow_likely_duplicates}
    return await DESK.start(request, principal, kind, dry_run, idempotency_key, options)


@router.get("/import-jobs/{job_id}", responses=problem_responses(ImportJobNotFound))
async def get_people_import_job(
    request: Request, job_id: UUID, session: SessionDep, principal: PeopleImporter
) -> PersonImportJob:
    """One of your import jobs, with its progress."""
    return await DESK.get(request, session, principal, job_id)


@router.get("/import-jobs")
async def list_people_import_jobs(
    request: Request,
    session: SessionDep,
    principal: PeopleImporter,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> PersonImportJobList:
    """Your import jobs, newest first."""
    items, next_cursor = await DESK.page(request, session, principal, limit, cursor)
    return PersonImportJobList(items=items, next_cursor=next_cursor)
