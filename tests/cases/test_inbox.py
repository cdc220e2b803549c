"""The inbox: what waits for a worker, gathered from the records, and marked done."""

import uuid
from datetime import timedelta

import httpx

from services.cases.casework.deadlines import escalate_overdue
from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.cases.factories import FACILITY_X, FACILITY_Y, HP, WARD_A, create_case, create_person
from tests.cases.referrals import refer, risky_case
from tests.conftest import MoveClock, TokenFactory

TODAY = today_in_vietnam()


async def _inbox(client: httpx.AsyncClient, headers: dict, **params: str) -> dict:
    answer = await client.get("/api/v1/inbox", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _post(client: httpx.AsyncClient, url: str, headers: dict, body: dict) -> dict:
    answer = await client.post(url, json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


async def test_a_new_referral_waits_in_the_receiving_facilitys_inbox_until_answered(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    sender = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)
    receiver = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_Y)
    person = await create_person(cases_client, sender)
    case = await create_case(
        cases_client, sender, person["id"], managing_facility_id=str(FACILITY_X)
    )
    referral = await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/referrals",
        sender,
        {"to_facility_id": str(FACILITY_Y), "reason": "khám", "consent_confirmed": True},
    )
    before = await _inbox(cases_client, receiver)
    (item,) = [i for i in before["items"] if i["record_id"] == referral["id"]]
    assert item["kind"] == "referral_received"
    assert item["case_id"] == case["id"]
    assert referral["id"] not in str(await _inbox(cases_client, sender))

    await _post(
        cases_client,
        f"/api/v1/referrals/{referral['id']}/transitions",
        {**receiver, "If-Match": '"1"'},
        {"status": "accepted", "note": "nhận"},
    )
    after = await _inbox(cases_client, receiver)
    assert referral["id"] not in str(after)
    assert after["open_count"] == before["open_count"] - 1


async def test_a_draft_plan_and_an_expiring_consent_wait_for_the_officer(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    province = str(uuid.uuid4())  # a fresh officer subject: its done marks are its own
    officer = token(Role.PROVINCE_OFFICER, subject=province, province_code=HP)
    person = await create_person(cases_client, officer, ward_code=WARD_A)
    case = await create_case(cases_client, officer, person["id"])
    plan = await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/plans",
        officer,
        {
            "drafted_on": TODAY.isoformat(),
            "goals": [{"description": "Cháu được đi học trở lại"}],
            "planned_services": [{"service_type": "education_support"}],
        },
    )
    expiring = await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/consents",
        officer,
        {
            "purpose": "sharing",
            "given_by": "both",
            "given_on": (TODAY - timedelta(days=300)).isoformat(),
            "expires_on": (TODAY + timedelta(days=10)).isoformat(),
        },
    )
    later = await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/consents",
        officer,
        {
            "purpose": "photos",
            "given_by": "both",
            "given_on": TODAY.isoformat(),
            "expires_on": (TODAY + timedelta(days=200)).isoformat(),
        },
    )
    inbox = await _inbox(cases_client, officer)
    mine = {i["record_id"]: i for i in inbox["items"] if i["case_id"] == case["id"]}
    assert mine[plan["id"]]["kind"] == "plan_awaiting_approval"
    assert mine[expiring["id"]]["kind"] == "consent_expiring"
    assert mine[expiring["id"]]["due"] == (TODAY + timedelta(days=10)).isoformat()
    assert later["id"] not in mine

    marked = await _post(
        cases_client, "/api/v1/inbox/done", officer, {"keys": [mine[plan["id"]]["key"]] * 2}
    )
    assert plan["id"] not in {i["record_id"] for i in marked["items"]}
    assert marked["open_count"] == inbox["open_count"] - 1
    again = await _post(
        cases_client, "/api/v1/inbox/done", officer, {"keys": [mine[plan["id"]]["key"]]}
    )
    assert again["open_count"] == marked["open_count"]
    everything = await _inbox(cases_client, officer, include_done="true")
    (done,) = [i for i in everything["items"] if i["record_id"] == plan["id"]]
    assert done["done"] is True

    # Another officer's inbox is its own: the mark is not theirs.
    colleague = token(Role.PROVINCE_OFFICER, subject=str(uuid.uuid4()), province_code=HP)
    theirs = await _inbox(cases_client, colleague)
    assert plan["id"] in {i["record_id"] for i in theirs["items"]}


async def test_an_overdue_follow_up_is_in_its_workers_inbox(
    cases_client: httpx.AsyncClient, token: TokenFactory, officer_hp: dict
) -> None:
    worker = uuid.uuid4()
    commune = token(Role.COMMUNE_WORKER, subject=str(worker), province_code=HP, commune_code=WARD_A)
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"], assigned_worker_id=str(worker))
    follow_up = await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/follow-ups",
        officer_hp,
        {
            "start_date": (TODAY - timedelta(days=20)).isoformat(),
            "due_date": (TODAY - timedelta(days=3)).isoformat(),
            "assigned_worker_id": str(worker),
        },
    )
    inbox = await _inbox(cases_client, commune)
    (item,) = [i for i in inbox["items"] if i["record_id"] == follow_up["id"]]
    assert item["kind"] == "follow_up_overdue"
    elsewhere = token(
        Role.COMMUNE_WORKER, subject=str(uuid.uuid4()), province_code=HP, commune_code="10507"
    )
    assert follow_up["id"] not in str(await _inbox(cases_client, elsewhere))


async def test_a_late_referral_reaches_both_sides_and_once_escalated_the_province(
    cases_client: httpx.AsyncClient,
    facility_x: dict,
    facility_y: dict,
    token: TokenFactory,
    clock: MoveClock,
) -> None:
    officer = token(Role.PROVINCE_OFFICER, subject=str(uuid.uuid4()), province_code=HP)
    case = await risky_case(cases_client, facility_x, "critical")
    referral = await refer(cases_client, facility_x, case)

    def late(inbox: dict) -> list[str]:
        return [i["key"] for i in inbox["items"] if i["kind"] == "referral_overdue"
                and i["record_id"] == referral["id"]]  # fmt: skip

    assert late(await _inbox(cases_client, facility_y)) == []
    clock(hours=5)  # past critical's 4 hours to answer
    expected = [f"referral_overdue:{referral['id']}:respond_by"]
    assert late(await _inbox(cases_client, facility_y)) == expected
    assert late(await _inbox(cases_client, facility_x)) == expected
    assert late(await _inbox(cases_client, officer)) == [], "not escalated yet"
    await escalate_overdue(cases_client.session)  # type: ignore[attr-defined]
    assert late(await _inbox(cases_client, officer)) == expected


async def test_a_key_longer_than_any_the_inbox_makes_is_refused(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    answer = await cases_client.post(
        "/api/v1/inbox/done", json={"keys": ["x" * 121]}, headers=officer_hp
    )
    assert answer.status_code == 422
