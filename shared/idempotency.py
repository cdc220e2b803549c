"""Idempotency-Key on POST: a retried request creates one record and gets the first answer.

The key is claimed (a row inserted) in the same transaction as the work, so the record and
the stored answer commit together or not at all. A concurrent retry blocks on that row and
then replays the answer.

Records keep response bodies, personal data included (sensitive parts are left out by the
routes that return them: see `respond`), so they live only for the service's
`idempotency_ttl_hours`: an older record is ignored at once and deleted later by
`ctxh purge-idempotency` (see purge_expired).
"""

import hashlib
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import PrincipalDep
from shared.db import SessionDep, UTCDateTime, utcnow
from shared.errors import Conflict, ValidationFailed, field_error
from shared.settings import ServiceSettings

# Rows per DELETE when purging: small enough that no statement holds its locks for long.
PURGE_BATCH_SIZE = 5_000

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        description="A unique key per create; a retry with the same key returns the first answer",
    ),
]

RequiredKeyHeader = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        description="Required: sent again with its key, the request is answered as the first "
        "time and changes nothing",
    ),
]


def idempotency_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "idempotency_record",
        metadata,
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("headers", sa.JSON, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    )


class IdempotentReplay(Exception):
    """Raised by the dependency so the route never runs; build_app turns it into the answer."""

    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


class Idempotency:
    def __init__(
        self,
        connection: AsyncConnection,
        table: sa.Table,
        subject: str,
        key: str | None,
        *,
        ttl: timedelta,
    ) -> None:
        self.connection = connection
        self.table = table
        self.subject = subject
        self.key = key
        self.ttl = ttl

    def _where(self) -> sa.ColumnElement[bool]:
        return sa.and_(self.table.c.subject == self.subject, self.table.c.key == self.key)

    async def claim(self, request_hash: str) -> None:
        """Reserve the key, or raise IdempotentReplay with the answer already given."""
        if self.key is None:
            return
        existing = (
            await self.connection.execute(sa.select(self.table).where(self._where()))
        ).first()
        if existing is not None and await self._discard_if_expired(existing.created_at):
            existing = None
        if existing is None:
            inserted = await self._insert(request_hash)
            if inserted:
                return
            existing = (
                await self.connection.execute(sa.select(self.table).where(self._where()))
            ).first()
        assert existing is not None
        self._replay(existing, request_hash)

    async def replay_if_answered(self, request_hash: str) -> None:
        """Raise IdempotentReplay if this key was answered already; otherwise nothing is
        claimed. For requests that do slow work before they write (see `claim`)."""
        if self.key is None:
            return
        existing = (
            await self.connection.execute(sa.select(self.table).where(self._where()))
        ).first()
        if existing is None or existing.status_code is None:
            return
        if existing.created_at < utcnow() - self.ttl:
            return
        self._replay(existing, request_hash)

    def _replay(self, existing: Any, request_hash: str) -> None:
        if existing.request_hash != request_hash:
            raise ValidationFailed(
                [
                    field_error(
                        ["header", "Idempotency-Key"],
                        "Key reused for another request",
                        "idempotency_key_reused",
                    )
                ]
            )
        if existing.status_code is None:
            raise Conflict("a request with this Idempotency-Key is still being processed")
        headers = {**(existing.headers or {}), "Idempotent-Replayed": "true"}
        raise IdempotentReplay(
            Response(
                existing.body,
                status_code=existing.status_code,
                headers=headers,
                media_type="application/json",
            )
        )

    async def _discard_if_expired(self, created_at: datetime) -> bool:
        """An expired record counts as absent even before the purge runs: its answer must not
        be served any more. Deleted here so the key can be claimed afresh."""
        cutoff = utcnow() - self.ttl
        if created_at >= cutoff:
            return False
        # Only while still expired: a concurrent twin may have put a fresh record in its place,
        # which our insert then runs into (IntegrityError) and replays.
        await self.connection.execute(
            self.table.delete().where(self._where(), self.table.c.created_at < cutoff)
        )
        return True

    async def _insert(self, request_hash: str) -> bool:
        values = {
            "subject": self.subject,
            "key": self.key,
            "request_hash": request_hash,
            "created_at": utcnow(),
        }
        try:
            async with self.connection.begin_nested():
                await self.connection.execute(self.table.insert().values(**values))
        except sa.exc.IntegrityError:
            return False  # a concurrent twin committed first: replay its answer
        return True

    async def respond(
        self,
        content: Any,
        status_code: int,
        headers: dict[str, str],
        *,
        replay: Any = None,
    ) -> JSONResponse:
        """Build the JSON answer and, when a key was sent, store it for retries.

        `replay` is what a retry gets instead of `content`, when the answer holds more than
        should be stored (sensitive data): the same shape with those parts hidden."""
        response = JSONResponse(content, status_code=status_code, headers=headers)
        if self.key is not None:
            stored = response if replay is None else JSONResponse(replay)
            await self.connection.execute(
                self.table.update()
                .where(self._where())
                .values(status_code=status_code, body=bytes(stored.body).decode(), headers=headers)
            )
        return response


