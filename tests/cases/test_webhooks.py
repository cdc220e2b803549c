"""Webhook subscriptions of the cases service, delivered by the worker's own code against the
real database to a real receiver on loopback that verifies every signature."""

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.cases.events.webhooks import source, tables
from shared.auth import Role
from shared.webhooks.worker import DeliveryWorker
from tests.cases.factories import FACILITY_X, FACILITY_Y, create_case, create_person, with_key
from tests.cases.test_events import ALLOWED_DATA
from tests.conftest import TokenFactory
from tests.webhook_receiver import (
    SUBSCRIPTIONS,
    Receiver,
    allow_loopback,
    delivery_worker,
    run_until,
    subscribe,
)

REFERRAL_EVENTS = ["referral.made", "referral.accepted", "referral.rejected"]


@pytest.fixture
def loopback_allowed(apps: dict[str, FastAPI]) -> Iterator[None]:
    with allow_loopback(apps["cases"]):
        yield


def worker_for(apps: dict[str, FastAPI], http: httpx.AsyncClient, **options: Any) -> DeliveryWorker:
    return delivery_worker(apps["cases"], tables, source, http, **options)


@pytest.fixture
def hospital_y(token: TokenFactory) -> dict[str, str]:
    return token(Role.INTEGRATION, subject=f"bv-y-{uuid.uuid4().hex[:6]}", facility_id=FACILITY_Y)


