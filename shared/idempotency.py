"""Idempotency-Key on POST: a retried request creates one record and gets the first answer.

The key is claimed (a row inserted) in the same transaction as the work, so the record and
the stored answer commit together or not at all. A concurrent retry blocks on that row and
then replays the answer.
"""

import hashlib
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import PrincipalDep
from shared.db import SessionDep, UTCDateTime, utcnow
from shared.errors import Conflict, ValidationFailed, field_error

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        description="A unique key per create; a retry with the same key returns the first answer",
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
    def __init__(self, session: AsyncConnection, table: sa.Table, subject: str, key: str | None):
        self.session = session
        self.table = table
        self.subject = subject
        self.key = key

    def _where(self) -> sa.ColumnElement[bool]:
        return sa.and_(self.table.c.subject == self.subject, self.table.c.key == self.key)

    async def claim(self, request_hash: str) -> None:
        """Reserve the key, or raise IdempotentReplay with the answer already given."""
        if self.key is None:
            return
        existing = (await self.session.execute(sa.select(self.table).where(self._where()))).first()
        if existing is None:
            inserted = await self._insert(request_hash)
            if inserted:
                return
            existing = (
                await self.session.execute(sa.select(self.table).where(self._where()))
            ).first()
        assert existing is not None
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

    async def _insert(self, request_hash: str) -> bool:
        values = {
            "subject": self.subject,
            "key": self.key,
            "request_hash": request_hash,
            "created_at": utcnow(),
        }
        try:
            async with self.session.begin_nested():
                await self.session.execute(self.table.insert().values(**values))
        except sa.exc.IntegrityError:
            return False  # a concurrent twin committed first: replay its answer
        return True

    async def respond(
        self, content: Any, status_code: int, headers: dict[str, str]
    ) -> JSONResponse:
        """Build the JSON answer and, when a key was sent, store it for retries."""
        response = JSONResponse(content, status_code=status_code, headers=headers)
        if self.key is not None:
            await self.session.execute(
                self.table.update()
                .where(self._where())
                .values(
                    status_code=status_code, body=bytes(response.body).decode(), headers=headers
                )
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
        idempotency = Idempotency(session, table, principal.subject, key)
        await idempotency.claim(_request_hash(request, await request.body()))
        return idempotency

    return dependency


async def replay_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    return exc.response
