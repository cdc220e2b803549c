"""`ctxh plans load`: the seed plans straight into the reporting database."""

from services.reporting.plan.service import load_seed_plans
from shared.auth import Principal, Role
from shared.db import Database

SEEDER = Principal(subject="ctxh-plans-load", name="seed loader", roles=frozenset({Role.ADMIN}))


async def load_seed_plans_into(url: str) -> list[str]:
    database = Database.from_url(url, pool_size=1)
    try:
        async with database.engine.begin() as connection:
            return await load_seed_plans(connection, SEEDER)
    finally:
        await database.dispose()
