"""Append-only history of who changed what, one table per service."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth.principal import Principal
from shared.db import UTCDateTime, utcnow

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def history_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "history_event",
        metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("entity_type", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Uuid, nullable=False),
        sa.Column("parent_id", sa.Uuid, nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_roles", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Index("ix_history_event_entity_id", "entity_id", "id"),
        sa.Index("ix_history_event_parent_id", "parent_id", "id"),
    )


async def record_event(
    session: AsyncConnection,
    table: sa.Table,
    principal: Principal,
    *,
    entity_type: str,
    entity_id: UUID,
    action: str,
    changes: dict[str, Any] | None = None,
    parent_id: UUID | None = None,
) -> None:
    await session.execute(
        table.insert().values(
            entity_type=entity_type,
            entity_id=entity_id,
            parent_id=parent_id,
            action=action,
            actor=principal.subject,
            actor_roles=",".join(sorted(principal.roles)),
            at=utcnow(),
            changes=changes or {},
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields that changed, JSON-ready."""
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


class HistoryEvent(BaseModel):
    id: int
    entity_type: str
    entity_id: UUID
    action: str
    actor: str
    actor_roles: list[str]
    at: datetime
    changes: dict[str, Any]


class HistoryPage(BaseModel):
    items: list[HistoryEvent]


async def history_of(
    connection: AsyncConnection,
    table: sa.Table,
    entity_id: UUID,
    *,
    redact: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    limit: int = 500,
) -> list[HistoryEvent]:
    """Events of a record and of the records inside it, oldest first."""
    query = (
        sa.select(table)
        .where(sa.or_(table.c.entity_id == entity_id, table.c.parent_id == entity_id))
        .order_by(table.c.id)
        .limit(limit)
    )
    return [
        HistoryEvent(
            id=row.id,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            action=row.action,
            actor=row.actor,
            actor_roles=[r for r in row.actor_roles.split(",") if r],
            at=row.at,
            changes=redact(row.changes) if redact else row.changes,
        )
        for row in await connection.execute(query)
    ]
