import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.cases.main import create_app
from shared import migrations
from shared.auth import Role
from shared.db import Database, make_engine
from shared.testing import fresh_database
from tests.cases.factories import FACILITY_X, FACILITY_Y, HP, WARD_A, officer
from tests.conftest import TokenFactory, settings_for
from tools.services import migrations_of


@pytest.fixture
def officer_hp(token: TokenFactory) -> dict[str, str]:
    return officer(token)


@pytest.fixture
def officer_sensitive(token: TokenFactory) -> dict[str, str]:
    return officer(token, sensitive=True)


@pytest.fixture
def worker_id() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def commune_worker(token: TokenFactory, worker_id: uuid.UUID) -> dict[str, str]:
    return token(Role.COMMUNE_WORKER, subject=str(worker_id), province_code=HP, commune_code=WARD_A)


@pytest.fixture
def facility_x(token: TokenFactory) -> dict[str, str]:
    return token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)


@pytest.fixture
def facility_y(token: TokenFactory) -> dict[str, str]:
    return token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_Y)


@pytest.fixture
async def committed(
    test_dir: Path, dev_key_path: Path
) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    """A cases database of its own and a client whose requests commit, as in production."""
    url = await fresh_database(f"ctxh_committed_{uuid.uuid4().hex[:8]}", test_dir)
    await asyncio.to_thread(migrations.upgrade, migrations_of("cases"), url)
    settings = settings_for("cases", url, dev_key_path)
    app = create_app(settings, Database(make_engine(url, pool_size=2)))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield url, client
    await app.state.database.dispose()
