"""Reading the append-only history, with sensitive values hidden from those who may not see them."""

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.common import history
from services.cases.person.models import SENSITIVE_PERSON_FIELDS
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from shared.history import HistoryEvent, history_of

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


async def case_history(
    session: AsyncConnection, entity_id: UUID, *, sensitive: bool
) -> list[HistoryEvent]:
    """History with sensitive values hidden unless the caller may see them."""
    return await history_of(session, history, entity_id, redact=None if sensitive else _redact)
