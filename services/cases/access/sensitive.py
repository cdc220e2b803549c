"""Sensitive data: who may read it, on what grounds, and the record of every such read."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Query, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.models import AccessLog
from shared.auth import Principal
from shared.db import utcnow
from shared.fastsql import PreparedQuery
from shared.models import table_of

access_log_t = table_of(AccessLog)
_INSERT = PreparedQuery(access_log_t.insert())  # type: ignore[attr-defined]


async def access_purpose(
    header: Annotated[
        str | None,
        Header(
            alias="X-Access-Purpose",
            max_length=300,
            description="Why sensitive data is being read; logged with the read",
        ),
    ] = None,
    purpose: Annotated[
        str | None, Query(max_length=300, description="Same as the X-Access-Purpose header")
    ] = None,
) -> str | None:
    return (header or purpose or "").strip() or None


Purpose = Annotated[str | None, Depends(access_purpose)]


def reveals_sensitive(principal: Principal, purpose: str | None) -> bool:
    """Sensitive parts are served only to callers with sensitive:read who say why."""
    return principal.can_read_sensitive and purpose is not None


async def log_access(
    session: AsyncConnection,
    request: Request,
    principal: Principal,
    *,
    person_id: UUID,
    record_type: str,
    sensitive: bool,
    purpose: str | None,
    case_id: UUID | None = None,
) -> None:
    """Every read of a person's or case's record, so anyone can be told who saw their file."""
    await _INSERT.execute(
        session,
        {
            "at": utcnow(),
            "actor": principal.subject,
            "actor_roles": ",".join(sorted(principal.roles)),
            "person_id": person_id,
            "case_id": case_id,
            "record_type": record_type,
            "sensitive": sensitive,
            "purpose": purpose,
            "request_id": request.scope.get("state", {}).get("request_id"),
        },
    )
