"""The events feed: written with the changes they describe, ordered, replayable from a cursor,
and only in the reader's scope, with no personal or sensitive field."""

import uuid

import httpx

from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.cases.factories import FACILITY_X, FACILITY_Y, create_case, create_person
from tests.conftest import TokenFactory

TODAY = today_in_vietnam().isoformat()
# What an event may carry: ids, statuses, codes, facilities, dates and deadlines; never a
# name or a note.
ALLOWED_DATA = {
    "case_id", "case_number", "stage", "previous_stage", "status", "previous_status",
    "risk_level", "managing_facility_id", "referral_id", "from_facility_id", "to_facility_id",
    "consent_id", "purpose", "given_on", "expires_on", "withdrawn_on",
    "respond_by", "first_contact_by", "outcome", "services_delivered", "deadline", "due_at",
}  # fmt: skip


async def _events(client: httpx.AsyncClient, headers: dict, after: str = "0", **params) -> dict:
    answer = await client.get("/api/v1/events", params={"after": after, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _post(client: httpx.AsyncClient, url: str, headers: dict, body: dict) -> dict:
    answer = await client.post(url, json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


async def test_a_referral_and_a_consent_are_events_in_order_for_both_facilities(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    sender = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)
    receiver = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_Y)
    receiving_system = token(Role.INTEGRATION, subject="bv-y", facility_id=FACILITY_Y)
    start = (await _events(cases_client, sender))["next_after"]
    person = await create_person(cases_client, sender, full_name="Lê Thị Mai")
    case = await create_case(
        cases_client, sender, person["id"], managing_facility_id=str(FACILITY_X)
    )
    referral = await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/referrals",
        sender,
        {
            "to_facility_id": str(FACILITY_Y),
            "reason": "cần phục hồi chức năng sau phẫu thuật",
            "services_requested": ["rehabilitation"],
            "consent_confirmed": True,
        },
    )
    await _post(
        cases_client,
        f"/api/v1/referrals/{referral['id']}/transitions",
        {**receiver, "If-Match": '"1"'},
        {"status": "accepted", "note": "tiếp nhận"},
    )
    await _post(
        cases_client,
        f"/api/v1/cases/{case['id']}/consents",
        sender,
        {"purpose": "sharing", "given_by": "both", "given_on": TODAY},
    )

    sent = (await _events(cases_client, sender, start))["items"]
    assert [e["type"] for e in sent] == [
        "case.opened",
        "referral.made",
        "referral.accepted",
        "consent.given",
    ]
    assert [int(e["seq"]) for e in sent] == sorted(int(e["seq"]) for e in sent)
    made, accepted = sent[1], sent[2]
    assert made["record_id"] == accepted["record_id"] == referral["id"]
    assert (made["record_seq"], accepted["record_seq"]) == (1, 2)
    assert accepted["data"]["previous_status"] == "pending"
    for event in sent:
        assert set(event["data"]) <= ALLOWED_DATA, event
        assert "Lê Thị Mai" not in str(event)
        assert "phục hồi" not in str(event)

    # The receiving hospital's system sees the referral's events, not the sender's case.
    received = (await _events(cases_client, receiving_system, start))["items"]
    assert [e["type"] for e in received] == ["referral.made", "referral.accepted"]


async def test_a_case_outside_the_readers_scope_is_not_in_its_feed(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    elsewhere = token(Role.INTEGRATION, subject="bv-khac", facility_id=uuid.uuid4())
    start = (await _events(cases_client, elsewhere))["next_after"]
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"])
    mine = (await _events(cases_client, officer_hp, start))["items"]
    assert [(e["type"], e["case_id"]) for e in mine] == [("case.opened", case["id"])]
    assert (await _events(cases_client, elsewhere, start))["items"] == []


async def test_the_feed_pages_from_its_cursor_and_filters_by_kind(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    start = (await _events(cases_client, officer_hp))["next_after"]
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"])
    closed = await cases_client.post(
        f"/api/v1/cases/{case['id']}/transitions",
        json={"to_stage": "closed", "closure_reason": "other"},
        headers={**officer_hp, "If-Match": '"1"'},
    )
    assert closed.status_code == 200, closed.text
    first = await _events(cases_client, officer_hp, start, limit=1)
    assert [e["type"] for e in first["items"]] == ["case.opened"]
    assert first["has_more"] is True
    rest = await _events(cases_client, officer_hp, first["next_after"], limit=1)
    assert [e["type"] for e in rest["items"]] == ["case.closed"]
    assert rest["items"][0]["data"]["previous_stage"] == "intake"
    only_closed = await _events(cases_client, officer_hp, start, type="case.closed")
    assert [e["type"] for e in only_closed["items"]] == ["case.closed"]
    at_end = await _events(cases_client, officer_hp, rest["next_after"])
    assert at_end == {"items": [], "next_after": rest["next_after"], "has_more": False}


async def test_a_change_refused_leaves_no_event(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"])
    start = (await _events(cases_client, officer_hp))["next_after"]
    stale = await cases_client.post(
        f"/api/v1/cases/{case['id']}/transitions",
        json={"to_stage": "closed", "closure_reason": "other"},
        headers={**officer_hp, "If-Match": '"7"'},
    )
    assert stale.status_code == 412
    assert (await _events(cases_client, officer_hp, start))["items"] == []


async def test_a_consent_withdrawn_is_an_event_with_its_purpose_and_day(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"])
    url = f"/api/v1/cases/{case['id']}/consents"
    given = {"purpose": "sharing", "given_by": "both", "given_on": TODAY}
    consent = await _post(cases_client, url, officer_hp, given)
    start = (await _events(cases_client, officer_hp))["next_after"]
    await _post(
        cases_client, f"{url}/{consent['id']}/withdrawal", officer_hp, {"withdrawn_on": TODAY}
    )
    (withdrawn,) = (await _events(cases_client, officer_hp, start))["items"]
    assert withdrawn["type"] == "consent.withdrawn"
    assert (withdrawn["record_id"], withdrawn["record_seq"]) == (consent["id"], 2)
    assert withdrawn["data"] == {
        "consent_id": consent["id"],
        "case_id": case["id"],
        "purpose": "sharing",
        "withdrawn_on": TODAY,
    }
