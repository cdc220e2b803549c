"""Entering and reading manual values: one figure per territory, metric and period."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import check_own_province
from services.reporting.common import history
from services.reporting.manual.models import manual_t
from services.reporting.manual.schemas import ManualValueIn, ManualValueRead
from services.reporting.territory import Scheme, resolve
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.errors import PreconditionFailed
from shared.history import record_event
from shared.models import new_id


def _check_territory(principal: Principal, scheme: Scheme, code: str) -> None:
    """Manual values of a province are entered and read by its own officers only."""
    check_own_province(principal, resolve(scheme, code).province_code, "manual values")


async def _current(connection: AsyncConnection, data: ManualValueIn) -> AnyRow | None:
    """The figure entered so far for the same territory, metric and period, if any."""
    query = sa.select(manual_t).where(
        manual_t.c.territory_scheme == data.territory_scheme,
        manual_t.c.territory_code == data.territory_code,
        manual_t.c.metric == data.metric,
        manual_t.c.period_id == data.period_id,
    )
    return (await connection.execute(query)).first()


async def _insert(
    connection: AsyncConnection, entry: dict[str, Any], if_match: str | None
) -> dict[str, Any]:
    """The first figure for its key: with nothing to replace, an ETag names nothing."""
    if if_match is not None:
        raise PreconditionFailed("there is no figure to replace; leave out If-Match")
    stored = {**entry, "id": new_id(), "version": 1}
    await connection.execute(manual_t.insert().values(**stored))  # unique: a twin is a 409
    return stored


async def _replace(
    connection: AsyncConnection, current: AnyRow, entry: dict[str, Any], if_match: str | None
) -> dict[str, Any]:
    """A correction, only of the version the caller read: nobody overwrites a figure they
    never saw."""
    check_if_match(if_match, current.version)
    stored = {**entry, "version": current.version + 1}
    replaced = await connection.execute(
        manual_t.update()
        .where(manual_t.c.id == current.id, manual_t.c.version == current.version)
        .values(**stored)
    )
    if replaced.rowcount != 1:  # replaced meanwhile by a request with the same ETag
        raise PreconditionFailed("the figure changed since you read it; reload it")
    return {**stored, "id": current.id}


async def enter_manual_value(
    connection: AsyncConnection, principal: Principal, data: ManualValueIn, if_match: str | None
) -> ManualValueRead:
    """Enter a figure, or correct the one `if_match` names; both entries are in the history."""
    _check_territory(principal, data.territory_scheme, data.territory_code)
    current = await _current(connection, data)
    entry = {**data.model_dump(), "entered_by": principal.subject, "updated_at": utcnow()}
    if current is None:
        stored = await _insert(connection, entry, if_match)
    else:
        stored = await _replace(connection, current, entry, if_match)
    await record_event(
        connection,
        history,
        principal,
        entity_type="manual_value",
        entity_id=stored["id"],
        action="entered",
        changes={"value": [current.value if current else None, data.value]},
    )
    return ManualValueRead.model_validate(stored)


async def list_manual_values(
    connection: AsyncConnection, principal: Principal, scheme: Scheme, code: str
) -> list[ManualValueRead]:
    """The figures entered for a territory, by period and metric."""
    _check_territory(principal, scheme, code)
    rows = await connection.execute(
        sa.select(manual_t)
        .where(manual_t.c.territory_scheme == scheme, manual_t.c.territory_code == code)
        .order_by(manual_t.c.period_id, manual_t.c.metric)
    )
    return [ManualValueRead.model_validate(row._asdict()) for row in rows]
