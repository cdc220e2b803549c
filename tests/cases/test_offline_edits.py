"""Edits made offline on an older version merge field by field (shared.edit_merge); only a
field someone else changed since conflicts, and the conflict waits in its worker's queue.

Two workers of one commune edit the same person: "Lan" reads version 1 and goes offline,
"Minh" changes the record meanwhile, then Lan's phone syncs with If-Match "1"."""

import uuid
from typing import Any

import httpx
import pytest

from shared.auth import Role
from tests.cases.factories import HP, WARD_A, create_case, create_person, officer, post_ok
from tests.conftest import TokenFactory

PERSON = "/api/v1/persons"


@pytest.fixture
def lan(token: TokenFactory) -> dict[str, str]:
    return token(Role.COMMUNE_WORKER, subject="lan", province_code=HP, commune_code=WARD_A)


@pytest.fixture
def minh(token: TokenFactory) -> dict[str, str]:
    return token(Role.COMMUNE_WORKER, subject="minh", province_code=HP, commune_code=WARD_A)


async def _patch(
    client: httpx.AsyncClient, url: str, headers: dict, version: int, body: dict[str, Any]
) -> httpx.Response:
    return await client.patch(url, json=body, headers={**headers, "If-Match": f'"{version}"'})


async def _person(client: httpx.AsyncClient, headers: dict, **fields: Any) -> str:
    person = await create_person(client, headers, phone="0912345678", **fields)
    assert person["version"] == 1
    return str(person["id"])


