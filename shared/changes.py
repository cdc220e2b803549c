"""A per-service change sequence for offline clients' `GET /changes?since=`.

Every write takes the next number from a single counter row just before it commits. The
row lock makes writers take numbers in commit order, so a client that has seen number N
never misses a change that commits later with a smaller one. A long writer reserves its
numbers instead, under a hold the feeds wait for (`change_hold_table`).
"""

from datetime import timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import UTCDateTime, utcnow


def change_counter_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "change_counter",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("value", sa.BigInteger, nullable=False),
    )


async def next_change_seq(connection: AsyncConnection, table: sa.Table) -> int:
    statement = (
        table.update()
        .where(table.c.id == 1)
        .values(value=table.c.value + 1)
        .returning(table.c.value)
    )
    value: int = (await connection.execute(statement)).scalar_one()
    return value


# A hold whose holder has not been heard from for this long is ignored: its process stopped,
# its transaction rolled back, and the numbers it reserved will never be used.
HOLD_STALE_AFTER = timedelta(minutes=2)


def change_hold_table(metadata: sa.MetaData) -> sa.Table:
    """Numbers reserved by a long writer (an import job) that commits later.

    A job writing 100,000 people cannot hold the counter's lock for its whole run: every
    other writer would wait on it past its statement timeout. It reserves its numbers a
    chunk at a time in short transactions of their own, recording the lowest in a hold,
    and the feeds serve nothing numbered from the hold's lowest on until the hold is gone
    (deleted in the job's own transaction, as it commits, or when it rolls back). So a
    client never moves its cursor past numbers that are still to appear."""
    return sa.Table(
        "change_hold",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("low", sa.BigInteger, nullable=False),
        sa.Column("heartbeat_at", UTCDateTime, nullable=False),
    )


async def reserve_change_seqs(
    connection: AsyncConnection, counter: sa.Table, holds: sa.Table, hold_id: UUID, count: int
) -> int:
    """Reserve `count` numbers under hold `hold_id` and return the last; the caller commits
    at once, so that the counter's lock is held for this statement only."""
    last = await _take(connection, counter, count)
    first = last - count + 1
    found = await connection.execute(
        holds.update().where(holds.c.id == hold_id).values(heartbeat_at=utcnow())
    )
    if found.rowcount == 0:
        await connection.execute(
            holds.insert().values(id=hold_id, low=first, heartbeat_at=utcnow())
        )
    return last


async def take_change_seqs(connection: AsyncConnection, counter: sa.Table, count: int) -> int:
    """`count` numbers in the caller's transaction (the counter stays locked until it ends);
    the last is returned."""
    return await _take(connection, counter, count)


async def _take(connection: AsyncConnection, counter: sa.Table, count: int) -> int:
    statement = (
        counter.update()
        .where(counter.c.id == 1)
        .values(value=counter.c.value + count)
        .returning(counter.c.value)
    )
    value: int = (await connection.execute(statement)).scalar_one()
    return value


async def release_hold(connection: AsyncConnection, holds: sa.Table, hold_id: UUID) -> None:
    await connection.execute(holds.delete().where(holds.c.id == hold_id))


async def served_below(connection: AsyncConnection, holds: sa.Table) -> int | None:
    """The first number a feed may not serve yet (the lowest live hold's), or None."""
    query = sa.select(sa.func.min(holds.c.low)).where(
        holds.c.heartbeat_at > utcnow() - HOLD_STALE_AFTER
    )
    low: int | None = (await connection.execute(query)).scalar_one()
    return low
