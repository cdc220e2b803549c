"""A referral's deadline passes for the real processes and the command together, by moving
their one clock (shared.clock) instead of waiting."""

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from shared.clock import write_offset
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e
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
        assert stack.ctxh("escalate-referrals") == "cases: escalated 1 overdue referrals"
        assert stack.ctxh("escalate-referrals") == "cases: escalated 0 overdue referrals"
        assert referral["id"] in await late(province, escalated="true")
