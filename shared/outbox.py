"""What every service's event table (its transactional outbox) reads the same way: a feed's
window, after a cursor and up to a head, of some kinds, oldest first; and the newest seq.
The table has a `seq` from the change counter (shared.changes) and a `type`."""

from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


def feed_window(
    query: sa.Select[Any],
    table: sa.Table,
    *,
    after: int,
    upto: int | None,
    types: list[Any],
    limit: int,
) -> sa.Select[Any]:
    """`query` limited to `limit` + 1 events after `after` (and up to `upto`), of `types`
    if any, oldest first: one more than asked tells whether there are more."""
    query = query.where(table.c.seq > after).order_by(table.c.seq).limit(limit + 1)
    if types:
        query = query.where(table.c.type.in_([_value(t) for t in types]))
    if upto is not None:
        query = query.where(table.c.seq <= upto)
    return query


def _value(kind: Any) -> Any:
    return kind.value if isinstance(kind, Enum) else kind


async def last_seq(connection: AsyncConnection, table: sa.Table) -> int:
    """The newest event's seq (0 before the first)."""
    query = sa.select(sa.func.coalesce(sa.func.max(table.c.seq), 0))
    return int((await connection.execute(query)).scalar_one())
