"""Append-only history of who changed what, one table per service."""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
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
