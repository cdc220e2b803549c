"""Webhooks end to end: the cases and reporting services and two `ctxh worker` processes,
delivering to receivers in this test that verify every signature with the Standard Webhooks
library."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.cases.factories import FACILITY_X, FACILITY_Y, create_case, create_person
from tests.cases.test_events import ALLOWED_DATA
from tests.e2e.conftest import Stack
from tests.reporting.test_events import DATA_KEYS
from tests.webhook_receiver import SUBSCRIPTIONS, Receiver, receiving, subscribe

pytestmark = [pytest.mark.e2e, pytest.mark.once]


def bearer(stack: Stack, *args: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.ctxh('token', *args)}"}


@pytest.fixture(scope="module")
def sender(stack: Stack) -> dict[str, str]:
    return bearer(
        stack,
        "--role",
        "facility_worker",
        "--facility",
        str(FACILITY_X),
        "--subject",
        str(uuid.uuid4()),
    )


@pytest.fixture(scope="module")
def hospital_y(stack: Stack) -> dict[str, str]:
    return bearer(
        stack, "--role", "integration", "--facility", str(FACILITY_Y), "--subject", "bv-y"
    )


@pytest.fixture
async def cases(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.url("cases"), timeout=30) as client:
        yield client


async def refer_to_y(cases: httpx.AsyncClient, sender: dict, name: str = "Trần Văn An") -> dict:
    person = await create_person(cases, sender, full_name=name)
    case = await create_case(cases, sender, person["id"], managing_facility_id=str(FACILITY_X))
    answer = await cases.post(
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


async def delivery_log(cases: httpx.AsyncClient, headers: dict, subscription: dict) -> list[dict]:
    answer = await cases.get(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries", headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[dict] = answer.json()["items"]
    return items


async def settled(
    cases: httpx.AsyncClient, headers: dict, subscription: dict, status: str, timeout: float = 20
) -> list[dict]:
    """The delivery log once its newest delivery has `status` (the worker records an attempt
    just after the receiver answers)."""
    deadline = time.monotonic() + timeout
    while True:
        log = await delivery_log(cases, headers, subscription)
        if log and log[0]["status"] == status:
            return log
        assert time.monotonic() < deadline, log
        await asyncio.sleep(0.1)


async def archive(cases: httpx.AsyncClient, headers: dict, subscription: dict) -> None:
    """Leave no active subscription behind to slow the next test's workers."""
    url = f"{SUBSCRIPTIONS}/{subscription['id']}"
    current = await cases.get(url, headers=headers)
    done = await cases.post(
        f"{url}/archive", headers={**headers, "If-Match": current.headers["ETag"]}
    )
    assert done.status_code == 200, done.text


async def test_a_referral_reaches_the_receiver_signed(
    cases: httpx.AsyncClient, sender: dict, hospital_y: dict, receiver: Receiver
) -> None:
    subscription = await subscribe(cases, hospital_y, receiver, ["referral.made"])
    referral = await refer_to_y(cases, sender)
    (got,) = await receiver.wait_for(1)
    assert receiver.refused_signatures == 0
    assert got.body["type"] == "referral.made"
    assert got.body["record_id"] == referral["id"]
    assert got.webhook_id == got.body["id"]
    (logged,) = await settled(cases, hospital_y, subscription, "succeeded")
    assert logged["attempts"] == 1
    await archive(cases, hospital_y, subscription)


async def test_a_500_is_retried_until_it_succeeds(
    cases: httpx.AsyncClient, sender: dict, hospital_y: dict, receiver: Receiver
) -> None:
    subscription = await subscribe(cases, hospital_y, receiver, ["referral.made"])
    receiver.script = [500, 500]
    await refer_to_y(cases, sender)
    await receiver.wait_for(1)
    (logged,) = await settled(cases, hospital_y, subscription, "succeeded")
    assert logged["attempts"] == 3
    detail = (
        await cases.get(f"/api/v1/webhooks/deliveries/{logged['id']}", headers=hospital_y)
    ).json()
    assert [a["status_code"] for a in detail["attempt_log"]] == [500, 500, 200]
    await archive(cases, hospital_y, subscription)


async def test_a_dead_delivery_is_sent_again_on_request(
    cases: httpx.AsyncClient, sender: dict, hospital_y: dict, receiver: Receiver
) -> None:
    subscription = await subscribe(cases, hospital_y, receiver, ["referral.made"])
    receiver.status = 500
    await refer_to_y(cases, sender)
    log = await settled(cases, hospital_y, subscription, "dead")
    assert log[0]["attempts"] >= 2
    assert receiver.accepted == []

    receiver.status = 200
    again = await cases.post(
        f"/api/v1/webhooks/deliveries/{log[0]['id']}/redeliver", headers=hospital_y
    )
    assert again.status_code == 202, again.text
    (got,) = await receiver.wait_for(1)
    assert got.webhook_id == log[0]["event_id"]
    await archive(cases, hospital_y, subscription)


