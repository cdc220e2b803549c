"""`ctxh token` mints tokens the services accept; `ctxh purge-idempotency` purges records."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import make_engine, utcnow
from shared.idempotency import idempotency_table
from tools.cli import main


async def test_token_command_prints_a_token_the_services_accept(
    any_client: httpx.AsyncClient,
    dev_key_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CTXH_DEV_KEY_PATH", str(dev_key_path))
    assert (
        main(
            ["token", "--role", "province_officer", "--province", "31", "--scope", "sensitive:read"]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    response = await any_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["roles"] == ["province_officer"]
    assert response.json()["province_code"] == "31"
    assert response.json()["scopes"] == ["sensitive:read"]


def test_token_command_refuses_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["token", "--role", "superuser"])
    assert exited.value.code == 2


IDEMPOTENCY = idempotency_table(sa.MetaData())


@pytest.fixture
async def engines(
    database_urls: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[dict[str, AsyncEngine]]:
    """The services' test databases, for rows the command must see committed; the CLI is
    pointed at them. Every row a test commits under its subject is removed afterwards."""
    built = {name: make_engine(url, pool_size=1) for name, url in database_urls.items()}
    for name, url in database_urls.items():
        monkeypatch.setenv(f"{name.upper()}_DATABASE_URL", url)
        monkeypatch.delenv(f"{name.upper()}_IDEMPOTENCY_TTL_HOURS", raising=False)
    yield built
    for engine in built.values():
        async with engine.begin() as connection:
            await connection.execute(
                IDEMPOTENCY.delete().where(IDEMPOTENCY.c.subject.startswith("cli-test-"))
            )
        await engine.dispose()


async def commit_records(engine: AsyncEngine, subject: str, ages: dict[str, timedelta]) -> None:
    now = utcnow()
    rows = [
        {"subject": subject, "key": key, "request_hash": "0" * 64, "created_at": now - age}
        for key, age in ages.items()
    ]
    async with engine.begin() as connection:
        await connection.execute(IDEMPOTENCY.insert(), rows)


async def keys_of(engine: AsyncEngine, subject: str) -> list[str]:
    query = sa.select(IDEMPOTENCY.c.key).where(IDEMPOTENCY.c.subject == subject)
    async with engine.connect() as connection:
        return sorted((await connection.execute(query)).scalars())


async def run_cli(*argv: str) -> int:
    # The command runs its own event loop, which cannot start inside this test's loop.
    return await asyncio.to_thread(main, list(argv))


async def test_purge_idempotency_deletes_records_older_than_the_ttl_and_reports_the_count(
    engines: dict[str, AsyncEngine], capsys: pytest.CaptureFixture[str]
) -> None:
    subject = f"cli-test-{uuid.uuid4()}"
    ages = {
        "old-0001": timedelta(hours=30),
        "old-0002": timedelta(days=10),
        "new-0001": timedelta(hours=23),
    }
    await commit_records(engines["cases"], subject, ages)
    assert await run_cli("purge-idempotency", "cases") == 0
    assert capsys.readouterr().out == "cases: deleted 2 idempotency records older than 24 h\n"
    assert await keys_of(engines["cases"], subject) == ["new-0001"]


async def test_purge_idempotency_for_all_services_with_an_explicit_age(
    engines: dict[str, AsyncEngine], capsys: pytest.CaptureFixture[str]
) -> None:
    subject = f"cli-test-{uuid.uuid4()}"
    ages = {"old-0001": timedelta(hours=3), "new-0001": timedelta(hours=1)}
    await commit_records(engines["workforce"], subject, ages)
    await commit_records(engines["reporting"], subject, ages)
    assert await run_cli("purge-idempotency", "all", "--older-than-hours", "2") == 0
    assert capsys.readouterr().out.splitlines() == [
        "cases: deleted 0 idempotency records older than 2 h",
        "workforce: deleted 1 idempotency records older than 2 h",
        "reporting: deleted 1 idempotency records older than 2 h",
    ]
    assert await keys_of(engines["workforce"], subject) == ["new-0001"]
    assert await keys_of(engines["reporting"], subject) == ["new-0001"]


def test_purge_idempotency_refuses_less_than_an_hour(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["purge-idempotency", "cases", "--older-than-hours", "0"])
    assert exited.value.code == 2
    assert "at least 1" in capsys.readouterr().err
