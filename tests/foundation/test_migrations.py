"""Each service's migrations build its schema from an empty database and match its models."""

import asyncio
import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

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


async def test_seed_plans_loaded_before_their_tasks_get_them_from_the_seed_files(
    test_dir: Path,
) -> None:
    """A province that loaded the seed plans before revision 0007 gets their tasks and
    agencies when it migrates; a plan of its own keeps empty lists."""
    url = await fresh_database("ctxh_migrate_plan_tasks", test_dir)
    directory = migrations_of("reporting")
    await asyncio.to_thread(migrations.upgrade, directory, url, "0006")
    plan = sa.table(
        "plan",
        sa.column("id", sa.Uuid),
        *(sa.column(name) for name in ("code", "name_vi", "name_en", "level", "created_by")),
        *(sa.column(name) for name in ("territory_scheme", "shared_wards", "version")),
        *(sa.column(name, sa.Date) for name in ("period_start", "period_end")),
        sa.column("deadlines", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.begin() as connection:
            for code in ("HD-2025", "OWN-2026"):
                await connection.execute(
                    plan.insert().values(
                        id=uuid.uuid4(),
                        code=code,
                        name_vi=code,
                        name_en=code,
                        level="province",
                        territory_scheme="2025",
                        shared_wards="include",
                        version=1,
                        period_start=date(2025, 1, 1),
                        period_end=date(2025, 12, 31),
                        created_by="test",
                        deadlines=[],
                        created_at=now,
                        updated_at=now,
                    )
                )
        await asyncio.to_thread(migrations.upgrade, directory, url)
        read = sa.text("SELECT code, tasks, responsibilities FROM plan ORDER BY code")
        async with engine.connect() as connection:
            rows = {row.code: row for row in await connection.execute(read)}
    finally:
        await engine.dispose()

    def decoded(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    assert len(decoded(rows["HD-2025"].tasks)) == 7
    assert len(decoded(rows["HD-2025"].responsibilities)) == 4
    assert decoded(rows["OWN-2026"].tasks) == []