async def refer_to_y(client: httpx.AsyncClient, token: TokenFactory, name: str) -> dict:
    """A case at facility X referred to Y: Y's system may read the referral, not the case."""
    sender = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)
    person = await create_person(client, sender, full_name=name)
    case = await create_case(client, sender, person["id"], managing_facility_id=str(FACILITY_X))
    answer = await client.post(
        f"/api/v1/cases/{case['id']}/referrals",
        json={
            "to_facility_id": str(FACILITY_Y),
            "reason": "trẻ cần khám tâm lý",
            "services_requested": ["counselling"],
            "consent_confirmed": True,
        },
        headers=sender,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def deliveries(client: httpx.AsyncClient, headers: dict, subscription: dict) -> list[dict]:
    answer = await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries", headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[dict] = answer.json()["items"]
    return items


async def test_events_in_scope_arrive_signed_in_order_without_personal_data(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    await subscribe(cases_client, hospital_y, receiver, ["referral.made", "case.opened"])
    first = await refer_to_y(cases_client, token, "Phạm Thị Lan")
    second = await refer_to_y(cases_client, token, "Đỗ Văn Nam")
    worker = worker_for(apps, http)

    async def both() -> bool:
        return len(receiver.accepted) >= 2

    await run_until(worker, both)
    got = receiver.accepted
    # The cases' openings are outside Y's scope: only the referrals reach it, in order.
    assert [r.body["type"] for r in got] == ["referral.made", "referral.made"]
    assert [r.body["record_id"] for r in got] == [first["id"], second["id"]]
    assert [r.webhook_id for r in got] == [r.body["id"] for r in got]
    assert receiver.refused_signatures == 0
    for delivered in got:
        assert set(delivered.body["data"]) <= ALLOWED_DATA
        assert "Phạm Thị Lan" not in str(delivered.body)
        assert "tâm lý" not in str(delivered.body)


async def test_a_failed_attempt_is_retried_and_logged(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    receiver.script = [500]
    referral = await refer_to_y(cases_client, token, "Vũ Thị Hà")
    worker = worker_for(apps, http)

    async def delivered() -> bool:
        return bool(receiver.accepted)

    await run_until(worker, delivered)
    (item,) = await deliveries(cases_client, hospital_y, subscription)
    assert (item["status"], item["attempts"], item["last_status_code"]) == ("succeeded", 2, 200)
    detail = await cases_client.get(f"/api/v1/webhooks/deliveries/{item['id']}", headers=hospital_y)
    log = detail.json()["attempt_log"]
    assert [(a["number"], a["status_code"]) for a in log] == [(1, 500), (2, 200)]
    assert all(a["duration_ms"] >= 0 for a in log)
    assert detail.json()["payload"]["record_id"] == referral["id"]


async def test_a_delivery_that_keeps_failing_dies_and_can_be_sent_again(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    receiver.status = 503
    await refer_to_y(cases_client, token, "Hoàng Văn Minh")
    # The window is counted from the first attempt's start, so it must outlast a slow
    # first attempt on a loaded machine (0.5 s was seen) for a second attempt to fit in.
    worker = worker_for(apps, http, retry_for=2.0)

    async def dead() -> bool:
        found = await deliveries(cases_client, hospital_y, subscription)
        return bool(found) and found[0]["status"] == "dead"

    await run_until(worker, dead)
    (item,) = await deliveries(cases_client, hospital_y, subscription)
    assert item["attempts"] >= 2
    assert item["dead_at"] is not None
    assert not receiver.accepted

    receiver.status = 200
    again = await cases_client.post(
        f"/api/v1/webhooks/deliveries/{item['id']}/redeliver", headers=hospital_y
    )
    assert again.status_code == 202, again.text
    assert again.json()["status"] == "pending"
    twice = await cases_client.post(
        f"/api/v1/webhooks/deliveries/{item['id']}/redeliver", headers=hospital_y
    )
    assert twice.status_code == 409
    assert twice.json()["code"] == "webhook_delivery_pending"

    async def delivered() -> bool:
        return bool(receiver.accepted)

    await run_until(worker, delivered)
    assert receiver.ids == [item["event_id"]]


async def test_two_workers_taking_turns_never_send_one_event_twice(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    made = [await refer_to_y(cases_client, token, f"Người {n}") for n in range(5)]
    receiver.delay = 0.05  # each attempt takes a while, so the workers overlap
    first, second = worker_for(apps, http), worker_for(apps, http)
    for _ in range(60):
        await asyncio.gather(first.run_once(), second.run_once())
        if len(receiver.accepted) >= len(made):
            break
    assert [r.body["record_id"] for r in receiver.accepted] == [m["id"] for m in made]
    assert receiver.requests == len(made)


async def test_a_lease_whose_release_failed_is_given_back_at_the_next_round(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    """As when the database went away between serving and releasing: the lease would hold
    the subscriber's deliveries for over a minute if left to run out."""
    await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    worker = worker_for(apps, http)
    (claimed,) = await worker.claim(1)
    worker.unreleased[claimed.id] = (claimed, worker.clock())
    assert await worker_for(apps, http).claim(1) == []  # leased: nobody else may serve it
    made = await refer_to_y(cases_client, token, "Đinh Văn Sơn")
    await worker.run_once()
    assert worker.unreleased == {}
    assert [r.body["record_id"] for r in receiver.accepted] == [made["id"]]


async def test_a_paused_subscription_keeps_its_events_for_later(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    url = f"{SUBSCRIPTIONS}/{subscription['id']}"
    unconditional = await cases_client.patch(url, json={"status": "paused"}, headers=hospital_y)
    assert unconditional.status_code == 428
    paused = await cases_client.patch(
        url, json={"status": "paused"}, headers={**hospital_y, "If-Match": '"1"'}
    )
    assert paused.status_code == 200
    assert paused.json()["status"] == "paused"
    referral = await refer_to_y(cases_client, token, "Lý Thị Thu")
    worker = worker_for(apps, http)
    await worker.run_once()
    assert receiver.requests == 0

    resumed = await cases_client.patch(
        url, json={"status": "active"}, headers={**hospital_y, "If-Match": paused.headers["ETag"]}
    )
    assert resumed.status_code == 200, resumed.text

    async def delivered() -> bool:
        return bool(receiver.accepted)

    await run_until(worker, delivered)
    assert receiver.accepted[0].body["record_id"] == referral["id"]


async def test_another_systems_subscription_is_not_found(
    cases_client: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    other = token(Role.INTEGRATION, subject="bv-khac", facility_id=FACILITY_Y)
    answer = await cases_client.get(f"{SUBSCRIPTIONS}/{subscription['id']}", headers=other)
    assert answer.status_code == 404
    assert answer.json()["code"] == "webhook_subscription_not_found"
    listed = await cases_client.get(SUBSCRIPTIONS, headers=other)
    assert subscription["id"] not in {s["id"] for s in listed.json()["items"]}
    admin = token(Role.ADMIN, subject="quan-tri")
    assert (
        await cases_client.get(f"{SUBSCRIPTIONS}/{subscription['id']}", headers=admin)
    ).status_code == 200
    assert (
        "secret"
        not in (
            await cases_client.get(f"{SUBSCRIPTIONS}/{subscription['id']}", headers=hospital_y)
        ).json()
    )


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://his.example.com/hook", "webhook_url_invalid"),
        ("https://127.0.0.1/hook", "webhook_url_not_public"),
        ("https://localhost:8443/hook", "webhook_url_not_public"),
        ("https://100.64.1.2/hook", "webhook_url_not_public"),
        ("https://10.20.30.40/hook", "webhook_url_not_public"),
        ("https://169.254.169.254/latest/meta-data", "webhook_url_not_public"),
        ("https://[::ffff:127.0.0.1]/hook", "webhook_url_not_public"),
        ("https://[::1]:8443/hook", "webhook_url_not_public"),
        ("https://user:pw@his.example.com/hook", "webhook_url_invalid"),
        ("https://xn--/hook", "webhook_url_invalid"),
    ],
)
async def test_a_url_into_our_own_network_is_refused(
    cases_client: httpx.AsyncClient, hospital_y: dict, url: str, code: str
) -> None:
    answer = await cases_client.post(
        SUBSCRIPTIONS,
        json={"url": url, "event_types": ["referral.made"]},
        headers=with_key(hospital_y),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["type"] == code


async def test_only_integration_systems_and_admins_subscribe(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    answer = await cases_client.get(SUBSCRIPTIONS, headers=officer_hp)
    assert answer.status_code == 403


async def test_an_archived_subscription_is_kept_but_sends_nothing(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    url = f"{SUBSCRIPTIONS}/{subscription['id']}"
    archived = await cases_client.post(f"{url}/archive", headers={**hospital_y, "If-Match": '"1"'})
    assert archived.status_code == 200, archived.text
    assert archived.json()["status"] == "archived"
    await refer_to_y(cases_client, token, "Tạ Văn Sơn")
    await worker_for(apps, http).run_once()
    assert receiver.requests == 0

    listed = (await cases_client.get(SUBSCRIPTIONS, headers=hospital_y)).json()["items"]
    assert subscription["id"] not in {s["id"] for s in listed}
    everything = await cases_client.get(
        SUBSCRIPTIONS, params={"include_archived": "true"}, headers=hospital_y
    )
    assert subscription["id"] in {s["id"] for s in everything.json()["items"]}
    resumed = await cases_client.patch(
        url, json={"status": "active"}, headers={**hospital_y, "If-Match": archived.headers["ETag"]}
    )
    assert resumed.status_code == 409
    assert resumed.json()["code"] == "webhook_subscription_archived"


async def test_a_receiver_that_does_not_answer_in_time_is_retried_later(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    receiver.delay = 2.0
    await refer_to_y(cases_client, token, "Mạc Văn Tùng")
    await worker_for(apps, http, timeout=0.3).run_once()
    (item,) = await deliveries(cases_client, hospital_y, subscription)
    assert (item["status"], item["attempts"]) == ("pending", 1)
    assert item["last_status_code"] is None
    assert item["last_error"] == "no answer within 0.3 s"


async def test_the_address_is_checked_again_before_each_attempt(
    cases_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    http: httpx.AsyncClient,
    receiver: Receiver,
    hospital_y: dict,
    token: TokenFactory,
    loopback_allowed: None,
) -> None:
    """Saved while loopback (and http) was allowed; a worker that allows neither never
    calls it, and logs why."""
    subscription = await subscribe(cases_client, hospital_y, receiver, ["referral.made"])
    await refer_to_y(cases_client, token, "Khúc Thị Yến")
    await worker_for(apps, http, allow_private=False).run_once()
    assert receiver.requests == 0
    (item,) = await deliveries(cases_client, hospital_y, subscription)
    assert item["attempts"] == 1
    assert item["last_status_code"] is None
    assert item["last_error"] == "the URL must start with https://"
