"""Webhook subscriptions of the reporting service, delivered by the worker's own code against
the real database to a real receiver on loopback that verifies every signature."""

import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from services.reporting.events.webhooks import source, tables
from shared.auth import Role
from shared.webhooks.worker import DeliveryWorker
from tests.conftest import TokenFactory
from tests.reporting.test_events import DATA_KEYS, NOTE, draft, review, submit
from tests.webhook_receiver import (
    SUBSCRIPTIONS,
    Receiver,
    allow_loopback,
    delivery_worker,
    run_until,
    subscribe,
)


@pytest.fixture
def loopback_allowed(apps: dict[str, FastAPI]) -> Iterator[None]:
    with allow_loopback(apps["reporting"]):
        yield


def worker_for(
    apps: dict[str, FastAPI], http: httpx.AsyncClient, retry_for: float = 30.0
) -> DeliveryWorker:
    return delivery_worker(apps["reporting"], tables, source, http, retry_for=retry_for)


async def test_a_provinces_report_events_reach_its_system_signed_and_no_others(
    reporting_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    plans: dict,
    officer_31: dict,
    officer_52: dict,
    token: TokenFactory,
    live_sources: None,
    loopback_allowed: None,
) -> None:
    # The department's own system in Hải Phòng: the subscription keeps its province.
    system_31 = token(Role.INTEGRATION, subject=f"so-31-{uuid.uuid4().hex[:6]}", province_code="31")
    await subscribe(reporting_client, system_31, receiver, ["report.submitted", "report.accepted"])
    ministry = token(Role.MINISTRY)
    gia_lai = await draft(reporting_client, officer_52, plans["BD-2021-2025"], "2025")
    await submit(reporting_client, officer_52, gia_lai, 1)
    hai_phong = await draft(reporting_client, officer_31, plans["HD-2025"], "2025")
    await submit(reporting_client, officer_31, hai_phong, 1)
    await review(reporting_client, ministry, hai_phong, 2, "accepted")
    worker = worker_for(apps, http)

    async def both() -> bool:
        return len(receiver.accepted) >= 2

    await run_until(worker, both)
    got = receiver.accepted
    assert [(r.body["type"], r.body["report_id"]) for r in got] == [
        ("report.submitted", hai_phong["id"]),
        ("report.accepted", hai_phong["id"]),
    ]
    assert [r.webhook_id for r in got] == [r.body["id"] for r in got]
    assert receiver.refused_signatures == 0
    for delivered in got:
        assert set(delivered.body["data"]) == DATA_KEYS
        assert delivered.body["data"]["province_code"] == "31"
        assert NOTE not in str(delivered.body)


async def test_a_dead_delivery_is_logged_sent_again_and_the_subscription_paused_and_archived(
    reporting_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    plans: dict,
    officer_31: dict,
    token: TokenFactory,
    live_sources: None,
    loopback_allowed: None,
) -> None:
    system = token(Role.INTEGRATION, subject=f"so-31-{uuid.uuid4().hex[:6]}", province_code="31")
    subscription = await subscribe(reporting_client, system, receiver, ["report.submitted"])
    url = f"{SUBSCRIPTIONS}/{subscription['id']}"
    receiver.status = 503
    report = await draft(reporting_client, officer_31, plans["HD-2025"], "2025")
    await submit(reporting_client, officer_31, report, 1)
    worker = worker_for(apps, http, retry_for=0.3)

    async def log() -> list[dict]:
        answer = await reporting_client.get(f"{url}/deliveries", headers=system)
        assert answer.status_code == 200, answer.text
        items: list[dict] = answer.json()["items"]
        return items

    async def dead() -> bool:
        found = await log()
        return bool(found) and found[0]["status"] == "dead"

    await run_until(worker, dead)
    (item,) = await log()
    detail = await reporting_client.get(f"/api/v1/webhooks/deliveries/{item['id']}", headers=system)
    assert detail.status_code == 200, detail.text
    assert detail.json()["payload"]["report_id"] == report["id"]
    assert {a["status_code"] for a in detail.json()["attempt_log"]} == {503}

    receiver.status = 200
    again = await reporting_client.post(
        f"/api/v1/webhooks/deliveries/{item['id']}/redeliver", headers=system
    )
    assert again.status_code == 202, again.text

    async def delivered() -> bool:
        return bool(receiver.accepted)

    await run_until(worker, delivered)
    assert receiver.ids == [item["event_id"]]

    current = await reporting_client.get(url, headers=system)
    assert current.status_code == 200, current.text
    assert "secret" not in current.json()
    paused = await reporting_client.patch(
        url, json={"status": "paused"}, headers={**system, "If-Match": current.headers["ETag"]}
    )
    assert paused.status_code == 200, paused.text
    assert paused.json()["status"] == "paused"
    archived = await reporting_client.post(
        f"{url}/archive", headers={**system, "If-Match": paused.headers["ETag"]}
    )
    assert archived.status_code == 200, archived.text
    assert archived.json()["status"] == "archived"


async def test_a_reporting_subscription_takes_report_events_only(
    reporting_client: httpx.AsyncClient,
    receiver: Receiver,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    system = token(Role.INTEGRATION, subject="so-31", province_code="31")
    answer = await reporting_client.post(
        SUBSCRIPTIONS,
        json={"url": receiver.url, "event_types": ["referral.made"]},
        headers={**system, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert answer.status_code == 422, answer.text


async def test_only_integration_systems_and_admins_subscribe(
    reporting_client: httpx.AsyncClient, officer_31: dict, token: TokenFactory
) -> None:
    assert (await reporting_client.get(SUBSCRIPTIONS, headers=officer_31)).status_code == 403
    admin = await reporting_client.get(SUBSCRIPTIONS, headers=token(Role.ADMIN))
    assert admin.status_code == 200, admin.text
