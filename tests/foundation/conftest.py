from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.foundation.apps import probe_app


@pytest.fixture(scope="session")
def probe(apps: dict[str, FastAPI], dev_key_path: Path) -> FastAPI:
    return probe_app(apps["cases"].state.database, dev_key_path)


@pytest.fixture
async def probe_client(probe: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=probe)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