async def test_two_workers_deliver_each_event_once_and_in_order(
    stack: Stack, cases: httpx.AsyncClient, sender: dict
) -> None:
    """Four subscribers, twelve events: the two worker processes share them, and every
    receiver gets each of its events exactly once, in the order they happened."""
    async with (
        receiving() as a,
        receiving() as b,
        receiving() as c,
        receiving() as d,
    ):
        receivers = [a, b, c, d]
        subscriptions = []
        for n, receiver in enumerate(receivers):
            receiver.delay = 0.02
            headers = bearer(
                stack,
                "--role",
                "integration",
                "--facility",
                str(FACILITY_Y),
                "--subject",
                f"he-thong-{n}",
            )
            subscriptions.append(
                (headers, await subscribe(cases, headers, receiver, ["referral.made"]))
            )
        made = [await refer_to_y(cases, sender, f"Người số {n}") for n in range(12)]
        for receiver in receivers:
            await receiver.wait_for(len(made))
        await asyncio.sleep(1)  # time for a duplicate, were there one, to arrive
        for receiver in receivers:
            assert [r.body["record_id"] for r in receiver.accepted] == [m["id"] for m in made]
            assert receiver.requests == len(made)
        for headers, subscription in subscriptions:
            await archive(cases, headers, subscription)


async def test_slow_receivers_delay_no_one_else(
    stack: Stack, cases: httpx.AsyncClient, sender: dict, hospital_y: dict
) -> None:
    """More slow receivers than worker processes, and one fast: it gets its events at once."""
    async with receiving() as fast, receiving() as s1, receiving() as s2, receiving() as s3:
        slow = []
        for n, receiver in enumerate((s1, s2, s3)):
            receiver.delay = 2.5  # each answer takes 2.5 s, inside the 3 s timeout
            headers = bearer(
                stack,
                "--role",
                "integration",
                "--facility",
                str(FACILITY_Y),
                "--subject",
                f"bv-cham-{n}",
            )
            slow.append(
                (receiver, headers, await subscribe(cases, headers, receiver, ["referral.made"]))
            )
        fast_subscription = await subscribe(cases, hospital_y, fast, ["referral.made"])
        started = time.monotonic()
        for n in range(3):
            await refer_to_y(cases, sender, f"Khẩn {n}")
        await fast.wait_for(3, timeout=10)
        took = time.monotonic() - started
        # Each slow receiver has answered at most once by now; the fast one waited for none.
        assert all(len(receiver.accepted) <= 1 for receiver, _, _ in slow)
        assert took < 2.5
        for receiver, headers, subscription in slow:
            await receiver.wait_for(3, timeout=20)
            await archive(cases, headers, subscription)
        await archive(cases, hospital_y, fast_subscription)


async def test_only_events_in_the_subscribers_scope_arrive_and_carry_no_personal_data(
    stack: Stack, cases: httpx.AsyncClient, sender: dict, hospital_y: dict, receiver: Receiver
) -> None:
    subscription = await subscribe(
        cases, hospital_y, receiver, ["case.opened", "referral.made", "consent.given"]
    )
    # A case of facility X that is not referred to Y: nothing of it may reach Y.
    person = await create_person(cases, sender, full_name="Bí Mật Hoàn Toàn")
    hidden = await create_case(cases, sender, person["id"], managing_facility_id=str(FACILITY_X))
    consent = await cases.post(
        f"/api/v1/cases/{hidden['id']}/consents",
        json={"purpose": "sharing", "given_by": "both", "given_on": "2026-01-05"},
        headers=sender,
    )
    assert consent.status_code == 201, consent.text
    # Then one it may see; events arrive in order, so when it is here the others were passed.
    referral = await refer_to_y(cases, sender, "Nguyễn Thị Riêng Tư")
    (got,) = await receiver.wait_for(1)
    await asyncio.sleep(0.5)
    assert [r.body["record_id"] for r in receiver.accepted] == [referral["id"]]
    assert hidden["id"] not in str(got.body)
    assert set(got.body["data"]) <= ALLOWED_DATA
    assert "Riêng Tư" not in str(got.body)
    assert "tâm lý" not in str(got.body)
    await archive(cases, hospital_y, subscription)


async def test_a_report_submitted_reaches_its_provinces_system_signed(
    stack: Stack, receiver: Receiver
) -> None:
    """The reporting service's events go through the same workers: a department's system
    subscribed in Hải Phòng gets its province's report once submitted, signed."""
    officer = bearer(stack, "--role", "province_officer", "--province", "31")
    system = bearer(
        stack, "--role", "integration", "--province", "31", "--subject", f"so-{uuid.uuid4()}"
    )
    async with httpx.AsyncClient(base_url=stack.url("reporting"), timeout=30) as reporting:
        subscription = await subscribe(reporting, system, receiver, ["report.submitted"])
        plan = await reporting.post(
            "/api/v1/plans",
            json={
                "code": f"E2E-{uuid.uuid4().hex[:8]}",
                "name_vi": "Kế hoạch thử",
                "name_en": "A trial plan",
                "level": "province",
                "territory": {"scheme": "2025", "code": "31"},
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "targets": [{"indicator": "I05", "value": 80}],
            },
            headers=officer,
        )
        assert plan.status_code == 201, plan.text
        drafted = await reporting.post(
            "/api/v1/reports",
            json={"plan_id": plan.json()["id"], "period": "2025"},
            headers=officer,
        )
        assert drafted.status_code == 201, drafted.text
        report = drafted.json()
        submitted = await reporting.post(
            f"/api/v1/reports/{report['id']}/submission",
            headers={**officer, "If-Match": f'"{report["version"]}"'},
        )
        assert submitted.status_code == 200, submitted.text

        (got,) = await receiver.wait_for(1)
        assert receiver.refused_signatures == 0
        assert (got.body["type"], got.body["report_id"]) == ("report.submitted", report["id"])
        assert got.webhook_id == got.body["id"]
        assert set(got.body["data"]) == DATA_KEYS
        (logged,) = await settled(reporting, system, subscription, "succeeded")
        assert logged["attempts"] == 1
        await archive(reporting, system, subscription)