def _request_hash(request: Request, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def idempotency_dependency(
    table: sa.Table,
) -> Callable[..., Coroutine[Any, Any, Idempotency]]:
    """A dependency for POST routes, bound to this service's idempotency table."""

    async def dependency(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        key: IdempotencyKeyHeader = None,
    ) -> Idempotency:
        return await _claimed(request, session, table, principal.subject, key)

    return dependency


def required_idempotency_dependency(
    table: sa.Table,
) -> Callable[..., Coroutine[Any, Any, Idempotency]]:
    """As idempotency_dependency, for a route whose replay must change nothing (a batch):
    the key is required, and the document says so."""

    async def dependency(
        request: Request, session: SessionDep, principal: PrincipalDep, key: RequiredKeyHeader
    ) -> Idempotency:
        return await _claimed(request, session, table, principal.subject, key)

    return dependency


async def _claimed(
    request: Request, session: AsyncConnection, table: sa.Table, subject: str, key: str | None
) -> Idempotency:
    idempotency = idempotency_in(request, session, table, subject, key)
    await idempotency.claim(await request_hash(request))
    return idempotency


def idempotency_in(
    request: Request, connection: AsyncConnection, table: sa.Table, subject: str, key: str | None
) -> Idempotency:
    """An Idempotency working in `connection`, with the service's retention."""
    settings: ServiceSettings = request.app.state.settings
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    return Idempotency(connection, table, subject, key, ttl=ttl)


async def request_hash(request: Request) -> str:
    """What a retry must repeat exactly to be answered from the stored record."""
    return _request_hash(request, await request.body())


async def replay_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    return exc.response


async def purge_expired(
    connection: AsyncConnection,
    table: sa.Table,
    older_than: datetime,
    *,
    batch_size: int = PURGE_BATCH_SIZE,
) -> int:
    """Delete the records created before `older_than`; return how many went.

    A backlog goes in batches so that no one statement locks much of the table for long. On
    a connection outside a transaction each batch commits on its own and releases its locks;
    inside the caller's transaction the batches join it and commit (or roll back) with it.
    """
    expired = (
        sa.select(table.c.subject, table.c.key)
        .where(table.c.created_at < older_than)
        .limit(batch_size)
    )
    # By primary key through a subquery: PostgreSQL has no DELETE ... LIMIT, and SQLite only
    # when built with an option; this form works on both.
    statement = table.delete().where(sa.tuple_(table.c.subject, table.c.key).in_(expired))
    deleted = 0
    while True:
        count = await _delete_batch(connection, statement)
        deleted += count
        if count < batch_size:
            return deleted


async def _delete_batch(connection: AsyncConnection, statement: sa.Delete) -> int:
    if connection.in_transaction():
        return (await connection.execute(statement)).rowcount
    async with connection.begin():
        return (await connection.execute(statement)).rowcount
