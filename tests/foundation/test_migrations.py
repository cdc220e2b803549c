"""Each service's migrations build its schema from an empty database and match its models."""

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared import migrations
from shared.db import make_engine
from shared.testing import fresh_database
from tools.services import SERVICES as ALL_SERVICES
from tools.services import migrations_of

SERVICES = list(ALL_SERVICES)


async def _tables(url: str) -> set[str]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: sa.inspect(c).get_table_names()))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_upgrade_from_empty_matches_models(service: str, test_dir: Path) -> None:
    url = await fresh_database(f"ctxh_migrate_{service}", test_dir)
    await asyncio.to_thread(migrations.upgrade, migrations_of(service), url)
    assert f"alembic_version_{service}" in await _tables(url)
    # Raises if autogenerate would find any difference between models and migrated schema.
    await asyncio.to_thread(migrations.check, migrations_of(service), url)


@pytest.mark.parametrize("service", SERVICES)
async def test_downgrade_to_base_and_back(service: str, test_dir: Path) -> None:
    url = await fresh_database(f"ctxh_roundtrip_{service}", test_dir)
    await asyncio.to_thread(migrations.upgrade, migrations_of(service), url)
    before = await _tables(url)
    await asyncio.to_thread(migrations.downgrade, migrations_of(service), url, "base")
    assert await _tables(url) <= {f"alembic_version_{service}"}
    await asyncio.to_thread(migrations.upgrade, migrations_of(service), url)
    assert await _tables(url) == before
