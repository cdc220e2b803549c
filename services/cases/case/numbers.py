"""Readable case numbers: <province>-<year>-<sequence>, e.g. 31-2026-000123."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.models import counter_t


async def next_case_number(connection: AsyncConnection, province_code: str, year: int) -> str:
    # One atomic upsert: concurrent intakes in a province never get the same number.
    dialect = connection.dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(counter_t)
    statement = (
        insert.values(province_code=province_code, year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=["province_code", "year"],
            set_={"last_value": counter_t.c.last_value + 1},
        )
        .returning(counter_t.c.last_value)
    )
    value = (await connection.execute(statement)).scalar_one()
    return f"{province_code}-{year}-{value:06d}"
