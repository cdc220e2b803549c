"""Import jobs: a large sheet is checked and written off the request, and the client polls.

A file of 100,000 rows takes longer than an HTTP timeout, so `POST /import-jobs` saves the
upload to a temporary file, records a job and answers 202; the job then runs in the service
process (`ImportJobs.start`):

- rows are read in a worker thread, a chunk at a time, and checked there (`Importer.check`:
  cells, the API's own models, duplicates inside the file); the event loop meanwhile writes
  the chunk before (`Importer.write`), so reading and PostgreSQL's work overlap;
- each chunk is checked against the registry (`Importer.check_registry`) in the job's one
  transaction, and once a row is bad nothing more is written: the transaction is rolled back,
  so a file is written whole or not at all. A dry run checks everything and writes nothing;
- progress (rows read, written, problems) is saved as it goes, on a connection of its own, so
  that a client polling `GET /import-jobs/{id}` sees it while the job's transaction is open.

A job lives in the process that took the upload. If that process stops, the job's
transaction is rolled back with it; the job then reads `failed` (`interrupted`), with
nothing written, once its heartbeat is older than STALE_AFTER.
"""

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

import anyio
import sqlalchemy as sa
import structlog
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import Database, UTCDateTime, utcnow
from shared.labels import LabelledEnum, labelled
from shared.sheets.cells import Column
from shared.sheets.reader import RowError, SheetUnreadable, stream_rows
from shared.sheets.upload import ReceivedFile

log = structlog.get_logger("ctxh.import_jobs")

MAX_JOB_ROWS = 200_000
# What a job keeps of its problems: enough to fix a file by; the count says how many in all.
MAX_REPORTED_ERRORS = 1_000
CHUNK_ROWS = 5_000
# An XLSX of 200,000 rows unpacks to a few hundred MB of XML, read as a stream.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
STALE_AFTER = timedelta(minutes=2)
# How often a running job saves its progress (and so its heartbeat), at most.
PROGRESS_EVERY_SECONDS = 1.0


