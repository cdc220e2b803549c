"""The HTTP side of import jobs, the same in every service: take the file and start the job
(202), and show a caller their own jobs. A service gives its tables, its answer's model and
an importer for each kind of sheet (see services/*/importing/jobs.py)."""

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from uuid import UUID

import anyio
import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import Principal
from shared.db import Database
from shared.errors import (
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    problem_responses,
)
from shared.idempotency import idempotency_in
from shared.models import new_id
from shared.pagination import keyset_page
from shared.settings import ServiceSettings
from shared.sheets.jobs import Importer, ImportJobFields, ImportJobs, job_fields, new_job_values
from shared.sheets.upload import ReceivedFile, receive_file

Job = TypeVar("Job", bound=ImportJobFields)


def job_accepted(answer: type[ImportJobFields]) -> dict[int | str, dict[str, Any]]:
    """What a route that starts a job declares besides its problems: 202, the job, and
    where to poll it."""
    return {
        202: {
            "model": answer,
            "description": "The job, started: poll its Location until it is done, rejected "
            "or failed",
            "headers": {"Location": {"schema": {"type": "string"}, "description": "The job"}},
        },
        **problem_responses(UnsupportedMediaType, PayloadTooLarge, ValidationFailed),
    }


class ImportJobNotFound(NotFound):
    code = "import_job_not_found"
    title = "No such import job of yours"


@dataclass(frozen=True)
class ImportJobDesk(Generic[Job]):
    jobs: sa.Table
    idempotency: sa.Table
    answer: type[Job]
    # An importer for the kind of sheet, the caller, and the job's options.
    importers: Mapping[str, Callable[[Principal, dict[str, Any]], Importer]]

    async def start(
        self,
        request: Request,
        principal: Principal,
        kind: str,
        dry_run: bool,
        key: str | None,
        options: dict[str, Any] | None = None,
    ) -> JSONResponse:
        """Save the file, record the job and its Idempotency-Key answer in one transaction,
        then start it: 202, with the job to poll."""
        settings: ServiceSettings = request.app.state.settings
        directory = settings.import_directory or Path(tempfile.gettempdir())
        upload = await receive_file(request, settings.max_import_job_bytes, directory)
        options = options or {}
        try:
            answer, job_id = await self._record(
                request, principal, upload, kind=kind, dry_run=dry_run, key=key, options=options
            )
        except BaseException:
            await anyio.Path(upload.path).unlink(missing_ok=True)
            raise
        importer = self.importers[kind](principal, options)
        database: Database = request.app.state.database
        _runner(request).start(database, self.jobs, job_id, upload, importer, dry_run)
        return answer

    async def _record(
        self,
        request: Request,
        principal: Principal,
        upload: ReceivedFile,
        *,
        kind: str,
        dry_run: bool,
        key: str | None,
        options: dict[str, Any],
    ) -> tuple[JSONResponse, UUID]:
        database: Database = request.app.state.database
        async with database.transaction() as (connection, transaction):
            claim = idempotency_in(request, connection, self.idempotency, principal.subject, key)
            # The file's bytes, not the body's: a form's boundary differs on every retry.
            what = (
                f"POST {request.url.path}?{request.url.query} {upload.media_type} {upload.digest}"
            )
            await claim.claim(hashlib.sha256(what.encode()).hexdigest())
            job_id = new_id()
            values = new_job_values(
                job_id, kind, dry_run, upload, principal.subject, principal.province_code, options
            )
            await connection.execute(self.jobs.insert().values(**values))
            job = self._read(values, running_here=True)
            location = f"/api/v1/import-jobs/{job_id}"
            answer = await claim.respond(job.model_dump(mode="json"), 202, {"Location": location})
            await transaction.commit()
        return answer, job_id

    def _mine(self, principal: Principal) -> sa.ColumnElement[bool]:
        """A job is its sender's, in the province they sent it for: its problems quote the
        file's rows."""
        return sa.and_(
            self.jobs.c.created_by == principal.subject,
            self.jobs.c.province_code.is_not_distinct_from(principal.province_code),
        )

    async def get(
        self, request: Request, connection: AsyncConnection, principal: Principal, job_id: UUID
    ) -> Job:
        query = sa.select(self.jobs).where(self.jobs.c.id == job_id, self._mine(principal))
        row = (await connection.execute(query)).first()
        if row is None:
            raise ImportJobNotFound()
        return self._read(row._mapping, _runner(request).running_here(job_id))

    async def page(
        self,
        request: Request,
        connection: AsyncConnection,
        principal: Principal,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Job], str | None]:
        rows, next_cursor = await keyset_page(
            connection,
            sa.select(self.jobs).where(self._mine(principal)),
            [self.jobs.c.created_at, self.jobs.c.id],
            cursor=cursor,
            limit=limit,
            descending=True,
        )
        runner = _runner(request)
        jobs = [self._read(row._mapping, runner.running_here(row.id)) for row in rows]
        return jobs, next_cursor

    def _read(self, values: Mapping[Any, Any], running_here: bool) -> Job:
        return self.answer.model_validate(job_fields(values, running_here))


def _runner(request: Request) -> ImportJobs:
    runner: ImportJobs = request.app.state.import_jobs
    return runner