async def test_disjoint_fields_merge_and_history_keeps_both(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    by_minh = await _patch(cases_client, url, minh, 1, {"address_line": "Thôn Đông, số 4"})
    assert by_minh.status_code == 200

    by_lan = await _patch(cases_client, url, lan, 1, {"phone": "0987654321"})

    assert by_lan.status_code == 200, by_lan.text
    merged = by_lan.json()
    assert (merged["phone"], merged["address_line"]) == ("0987654321", "Thôn Đông, số 4")
    assert merged["version"] == 3
    assert by_lan.headers["ETag"] == '"3"'
    history = (await cases_client.get(f"{url}/history", headers=minh)).json()["items"]
    changes = [(e["action"], e["actor"], e["version"], e["changes"]) for e in history[1:]]
    assert changes == [
        ("updated", "minh", 2, {"address_line": [None, "Thôn Đông, số 4"]}),
        ("edit_merged", "lan", 3, {"phone": ["0912345678", "0987654321"]}),
    ]


async def test_the_same_field_conflicts_and_the_record_is_left_as_it_was(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    await _patch(cases_client, url, minh, 1, {"phone": "0911111111"})

    by_lan = await _patch(
        cases_client, url, lan, 1, {"phone": "0922222222", "address_line": "Xóm Trại"}
    )

    assert by_lan.status_code == 409
    problem = by_lan.json()
    assert problem["code"] == "edit_conflict"
    assert (problem["base_version"], problem["current_etag"]) == (1, '"2"')
    [conflict] = problem["conflicts"]
    assert conflict["field"] == "phone"
    assert (conflict["base"], conflict["yours"], conflict["theirs"]) == (
        "0912345678",
        "0922222222",
        "0911111111",
    )
    assert (conflict["changed_by"], conflict["changed_in_version"]) == ("minh", 2)
    record = (await cases_client.get(url, headers=minh)).json()
    assert (record["version"], record["phone"], record["address_line"]) == (
        2,
        "0911111111",
        None,
    ), "nothing of the conflicting change is applied"
    queued = (await cases_client.get("/api/v1/conflicts", headers=lan)).json()["items"]
    assert [q["id"] for q in queued] == [problem["conflict_id"]]
    assert queued[0]["change"] == {"phone": "0922222222", "address_line": "Xóm Trại"}
    assert (await cases_client.get("/api/v1/conflicts", headers=minh)).json()["items"] == []


async def test_the_same_value_set_by_both_is_no_conflict(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    await _patch(cases_client, url, minh, 1, {"phone": "0911111111"})
    by_lan = await _patch(
        cases_client, url, lan, 1, {"phone": "0911111111", "address_line": "Xóm Trại"}
    )
    assert by_lan.status_code == 200, by_lan.text
    assert by_lan.json()["address_line"] == "Xóm Trại"


async def test_categories_merge_by_element(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh, categories=["orphan_without_support"])
    url = f"{PERSON}/{person_id}"
    await _patch(
        cases_client, url, minh, 1, {"categories": ["orphan_without_support", "child_labour"]}
    )
    # Lan, on version 1, swapped "orphan" for "abandoned": her removal and her addition
    # apply; Minh's addition stays.
    by_lan = await _patch(cases_client, url, lan, 1, {"categories": ["abandoned_child"]})
    assert by_lan.status_code == 200, by_lan.text
    assert sorted(by_lan.json()["categories"]) == ["abandoned_child", "child_labour"]


def _caregiver(name: str, phone: str | None = None, relationship: str = "mẹ") -> dict:
    return {
        "full_name": name,
        "relationship": relationship,
        "phone": phone,
        "is_legal_guardian": False,
    }


async def test_caregivers_merge_by_element_and_clash_only_on_the_same_one(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    grandma = _caregiver("Trần Thị Hoa", relationship="bà ngoại")
    person_id = await _person(cases_client, minh, caregivers=[grandma])
    url = f"{PERSON}/{person_id}"
    with_phone = {**grandma, "phone": "0933333333"}
    await _patch(cases_client, url, minh, 1, {"caregivers": [with_phone]})
    uncle = _caregiver("Lê Văn Tám", relationship="cậu")
    by_lan = await _patch(cases_client, url, lan, 1, {"caregivers": [grandma, uncle]})
    assert by_lan.status_code == 200, by_lan.text
    assert by_lan.json()["caregivers"] == [with_phone, uncle]

    # Both change grandma from version 3, differently: that one caregiver clashes.
    await _patch(cases_client, url, minh, 3, {"caregivers": [{**with_phone, "phone": None}, uncle]})
    other_phone = {**with_phone, "phone": "0944444444"}
    clash = await _patch(cases_client, url, lan, 3, {"caregivers": [other_phone, uncle]})
    assert clash.status_code == 409
    [conflict] = clash.json()["conflicts"]
    assert (conflict["field"], conflict["element"]) == ("caregivers", "tran thi hoa")
    assert conflict["yours"]["phone"] == "0944444444"
    assert conflict["theirs"]["phone"] is None


async def test_appended_records_never_conflict(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict, officer_hp: dict
) -> None:
    person_id = await _person(cases_client, minh)
    case = await create_case(cases_client, officer_hp, person_id)
    changed = await _patch(
        cases_client, f"/api/v1/cases/{case['id']}", minh, 1, {"risk_level": "high"}
    )
    assert changed.status_code == 200
    # Lan's notes, services and follow-ups written offline on version 1 name no version.
    base = f"/api/v1/cases/{case['id']}"
    await post_ok(cases_client, f"{base}/notes", lan, {"body": "Đã đến thăm gia đình"})
    await post_ok(
        cases_client,
        f"{base}/follow-ups",
        lan,
        {"start_date": "2026-01-05", "due_date": "2026-02-05"},
    )
    notes = (await cases_client.get(f"{base}/notes", headers=lan)).json()["items"]
    assert [n["body"] for n in notes] == ["Đã đến thăm gia đình"]


async def test_a_case_edit_merges_like_a_person_edit(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict, officer_hp: dict
) -> None:
    person_id = await _person(cases_client, minh)
    case = await create_case(cases_client, officer_hp, person_id)
    url = f"/api/v1/cases/{case['id']}"
    await _patch(cases_client, url, minh, 1, {"risk_level": "high"})
    merged = await _patch(cases_client, url, lan, 1, {"next_review_date": "2026-12-15"})
    assert merged.status_code == 200, merged.text
    assert (merged.json()["risk_level"], merged.json()["next_review_date"]) == (
        "high",
        "2026-12-15",
    )
    clash = await _patch(cases_client, url, lan, 1, {"risk_level": "low"})
    assert clash.status_code == 409
    assert clash.json()["conflicts"][0]["changed_by"] == "minh"
    [queued] = (await cases_client.get("/api/v1/conflicts", headers=lan)).json()["items"]
    assert (queued["record_type"], queued["record_id"]) == ("case", case["id"])


async def test_resolving_applies_the_chosen_value_with_the_rest_of_the_change(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    await _patch(cases_client, url, minh, 1, {"phone": "0911111111"})
    clash = await _patch(
        cases_client, url, lan, 1, {"phone": "0922222222", "address_line": "Xóm Trại"}
    )
    conflict_url = f"/api/v1/conflicts/{clash.json()['conflict_id']}"

    incomplete = await cases_client.post(
        f"{conflict_url}/resolve", headers=lan, json={"values": {}}
    )
    assert incomplete.status_code == 422
    assert incomplete.json()["errors"][0]["loc"] == ["body", "values", "phone"]
    resolved = await cases_client.post(
        f"{conflict_url}/resolve", headers=lan, json={"values": {"phone": "0911111111"}}
    )

    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["status"], resolved.json()["resolved_version"]) == ("resolved", 3)
    record = (await cases_client.get(url, headers=minh)).json()
    assert (record["phone"], record["address_line"]) == ("0911111111", "Xóm Trại")
    again = await cases_client.post(
        f"{conflict_url}/resolve", headers=lan, json={"values": {"phone": "0922222222"}}
    )
    assert again.status_code == 409
    assert again.json()["code"] == "edit_conflict_closed"
    by_minh = await cases_client.get(conflict_url, headers=minh)
    assert by_minh.status_code == 404, "a conflict is its worker's own"


async def test_a_resolution_that_meets_a_newer_change_supersedes_the_conflict(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    await _patch(cases_client, url, minh, 1, {"phone": "0911111111"})
    clash = await _patch(cases_client, url, lan, 1, {"phone": "0922222222"})
    first = clash.json()["conflict_id"]
    await _patch(cases_client, url, minh, 2, {"phone": "0933333333"})

    answer = await cases_client.post(
        f"/api/v1/conflicts/{first}/resolve", headers=lan, json={"values": {"phone": "0944"}}
    )
    assert answer.status_code == 422, "a resolution is checked like any change"
    answer = await cases_client.post(
        f"/api/v1/conflicts/{first}/resolve",
        headers=lan,
        json={"values": {"phone": "0944444444"}},
    )

    assert answer.status_code == 409
    assert answer.json()["conflicts"][0]["theirs"] == "0933333333"
    old = (await cases_client.get(f"/api/v1/conflicts/{first}", headers=lan)).json()
    assert old["status"] == "superseded"
    queue = (await cases_client.get("/api/v1/conflicts", headers=lan)).json()["items"]
    assert [q["id"] for q in queue] == [answer.json()["conflict_id"]]


async def test_dismissing_keeps_the_record(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    await _patch(cases_client, url, minh, 1, {"phone": "0911111111"})
    clash = await _patch(cases_client, url, lan, 1, {"phone": "0922222222"})
    dismissed = await cases_client.post(
        f"/api/v1/conflicts/{clash.json()['conflict_id']}/dismiss", headers=lan
    )
    assert dismissed.json()["status"] == "dismissed"
    assert (await cases_client.get(url, headers=lan)).json()["version"] == 2
    open_ones = await cases_client.get("/api/v1/conflicts", headers=lan)
    assert open_ones.json()["items"] == []


async def test_sensitive_values_never_enter_the_conflict_or_its_queue(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    first, second = officer(token, sensitive=True), officer(token, sensitive=True)
    person_id = await _person(cases_client, first, hiv_status="negative")
    url = f"{PERSON}/{person_id}"
    await _patch(cases_client, url, first, 1, {"hiv_status": "positive"})
    clash = await _patch(
        cases_client, url, second, 1, {"hiv_status": "unknown", "phone": "0977777777"}
    )
    assert clash.status_code == 409
    [conflict] = clash.json()["conflicts"]
    assert conflict["hidden"] is True
    assert (conflict["base"], conflict["yours"], conflict["theirs"]) == (None, None, None)
    queued = (await cases_client.get("/api/v1/conflicts", headers=second)).json()["items"]
    assert queued[0]["change"] == {"phone": "0977777777"}
    assert queued[0]["withheld"] == ["hiv_status"]


async def test_a_version_the_record_never_had_is_still_412(
    cases_client: httpx.AsyncClient, minh: dict
) -> None:
    person_id = await _person(cases_client, minh)
    url = f"{PERSON}/{person_id}"
    for tag in ('"7"', '"abc"', f'"{uuid.uuid4()}"'):
        response = await cases_client.patch(
            url, json={"phone": "0911111111"}, headers={**minh, "If-Match": tag}
        )
        assert response.status_code == 412, tag
        assert response.json()["current_etag"] == '"1"'
