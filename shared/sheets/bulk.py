"""Writing many rows at once: PostgreSQL's COPY where the database is PostgreSQL (the rows go
over in its binary format, inside the caller's transaction), one multi-row INSERT on SQLite.

COPY runs no column defaults for the columns it is given and no SQLAlchemy defaults at all, so
callers give every column they mean to set; the database's own defaults fill the rest."""

import json
import operator
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_rows(
    connection: AsyncConnection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (each with the same keys) into `table`; the count written."""
    if not rows:
        return 0
    if connection.dialect.name != "postgresql":
        await connection.execute(table.insert(), list(rows))
        return len(rows)
    names = list(rows[0])
    # Only JSON needs converting (to its text); enums are str and go as their value. Per
    # cell work here is paid on hundreds of thousands of rows, on the event loop.
    json_at = [i for i, name in enumerate(names) if isinstance(table.c[name].type, sa.JSON)]
    values_of = operator.itemgetter(*names)  # by name: no row's key order matters
    records = [values_of(row) if len(names) > 1 else (row[names[0]],) for row in rows]
    if json_at:
        records = [_with_json(record, json_at) for record in records]
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if not driver.is_in_transaction():
        # SQLAlchemy begins the database's transaction at its first statement, not at
        # begin(): without one, COPY would commit on its own.
        await connection.execute(sa.text("SELECT 1"))
    await driver.copy_records_to_table(table.name, columns=names, records=records)
    return len(rows)


def _with_json(record: tuple[Any, ...], at: list[int]) -> tuple[Any, ...]:
    values = list(record)
    for i in at:
        values[i] = json.dumps(values[i], ensure_ascii=False)
    return tuple(values)
