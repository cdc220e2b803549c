"""Fixtures every test shares: one migrated database per service, a rolled-back session per
test, an in-process client per service, development tokens signed with a test key, and a
clock the tests move."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.cases.main import EXAMPLES as CASES_EXAMPLES
from services.cases.main import create_app as create_cases_app
from services.cases.settings import CasesSettings
from services.reporting.main import EXAMPLES as REPORTING_EXAMPLES
from services.reporting.main import create_app as create_reporting_app
from services.reporting.settings import ReportingSettings
from services.workforce.main import EXAMPLES as WORKFORCE_EXAMPLES
from services.workforce.main import create_app as create_workforce_app
from services.workforce.settings import WorkforceSettings
from shared import clock as shared_clock
from shared import migrations
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token
from shared.db import Database, make_engine
from shared.openapi import SHARED_EXAMPLES
from shared.settings import ServiceSettings
from shared.testing import end_session, fresh_database, rollback_session, use_session
from tests.documented import (
    DeclaredProblems,
    Documented,
    DocumentedAnswers,
    ExampleRecorder,
    shared_operations,
)
from tests.webhook_receiver import Receiver, receiving
from tools.services import migrations_of

SERVICES: dict[str, tuple[type[ServiceSettings], Callable[..., FastAPI]]] = {
    "cases": (CasesSettings, create_cases_app),
    "workforce": (WorkforceSettings, create_workforce_app),
    "reporting": (ReportingSettings, create_reporting_app),
}

EXAMPLES = {
    "cases": CASES_EXAMPLES,
    "workforce": WORKFORCE_EXAMPLES,
    "reporting": REPORTING_EXAMPLES,
}


@pytest.fixture(scope="session")
def test_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ctxh")


@pytest.fixture(scope="session")
def dev_key_path(test_dir: Path) -> Path:
    return test_dir / "dev-signing-key.pem"


@pytest.fixture(scope="session")
async def database_urls(test_dir: Path) -> dict[str, str]:
    """A fresh database per service, migrated to head once for the whole run."""
    urls = {}
    for name in SERVICES:
        urls[name] = await fresh_database(f"ctxh_test_{name}", test_dir)
        await asyncio.to_thread(migrations.upgrade, migrations_of(name), urls[name])
    return urls


def settings_for(name: str, database_url: str, dev_key_path: Path, **overrides: Any) -> Any:
    settings_class, _ = SERVICES[name]
    return settings_class(
        database_url=database_url, dev_key_path=dev_key_path, environment="test", **overrides
    )


@pytest.fixture(scope="session")
async def apps(
    database_urls: dict[str, str], dev_key_path: Path
) -> AsyncIterator[dict[str, FastAPI]]:
    built = {}
    for name, (_, create_app) in SERVICES.items():
        # Reporting reaches the others by these names; tests route them to the in-process apps.
        extra = (
            {
                "cases_url": "http://cases",
                "workforce_url": "http://workforce",
                # In-process calls that a loaded 2-core machine can still answer: a call cut
                # off mid-statement spoils the test's shared connection for what follows.
                "source_timeout_seconds": 3.0,
                "source_retries": 1,
            }
            if name == "reporting"
            else {}
        )
        settings = settings_for(name, database_urls[name], dev_key_path, **extra)
        built[name] = create_app(settings, Database(make_engine(database_urls[name], pool_size=2)))
    yield built
    for app in built.values():
        await app.state.database.dispose()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-examples",
        action="store_true",
        help="write each service's openapi_examples.json from the suite's real requests",
    )


@cache
def documented(app: FastAPI) -> Documented:
    """Each app's document, matched once per run rather than for every test."""
    return Documented(app)


@cache
def answers(app: FastAPI) -> DocumentedAnswers:
    """Each app's answer schemas, compiled once per run."""
    return DocumentedAnswers(documented(app))


@pytest.fixture(scope="session")
def recorders(
    request: pytest.FixtureRequest, apps: dict[str, FastAPI]
) -> Iterator[dict[str, list[ExampleRecorder]]]:
    """Examples for the documents, from the answers the suite's clients get (--record-examples):
    each service's own operations, and the shared ones whichever service answered them."""
    if not request.config.getoption("--record-examples"):
        yield {}
        return
    shared = shared_operations(apps["cases"])
    common = ExampleRecorder(documented(apps["cases"]), shared.__contains__)
    own = {
        name: ExampleRecorder(documented(app), lambda operation: operation not in shared)
        for name, app in apps.items()
    }
    yield {name: [recorder, common] for name, recorder in own.items()}
    for name, recorder in own.items():
        recorder.write(EXAMPLES[name])
    common.write(SHARED_EXAMPLES)


async def _client(
    app: FastAPI, recorders: list[ExampleRecorder] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    hooks = {
        "response": [DeclaredProblems(documented(app)).check, answers(app).check],
    }
    hooks["response"] += [recorder.record for recorder in recorders or []]
    async with rollback_session(app.state.database.engine) as session:
        use_session(app, session)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", event_hooks=hooks
        ) as client:
            client.session = session  # type: ignore[attr-defined]
            yield client
        # An import job started by the test runs on the test's connection: done before it ends.
        if (jobs := getattr(app.state, "import_jobs", None)) is not None:
            await jobs.wait()
        end_session(app)


@pytest.fixture
async def cases_client(
    apps: dict[str, FastAPI], recorders: dict[str, list[ExampleRecorder]]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(apps["cases"], recorders.get("cases")):
        yield client


@pytest.fixture
async def workforce_client(
    apps: dict[str, FastAPI], recorders: dict[str, list[ExampleRecorder]]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(apps["workforce"], recorders.get("workforce")):
        yield client


@pytest.fixture
async def reporting_client(
    apps: dict[str, FastAPI], recorders: dict[str, list[ExampleRecorder]]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(apps["reporting"], recorders.get("reporting")):
        yield client


@pytest.fixture(params=list(SERVICES))
async def any_client(
    request: pytest.FixtureRequest,
    apps: dict[str, FastAPI],
    recorders: dict[str, list[ExampleRecorder]],
) -> AsyncIterator[httpx.AsyncClient]:
    """Runs the test once against each service: for behaviour all three must share."""
    async for client in _client(apps[request.param], recorders.get(request.param)):
        yield client


TokenFactory = Callable[..., dict[str, str]]
MoveClock = Callable[..., None]


@pytest.fixture(scope="session")
def token(dev_key_path: Path) -> TokenFactory:
    """`token(Role.X, province_code=..., ...)` → Authorization headers for a dev token."""
    settings = ServiceSettings(dev_key_path=dev_key_path)

    def make(*roles: Role, **claims: Any) -> dict[str, str]:
        value = issue_dev_token(settings, roles=list(roles), **claims)
        return {"Authorization": f"Bearer {value}"}

    return make


@pytest.fixture
def clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MoveClock:
    """`clock(hours=5)` moves every timestamp of the in-process apps 5 hours past the real
    time (shared.clock), for as long as the test runs."""
    path = tmp_path / "clock-offset"
    monkeypatch.setenv(shared_clock.OFFSET_FILE_VARIABLE, str(path))

    def move(**delta: float) -> None:
        shared_clock.write_offset(path, timedelta(**delta))

    return move


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A webhook receiver on loopback that verifies signatures (tests.webhook_receiver)."""
    async with receiving() as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The in-process worker's client, as `ctxh worker` makes it: no proxy from the
    environment."""
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client