class ImportJobStatus(LabelledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    REJECTED = "rejected"
    FAILED = "failed"


IMPORT_JOB_STATUSES = labelled(
    ImportJobStatus,
    (ImportJobStatus.QUEUED, "Đang chờ", "Waiting to start"),
    (ImportJobStatus.RUNNING, "Đang kiểm tra và ghi", "Checking and writing"),
    (ImportJobStatus.DONE, "Hoàn thành", "Done: checked (dry run) or written"),
    (ImportJobStatus.REJECTED, "Bị từ chối, không ghi gì", "Rows with problems: nothing written"),
    (ImportJobStatus.FAILED, "Không hoàn thành, không ghi gì", "Could not finish: nothing written"),
)
FINISHED = (ImportJobStatus.DONE, ImportJobStatus.REJECTED, ImportJobStatus.FAILED)


def import_job_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "import_job",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("dry_run", sa.Boolean, nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        # Whose job it is: only they, and the province it writes to, see it.
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("province_code", sa.String(2), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("file_bytes", sa.BigInteger, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_written", sa.Integer, nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("failure", sa.JSON, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=True),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.Column("heartbeat_at", UTCDateTime, nullable=False),
        sa.Index("ix_import_job_created_by", "created_by", "created_at"),
    )


class ImportProblem(BaseModel):
    row: int = Field(description="The sheet's row number (1 is the header; 0 is the file)")
    column: str | None
    reason: str


class ImportFailure(BaseModel):
    code: str = Field(
        description="interrupted, unreadable, too_many_rows, registry_changed or internal"
    )
    detail: str


class ImportJobFields(BaseModel):
    """What every service's import job says; each adds the kinds of sheet it takes."""

    id: UUID
    dry_run: bool
    status: ImportJobStatus
    file_name: str | None
    file_bytes: int
    rows_read: int = Field(description="Rows read so far (the header not counted)")
    rows_written: int = Field(description="Rows written so far; they commit only at the end")
    error_count: int = Field(description="Problems found so far, all of them")
    errors: list[ImportProblem] = Field(
        description=f"The first {MAX_REPORTED_ERRORS} problems, by row; a real run with any "
        "writes nothing"
    )
    failure: ImportFailure | None = Field(description="Why a failed job could not finish")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def job_fields(row: Mapping[Any, Any], running_here: bool) -> dict[str, Any]:
    """A job row as the answer's fields. A job left unfinished by a process that stopped reads
    failed; one running in this process is alive whatever its heartbeat (on SQLite it saves
    its progress only at the end)."""
    values = dict(row)
    values.update(values.get("options") or {})  # each service's answer names its options
    stale = values["heartbeat_at"] < utcnow() - STALE_AFTER
    if values["status"] not in FINISHED and stale and not running_here:
        values["status"] = ImportJobStatus.FAILED
        values["failure"] = {
            "code": "interrupted",
            "detail": "the service stopped while the job ran; nothing was written: send it again",
        }
    return values


@dataclass
class Chunk:
    """Rows checked in a worker thread: their problems, and what the importer will write."""

    rows: int
    errors: list[RowError] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)


# Short transactions of their own beside the job's, committed by the caller: None where the
# database takes one writer at a time (SQLite) or tests run everything on one connection.
SideTransactions = Callable[[], AbstractAsyncContextManager[tuple[AsyncConnection, Any]]]


class Importer(Protocol):
    """One kind of sheet, imported in bulk. `check` runs in a worker thread and may keep
    state across chunks (a file's duplicates); `begin`, `check_registry`, `write` and
    `finish` (just before the job commits) run in the job's transaction, and `abandon`
    after it rolled back, however it ended."""

    columns: list[Column]

    async def begin(self, connection: AsyncConnection, side: SideTransactions | None) -> None: ...

    async def finish(self, connection: AsyncConnection) -> None: ...

    async def abandon(self) -> None: ...

    def check(self, rows: list[tuple[int, dict[str, Any]]]) -> Chunk: ...

    async def check_registry(self, connection: AsyncConnection, chunk: Chunk) -> list[RowError]: ...

    async def write(self, connection: AsyncConnection, chunk: Chunk) -> int: ...


class _TooManyRows(Exception):
    pass


class _Progress:
    """Counts kept as the job runs, saved at most every PROGRESS_EVERY_SECONDS."""

    def __init__(self) -> None:
        self.rows_read = self.rows_written = self.error_count = 0
        self.errors: list[RowError] = []
        self._saved_at = 0.0

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = MAX_REPORTED_ERRORS - len(self.errors)
        if room > 0:
            self.errors += errors[:room]

    def due(self) -> bool:
        now = time.monotonic()
        if now - self._saved_at < PROGRESS_EVERY_SECONDS:
            return False
        self._saved_at = now
        return True

    def values(self) -> dict[str, Any]:
        errors = sorted(self.errors, key=lambda e: (e.row, e.column or ""))
        return {
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "error_count": self.error_count,
            "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors],
            "heartbeat_at": utcnow(),
        }


class _Chunks:
    """The file's rows, a chunk at a time, each checked by the importer: blocking, and only
    ever used from one thread at a time (the next chunk is asked for once the last arrived)."""

    def __init__(self, path: Path, media_type: str, importer: Importer) -> None:
        self._stack = contextlib.ExitStack()
        self._importer = importer
        source = self._stack.enter_context(path.open("rb"))
        stream = self._stack.enter_context(
            stream_rows(source, media_type, importer.columns, MAX_UNPACKED_BYTES)
        )
        self.header_errors = stream.header_errors
        self._rows: Iterator[tuple[int, dict[str, Any]]] = stream.rows
        self._read = 0

    def next(self) -> Chunk | None:
        batch = []
        for row in self._rows:
            batch.append(row)
            if len(batch) == CHUNK_ROWS:
                break
        if not batch:
            return None
        self._read += len(batch)
        if self._read > MAX_JOB_ROWS:
            raise _TooManyRows(f"more than {MAX_JOB_ROWS:,} rows; at most {MAX_JOB_ROWS:,}")
        return self._importer.check(batch)

    def close(self) -> None:
        self._stack.close()


class ImportJobs:
    """The jobs running in this process; closed at shutdown, which stops them (their
    transactions roll back, and they are saved as interrupted)."""

    def __init__(self) -> None:
        self._tasks: dict[UUID, asyncio.Task[None]] = {}

    def running_here(self, job_id: UUID) -> bool:
        return job_id in self._tasks

    def start(
        self,
        database: Database,
        table: sa.Table,
        job_id: UUID,
        upload: ReceivedFile,
        importer: Importer,
        dry_run: bool,
    ) -> None:
        run = _Run(database, table, job_id, upload, importer, dry_run)
        task = asyncio.create_task(run.run(), name=f"import-job-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(job_id, None))

    async def close(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait(self) -> None:
        """Until every job running now has finished: for tests and benchmarks."""
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)


@dataclass
class _Run:
    database: Database
    table: sa.Table
    job_id: UUID
    upload: ReceivedFile
    importer: Importer
    dry_run: bool
    progress: _Progress = field(default_factory=_Progress)
    _committed: bool = False

    async def run(self) -> None:
        outcome: dict[str, Any]
        try:
            await self._save(status=ImportJobStatus.RUNNING, started_at=utcnow())
            outcome = await self._import()
        except asyncio.CancelledError:
            await asyncio.shield(self._finish(_failed("interrupted", "the service stopped")))
            raise
        except SheetUnreadable as exc:
            outcome = _failed("unreadable", exc.reason)
        except _TooManyRows as exc:
            outcome = _failed("too_many_rows", str(exc))
        except sa.exc.IntegrityError:
            why = "another change to the registry met this file's rows; nothing was written"
            outcome = _failed("registry_changed", why + ": send it again")
        except Exception:
            log.exception("import_job_failed", job_id=str(self.job_id))
            outcome = _failed("internal", "the job stopped on an error of ours; it is logged")
        await self._finish(outcome)

    async def _finish(self, outcome: dict[str, Any]) -> None:
        try:
            await self._save(**outcome, finished_at=utcnow())
        finally:
            await anyio.Path(self.upload.path).unlink(missing_ok=True)

    async def _save(self, **values: Any) -> None:
        """Progress on a connection of its own, committed at once."""
        values |= self.progress.values()
        async with self.database.transaction() as (connection, transaction):
            await connection.execute(
                self.table.update().where(self.table.c.id == self.job_id).values(**values)
            )
            await transaction.commit()

    async def _import(self) -> dict[str, Any]:
        chunks = await asyncio.to_thread(
            _Chunks, self.upload.path, self.upload.media_type, self.importer
        )
        try:
            if chunks.header_errors:
                self.progress.add_errors(chunks.header_errors)
                return {"status": ImportJobStatus.REJECTED}
            return await self._rows(chunks)
        finally:
            await asyncio.to_thread(chunks.close)

    async def _rows(self, chunks: _Chunks) -> dict[str, Any]:
        # SQLite takes one writer at a time, and tests run on one connection: progress waits
        # for the end there.
        live = self.database.engine.dialect.name != "sqlite" and not self.database.shared
        try:
            return await self._in_transaction(chunks, live)
        finally:
            if not self._committed:
                await asyncio.shield(self._abandon())

    async def _abandon(self) -> None:
        try:
            await self.importer.abandon()
        except Exception:  # what it leaves behind goes stale on its own (shared.changes)
            log.exception("import_job_abandon_failed", job_id=str(self.job_id))

    async def _in_transaction(self, chunks: _Chunks, live: bool) -> dict[str, Any]:
        async with self.database.transaction() as (connection, transaction):
            await self.importer.begin(connection, self.database.transaction if live else None)
            upcoming = asyncio.create_task(asyncio.to_thread(chunks.next))
            while (chunk := await upcoming) is not None:
                upcoming = asyncio.create_task(asyncio.to_thread(chunks.next))
                await self._take(connection, chunk)
                if live and self.progress.due():
                    await self._save()
            writes = not self.dry_run and not self.progress.error_count
            if writes:
                await self.importer.finish(connection)
                await transaction.commit()
                self._committed = True
            else:
                await transaction.rollback()
        if self.progress.error_count and not self.dry_run:
            self.progress.rows_written = 0
            return {"status": ImportJobStatus.REJECTED}
        return {"status": ImportJobStatus.DONE}

    async def _take(self, connection: AsyncConnection, chunk: Chunk) -> None:
        self.progress.rows_read += chunk.rows
        errors = chunk.errors + await self.importer.check_registry(connection, chunk)
        self.progress.add_errors(errors)
        if not self.dry_run and not self.progress.error_count:
            self.progress.rows_written += await self.importer.write(connection, chunk)


def _failed(code: str, detail: str) -> dict[str, Any]:
    return {"status": ImportJobStatus.FAILED, "failure": {"code": code, "detail": detail}}


def new_job_values(
    job_id: UUID,
    kind: str,
    dry_run: bool,
    upload: ReceivedFile,
    created_by: str,
    province_code: str | None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": job_id,
        "kind": kind,
        "dry_run": dry_run,
        "options": options or {},
        "status": ImportJobStatus.QUEUED,
        "created_by": created_by,
        "province_code": province_code,
        "file_name": upload.name,
        "file_bytes": upload.size,
        "rows_read": 0,
        "rows_written": 0,
        "error_count": 0,
        "errors": [],
        "failure": None,
        "created_at": now,
        "started_at": None,
        "finished_at": None,
        "heartbeat_at": now,
    }
