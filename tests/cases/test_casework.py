"""Services, follow-ups, referrals and consents inside a case."""

import uuid
from datetime import timedelta

import httpx

from shared.auth import Role
from shared.dates import today_in_vietnam
from tests.cases.factories import FACILITY_X, FACILITY_Y, create_case, create_person, post_ok
from tests.conftest import TokenFactory

TODAY = today_in_vietnam()


async def _case(client: httpx.AsyncClient, headers: dict, **person: object) -> dict:
    created = await create_person(client, headers, **person)
    return await create_case(client, headers, created["id"], managing_facility_id=str(FACILITY_X))


async def test_bad_service_fields_are_each_named_and_nothing_saved(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    url = f"/api/v1/cases/{case['id']}/services"
    response = await cases_client.post(
        url,
        headers=officer_hp,
        json={
            "service_type": "teleportation",
            "funding_source": "socialised",
            "delivered_on": (TODAY + timedelta(days=3)).isoformat(),
            "amount_vnd": -5,
        },
    )
    assert response.status_code == 422
    assert {e["loc"][1] for e in response.json()["errors"]} == {
        "service_type",
        "delivered_on",
        "amount_vnd",
    }
    assert (await cases_client.get(url, headers=officer_hp)).json()["items"] == []


async def test_service_delivery_is_recorded_with_funding(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    url = f"/api/v1/cases/{case['id']}/services"
    created = await post_ok(
        cases_client,
        url,
        officer_hp,
        {
            "service_type": "counselling",
            "funding_source": "socialised",
            "delivered_on": TODAY.isoformat(),
            "amount_vnd": 500000,
        },
    )
    assert created["person_id"] == case["person"]["id"]
    assert created["amount_vnd"] == 500000


async def test_follow_up_done_before_it_started_is_422(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    base = f"/api/v1/cases/{case['id']}/follow-ups"
    follow_up = await post_ok(
        cases_client,
        base,
        officer_hp,
        {"start_date": TODAY.isoformat(), "due_date": (TODAY + timedelta(days=7)).isoformat()},
    )
    early = await cases_client.patch(
        f"{base}/{follow_up['id']}",
        headers={**officer_hp, "If-Match": '"1"'},
        json={"done_date": (TODAY - timedelta(days=1)).isoformat()},
    )
    assert early.status_code == 422
    assert early.json()["errors"][0]["loc"] == ["body", "done_date"]
    done = await cases_client.patch(
        f"{base}/{follow_up['id']}",
        headers={**officer_hp, "If-Match": '"1"'},
        json={"done_date": TODAY.isoformat()},
    )
    assert done.status_code == 200
    assert done.json()["done_date"] == TODAY.isoformat()


async def test_due_date_before_start_is_422(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/follow-ups",
        headers=officer_hp,
        json={"start_date": "2026-01-10", "due_date": "2026-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "due_date"]


async def test_overdue_list_shows_late_follow_ups_and_reviews(
    cases_client: httpx.AsyncClient, officer_hp: dict, worker_id: uuid.UUID, commune_worker: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    case = await create_case(
        cases_client,
        officer_hp,
        person["id"],
        assigned_worker_id=str(worker_id),
        next_review_date=(TODAY - timedelta(days=2)).isoformat(),
    )
    base = f"/api/v1/cases/{case['id']}/follow-ups"
    late = await post_ok(
        cases_client,
        base,
        officer_hp,
        {
            "start_date": (TODAY - timedelta(days=20)).isoformat(),
            "due_date": (TODAY - timedelta(days=5)).isoformat(),
        },
    )
    await post_ok(
        cases_client, base, officer_hp, {"due_date": (TODAY + timedelta(days=5)).isoformat()}
    )
    items = (
        await cases_client.get("/api/v1/overdue", params={"mine": "true"}, headers=commune_worker)
    ).json()["items"]
    assert [(i["kind"], i["follow_up_id"]) for i in items] == [
        ("follow_up", late["id"]),
        ("review", None),
    ]
    listed = await cases_client.get("/api/v1/cases", params={"overdue": "true"}, headers=officer_hp)
    assert [c["id"] for c in listed.json()["items"]] == [case["id"]]


async def test_referral_needs_consent_and_follows_its_steps(
    cases_client: httpx.AsyncClient, facility_x: dict, token: TokenFactory
) -> None:
    facility_y = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_Y)
    case = await _case(cases_client, facility_x)
    url = f"/api/v1/cases/{case['id']}/referrals"
    body = {
        "to_facility_id": str(FACILITY_Y),
        "reason": "cần phục hồi chức năng",
        "services_requested": ["rehabilitation"],
    }
    no_consent = await cases_client.post(
        url, headers=facility_x, json={**body, "consent_confirmed": False}
    )
    assert no_consent.status_code == 422
    assert no_consent.json()["errors"][0]["loc"] == ["body", "consent_confirmed"]
    referral = await post_ok(cases_client, url, facility_x, {**body, "consent_confirmed": True})
    inbox = (await cases_client.get("/api/v1/referrals", headers=facility_y)).json()["items"]
    assert [r["id"] for r in inbox] == [referral["id"]]
    step_url = f"/api/v1/referrals/{referral['id']}/transitions"
    sender_accepts = await cases_client.post(
        step_url, json={"status": "accepted"}, headers={**facility_x, "If-Match": '"1"'}
    )
    assert sender_accepts.status_code == 403
    accepted = await cases_client.post(
        step_url,
        json={"status": "accepted", "note": "nhận"},
        headers={**facility_y, "If-Match": '"1"'},
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    back_to_pending = await cases_client.post(
        step_url,
        json={"status": "rejected", "note": "hết chỗ"},
        headers={**facility_y, "If-Match": '"2"'},
    )
    assert back_to_pending.status_code == 409
    assert back_to_pending.json()["allowed"] == ["contacted", "completed", "cancelled"]
    completed = await cases_client.post(
        step_url,
        json={"status": "completed", "outcome": "services_delivered",
              "services_delivered": ["rehabilitation"]},
        headers={**facility_y, "If-Match": '"2"'},
    )  # fmt: skip
    assert completed.json()["status"] == "completed"
    history = (
        await cases_client.get(f"/api/v1/cases/{case['id']}/history", headers=facility_x)
    ).json()["items"]
    assert [e["action"] for e in history if e["entity_type"] == "referral"] == [
        "created",
        "accepted",
        "completed",
    ]


async def test_child_from_seven_needs_both_consents_to_share(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    ten_years_ago = TODAY.replace(year=TODAY.year - 10).isoformat()
    case = await _case(cases_client, officer_hp, birth_date=ten_years_ago)
    url = f"/api/v1/cases/{case['id']}/consents"
    guardian_only = await cases_client.post(
        url,
        headers=officer_hp,
        json={"purpose": "sharing", "given_by": "guardian", "given_on": TODAY.isoformat()},
    )
    assert guardian_only.status_code == 422
    assert guardian_only.json()["errors"][0]["loc"] == ["body", "given_by"]
    both = await post_ok(
        cases_client,
        url,
        officer_hp,
        {"purpose": "sharing", "given_by": "both", "given_on": TODAY.isoformat()},
    )
    assert both["active"] is True
    withdrawn = await post_ok(
        cases_client,
        f"{url}/{both['id']}/withdrawal",
        officer_hp,
        {"withdrawn_on": TODAY.isoformat()},
    )
    assert withdrawn["active"] is False
    again = await cases_client.post(
        f"{url}/{both['id']}/withdrawal",
        headers=officer_hp,
        json={"withdrawn_on": TODAY.isoformat()},
    )
    assert again.status_code == 409


async def test_records_cannot_be_added_to_an_archived_case(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    archived = await cases_client.post(
        f"/api/v1/cases/{case['id']}/archive", headers={**officer_hp, "If-Match": '"1"'}
    )
    assert archived.json()["archived"] is True
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/notes", headers=officer_hp, json={"body": "ghi chú"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "case_archived"
    assert response.json()["errors"][0]["loc"] == ["path", "case_id"]


async def test_service_before_the_case_opened_is_422(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"], opened_date="2025-06-01")
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/services",
        headers=officer_hp,
        json={
            "service_type": "counselling",
            "delivered_on": "2025-05-01",
            "funding_source": "state_budget",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "delivered_on"]


async def test_created_follow_up_carries_its_etag(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/follow-ups",
        headers=officer_hp,
        json={"due_date": (TODAY + timedelta(days=3)).isoformat()},
    )
    assert response.headers["ETag"] == '"1"'
