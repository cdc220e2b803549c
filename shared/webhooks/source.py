"""What a service gives the worker: its events, as its own feed shows them to a caller."""

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth import Principal, Role


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
