"""A per-service change sequence for offline clients' `GET /changes?since=`.

Every write takes the next number from a single counter row just before it commits. The
row lock makes writers take numbers in commit order, so a client that has seen number N
never misses a change that commits later with a smaller one.
"""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


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
