"""A referral's deadline passes for the real processes, the workers and the command
together, by moving their one clock (shared.clock) instead of waiting; and the whole loop,
from referral to outcome, reaches both facilities' systems as signed webhooks."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from shared.clock import write_offset
from tests.e2e.conftest import Stack
from tests.webhook_receiver import receiving as receiving_hooks

pytestmark = [pytest.mark.e2e, pytest.mark.once]
WARD = "10525"  # Phường Hải Dương, province 31


@pytest.fixture
def clock_file(stack: Stack) -> Iterator[Path]:
    if stack.clock_file is None:
        pytest.skip("the cluster runs on the real clock")
    yield stack.clock_file
    write_offset(stack.clock_file, timedelta())


def _headers(stack: Stack, *args: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.ctxh('token', *args)}"}


async def _ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _eventually(read: Callable[[], Awaitable[list[str]]], wanted: str) -> None:
    deadline = time.monotonic() + 15
    while wanted not in await read():
        assert time.monotonic() < deadline, f"{wanted} never came"
        await asyncio.sleep(0.1)


async def test_a_late_referral_is_listed_and_escalated_once_across_processes(
    stack: Stack, clock_file: Path
) -> None:
    sender, receiver = uuid.uuid4(), uuid.uuid4()
    sending = _headers(stack, "--role", "facility_worker", "--facility", str(sender))
    receiving = _headers(stack, "--role", "facility_worker", "--facility", str(receiver))
    province = _headers(stack, "--role", "province_officer", "--province", "31")
    async with httpx.AsyncClient(base_url=stack.url("cases")) as cases:
        person = await _ok(
            await cases.post(
                "/api/v1/persons",
                json={
                    "full_name": f"Người {uuid.uuid4().hex[:6]}",
                    "sex": "male",
                    "ward_code": WARD,
                },
                headers=sending,
            )
        )
        body = {"person_id": person["id"], "intake_source": "hospital", "risk_level": "critical"}
        case = await _ok(await cases.post("/api/v1/cases", json=body, headers=sending))
        referral = await _ok(
            await cases.post(
                f"/api/v1/cases/{case['id']}/referrals",
                json={"to_facility_id": str(receiver), "reason": "Cần can thiệp khẩn cấp",
                      "consent_confirmed": True},
                headers=sending,
            )
        )  # fmt: skip

        async def late(headers: dict, **params: str) -> list[str]:
            found = await _ok(
                await cases.get("/api/v1/referrals/overdue", params=params, headers=headers)
            )
            return [item["id"] for item in found["items"]]

        assert referral["id"] not in await late(receiving, direction="incoming")
        write_offset(clock_file, timedelta(hours=5))  # past critical's 4 hours to answer
        assert await late(receiving, direction="incoming") == [referral["id"]]
        assert await late(sending, direction="outgoing") == [referral["id"]]
        # The workers escalate it on their timer; the command then finds nothing left.
        await _eventually(lambda: late(province, escalated="true"), referral["id"])
        assert stack.ctxh("escalate-referrals") == "cases: escalated 0 overdue referrals"


async def test_the_referral_loop_closes_and_both_systems_hear_every_step(
    stack: Stack, clock_file: Path
) -> None:
    sender, receiver = uuid.uuid4(), uuid.uuid4()
    sending = _headers(stack, "--role", "facility_worker", "--facility", str(sender))
    receiving = _headers(stack, "--role", "facility_worker", "--facility", str(receiver))
    province = _headers(stack, "--role", "province_officer", "--province", "31")
    systems = {
        side: _headers(stack, "--role", "integration", "--facility", str(facility),
                       "--subject", f"his-{side}-{facility.hex[:6]}")
        for side, facility in (("sender", sender), ("receiver", receiver))
    }  # fmt: skip
    kinds = ["referral.made", "referral.overdue", "referral.accepted", "referral.contacted",
             "referral.completed"]  # fmt: skip
    async with (
        httpx.AsyncClient(base_url=stack.url("cases")) as cases,
        receiving_hooks() as at_sender,
        receiving_hooks() as at_receiver,
    ):
        for side, hooks in (("sender", at_sender), ("receiver", at_receiver)):
            created = await _ok(
                await cases.post(
                    "/api/v1/webhooks/subscriptions",
                    json={"url": hooks.url, "event_types": kinds},
                    headers={**systems[side], "Idempotency-Key": uuid.uuid4().hex},
                )
            )
            hooks.secret = created["secret"]
        person = await _ok(
            await cases.post(
                "/api/v1/persons",
                json={"full_name": "Phan Thị Kín", "sex": "female", "ward_code": WARD},
                headers=sending,
            )
        )
        body = {"person_id": person["id"], "intake_source": "hospital", "risk_level": "critical",
                "managing_facility_id": str(sender)}  # fmt: skip
        case = await _ok(await cases.post("/api/v1/cases", json=body, headers=sending))
        referral = await _ok(
            await cases.post(
                f"/api/v1/cases/{case['id']}/referrals",
                json={"to_facility_id": str(receiver), "reason": "Bị bạo lực, cần nơi tạm lánh",
                      "services_requested": ["counselling"], "consent_confirmed": True},
                headers=sending,
            )
        )  # fmt: skip

        # The receiving facility does not answer in time: both sides' systems hear of it,
        # and the province's escalation queue and the facility's inbox show it.
        write_offset(clock_file, timedelta(hours=5))
        await at_sender.wait_for(2)
        await at_receiver.wait_for(2)
        for hooks in (at_sender, at_receiver):
            made, late = (r.body for r in hooks.accepted[:2])
            assert (made["type"], late["type"]) == ("referral.made", "referral.overdue")
            assert late["data"]["deadline"] == "respond_by"
        escalated = await _ok(
            await cases.get(
                "/api/v1/referrals/overdue", params={"escalated": "true"}, headers=province
            )
        )
        assert referral["id"] in [r["id"] for r in escalated["items"]]
        inbox = await _ok(await cases.get("/api/v1/inbox", headers=receiving))
        assert f"referral_overdue:{referral['id']}:respond_by" in [i["key"] for i in inbox["items"]]

        # It answers, reaches the person, and reports what was done.
        version = 1
        for status, extra in (
            ("accepted", {"note": "Tiếp nhận"}),
            ("contacted", {}),
            ("completed", {"outcome": "services_delivered", "services_delivered": ["counselling"]}),
        ):
            stepped = await cases.post(
                f"/api/v1/referrals/{referral['id']}/transitions",
                json={"status": status, **extra},
                headers={**receiving, "If-Match": f'"{version}"'},
            )
            assert stepped.status_code == 200, stepped.text
            version = int(stepped.headers["ETag"].strip('"'))
        await at_sender.wait_for(5)
        await at_receiver.wait_for(5)
        completed = at_sender.accepted[4].body
        assert completed["type"] == "referral.completed"
        assert completed["data"]["outcome"] == "services_delivered"
        assert completed["data"]["services_delivered"] == ["counselling"]
        seen = await _ok(await cases.get(f"/api/v1/referrals/{referral['id']}", headers=sending))
        assert (seen["status"], seen["outcome"]) == ("completed", "services_delivered")
        for hooks in (at_sender, at_receiver):
            assert hooks.refused_signatures == 0
            assert [r.body["type"] for r in hooks.accepted] == kinds
            assert [r.body["record_seq"] for r in hooks.accepted] == [1, 2, 3, 4, 5]
            assert "Phan Thị Kín" not in str([r.body for r in hooks.accepted])
            assert "bạo lực" not in str([r.body for r in hooks.accepted])
