"""What a service gives the worker: its events, as its own feed shows them to a caller."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import Principal, Role
from shared.db import AnyRow


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    seq: int
    id: UUID
    type: str
    body: dict[str, Any]  # what the receiver gets: the feed's JSON form of the event


class EventSource(Protocol):
    async def head(self, connection: AsyncConnection) -> int:
        """The highest event seq committed; every event up to it is settled."""
        ...

    async def events(
        self,
        connection: AsyncConnection,
        principal: Principal,
        *,
        after: int,
        upto: int,
        types: list[str],
        limit: int,
    ) -> list[OutboxEvent]:
        """Up to `limit` events in (after, upto], in seq order, that `principal` may read."""
        ...


@dataclass(frozen=True, slots=True)
class FeedSource:
    """An EventSource made of a service's own feed: its newest seq, its scoped read (the
    one `GET /events` uses) and its rendering of an event, the body every receiver gets."""

    last_seq: Callable[[AsyncConnection], Awaitable[int]]
    read_after: Callable[..., Awaitable[list[AnyRow]]]
    event_type: type[Enum]
    render: Callable[[AnyRow], BaseModel]

    async def head(self, connection: AsyncConnection) -> int:
        return await self.last_seq(connection)

    async def events(
        self,
        connection: AsyncConnection,
        principal: Principal,
        *,
        after: int,
        upto: int,
        types: list[str],
        limit: int,
    ) -> list[OutboxEvent]:
        rows = await self.read_after(
            connection,
            principal,
            after=after,
            upto=upto,
            types=[self.event_type(t) for t in types],
            limit=limit,
        )
        return [
            OutboxEvent(row.seq, row.id, row.type, self.render(row).model_dump(mode="json"))
            for row in rows[:limit]
        ]


def claims_of(principal: Principal) -> dict[str, Any]:
    """What a subscription keeps of its owner's token: its unit, not its scopes, so no
    delivery ever carries more than the feed shows a caller without sensitive:read."""
    return {
        "roles": sorted(role.value for role in principal.roles),
        "province_code": principal.province_code,
        "commune_code": principal.commune_code,
        "facility_id": str(principal.facility_id) if principal.facility_id else None,
    }


def principal_of(subject: str, claims: dict[str, Any]) -> Principal:
    facility = claims.get("facility_id")
    return Principal(
        subject=subject,
        roles=frozenset(Role(role) for role in claims.get("roles", [])),
        province_code=claims.get("province_code"),
        commune_code=claims.get("commune_code"),
        facility_id=UUID(facility) if facility else None,
    )
