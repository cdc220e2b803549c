"""Reading the append-only history, with sensitive values hidden from those who may not see them."""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.schemas import HistoryEvent
from services.cases.common import history
from services.cases.person.models import SENSITIVE_PERSON_FIELDS
from services.cases.reference.codes import SENSITIVE_CATEGORIES

HIDDEN = "[hidden]"


def _redact(changes: dict[str, Any]) -> dict[str, Any]:
    redacted = {}
    for key, value in changes.items():
        if key in SENSITIVE_PERSON_FIELDS:
            redacted[key] = [HIDDEN, HIDDEN]
        elif key == "categories" and isinstance(value, list):
            redacted[key] = _open_codes(value)
        else:
            redacted[key] = value
    return redacted


def _open_codes(value: list[Any]) -> list[Any]:
    if value and all(isinstance(v, list) for v in value):  # [before, after]
        return [[c for c in side if c not in SENSITIVE_CATEGORIES] for side in value]
    return [c for c in value if c not in SENSITIVE_CATEGORIES]


async def history_of(
    session: AsyncConnection, entity_id: UUID, *, sensitive: bool, limit: int = 500
) -> list[HistoryEvent]:
    """Events of a record and of the records inside it, oldest first."""
    query = (
        sa.select(history)
        .where(sa.or_(history.c.entity_id == entity_id, history.c.parent_id == entity_id))
        .order_by(history.c.id)
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
            changes=row.changes if sensitive else _redact(row.changes),
        )
        for row in await session.execute(query)
    ]
