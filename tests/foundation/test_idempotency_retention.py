"""Idempotency records hold whole answers, personal data included: they expire after the
service's idempotency_ttl_hours, are no longer replayed once expired, and are purged."""

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.common import idempotency as cases_idempotency
from services.cases.settings import CasesSettings
from shared.db import utcnow
from shared.idempotency import purge_expired
from tests.cases.factories import officer, person_payload, with_key
from tests.conftest import TokenFactory

SUBJECT = "retention-test"


def record(key: str, created_at: datetime) -> dict[str, Any]:
    return {
        "subject": SUBJECT,
        "key": key,
        "request_hash": "0" * 64,
        "status_code": 201,
        "body": '{"full_name": "Nguyễn Văn Đức"}',
        "headers": {},
        "created_at": created_at,
    }


async def keys_left(session: AsyncConnection) -> list[str]:
    table = cases_idempotency
    query = sa.select(table.c.key).where(table.c.subject == SUBJECT).order_by(table.c.key)
    return list((await session.execute(query)).scalars())


async def test_purge_deletes_records_older_than_the_cutoff_and_keeps_newer_ones(
    cases_client: httpx.AsyncClient,
) -> None:
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    now = utcnow()
    await session.execute(
        cases_idempotency.insert(),
        [
            record("old-0001", now - timedelta(days=3)),
            record("old-0002", now - timedelta(hours=25)),
            record("new-0001", now - timedelta(hours=23)),
            record("new-0002", now),
        ],
    )
    deleted = await purge_expired(session, cases_idempotency, now - timedelta(hours=24))
    assert deleted == 2
    assert await keys_left(session) == ["new-0001", "new-0002"]


async def test_purge_works_through_a_backlog_in_batches(cases_client: httpx.AsyncClient) -> None:
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    now = utcnow()
    old = [record(f"old-{n:04}", now - timedelta(days=2, minutes=n)) for n in range(7)]
    await session.execute(cases_idempotency.insert(), [*old, record("new-0001", now)])
    deleted = await purge_expired(session, cases_idempotency, now - timedelta(days=1), batch_size=3)
    assert deleted == 7
    assert await keys_left(session) == ["new-0001"]


async def test_purge_with_nothing_expired_deletes_nothing(cases_client: httpx.AsyncClient) -> None:
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    await session.execute(cases_idempotency.insert(), [record("new-0001", utcnow())])
    assert await purge_expired(session, cases_idempotency, utcnow() - timedelta(hours=1)) == 0
    assert await keys_left(session) == ["new-0001"]


async def age_record(session: AsyncConnection, key: str, age: timedelta) -> None:
    """Move the record's creation back, as if `age` had passed since the first request."""
    table = cases_idempotency
    await session.execute(
        table.update().where(table.c.key == key).values(created_at=utcnow() - age)
    )


async def post_person(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.post(
        "/api/v1/persons",
        json=person_payload(),
        headers=headers,
        params={"allow_duplicate": "true"},
    )


async def test_a_replay_after_the_ttl_creates_a_new_record_instead_of_replaying(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    headers = with_key(officer(token), "expiring-key-0001")
    first = await post_person(cases_client, headers)
    assert first.status_code == 201, first.text
    await age_record(session, "expiring-key-0001", timedelta(hours=24, minutes=1))

    again = await post_person(cases_client, headers)
    assert again.status_code == 201, again.text
    assert "Idempotent-Replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    # The new answer replaces the expired one: the next retry replays the second person.
    third = await post_person(cases_client, headers)
    assert third.headers["Idempotent-Replayed"] == "true"
    assert third.json()["id"] == again.json()["id"]
    table = cases_idempotency
    created = await session.scalar(
        sa.select(table.c.created_at).where(table.c.key == "expiring-key-0001")
    )
    assert created is not None
    assert created > utcnow() - timedelta(minutes=5)


async def test_the_ttl_comes_from_the_service_settings(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    token: TokenFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(apps["cases"].state.settings, "idempotency_ttl_hours", 2)
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    headers = with_key(officer(token), "short-ttl-key-0001")
    first = await post_person(cases_client, headers)

    await age_record(session, "short-ttl-key-0001", timedelta(hours=1))
    within = await post_person(cases_client, headers)
    assert within.headers["Idempotent-Replayed"] == "true"
    assert within.json()["id"] == first.json()["id"]

    await age_record(session, "short-ttl-key-0001", timedelta(hours=3))
    after = await post_person(cases_client, headers)
    assert after.status_code == 201, after.text
    assert "Idempotent-Replayed" not in after.headers
    assert after.json()["id"] != first.json()["id"]


def test_the_ttl_is_read_under_the_service_prefix_and_is_at_least_an_hour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CASES_IDEMPOTENCY_TTL_HOURS", raising=False)
    assert CasesSettings().idempotency_ttl_hours == 24
    monkeypatch.setenv("CASES_IDEMPOTENCY_TTL_HOURS", "6")
    assert CasesSettings().idempotency_ttl_hours == 6
    monkeypatch.setenv("CASES_IDEMPOTENCY_TTL_HOURS", "0")
    with pytest.raises(ValidationError):
        CasesSettings()
