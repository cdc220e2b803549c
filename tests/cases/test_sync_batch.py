"""A phone's queued changes in one request: each item answered on its own, in order, and a
batch sent again with its key changes nothing."""

import uuid

import httpx
import pytest
import uuid_utils

from shared.auth import Role
from tests.cases.factories import HP, WARD_A, create_person, person_payload
from tests.conftest import TokenFactory

BATCH = "/api/v1/sync/batch"


@pytest.fixture
def lan(token: TokenFactory) -> dict[str, str]:
    return token(Role.COMMUNE_WORKER, subject="lan", province_code=HP, commune_code=WARD_A)


@pytest.fixture
def minh(token: TokenFactory) -> dict[str, str]:
    return token(Role.COMMUNE_WORKER, subject="minh", province_code=HP, commune_code=WARD_A)


def _keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def test_a_batch_with_mixed_outcomes_is_answered_item_by_item_and_replays_unchanged(
    cases_client: httpx.AsyncClient, lan: dict, minh: dict
) -> None:
    known = await create_person(cases_client, minh, phone="0912345678")
    known_url = f"/api/v1/persons/{known['id']}"
    await cases_client.patch(
        known_url, json={"phone": "0911111111"}, headers={**minh, "If-Match": '"1"'}
    )
    person_id, case_id = str(uuid_utils.uuid7()), str(uuid_utils.uuid7())
    queued = [
        {
            "ref": "p1",
            "op": "create_person",
            "allow_duplicate": True,
            "body": person_payload(id=person_id, full_name="Hoàng Thị Mai"),
        },
        {
            "ref": "c1",
            "op": "create_case",
            "body": {"id": case_id, "person_id": person_id, "intake_source": "community"},
        },
        {"ref": "n1", "op": "add_note", "record_id": case_id, "body": {"body": "Đã gặp mẹ"}},
        {
            "ref": "u1",
            "op": "update_person",
            "record_id": known["id"],
            "if_match": '"1"',
            "body": {"address_line": "Xóm Chợ"},
        },
        {
            "ref": "u2",
            "op": "update_person",
            "record_id": known["id"],
            "if_match": '"1"',
            "body": {"phone": "0922222222"},
        },
        {
            "ref": "u3",
            "op": "update_person",
            "record_id": str(uuid.uuid4()),
            "if_match": '"1"',
            "body": {"phone": "0933333333"},
        },
        {"ref": "c2", "op": "create_case", "body": {"person_id": person_id}},
    ]
    headers = _keyed(lan, "batch-0001")

    answer = await cases_client.post(BATCH, json={"items": queued}, headers=headers)

    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [(i["ref"], i["outcome"], i["status"]) for i in items] == [
        ("p1", "applied", 201),
        ("c1", "applied", 201),
        ("n1", "applied", 201),
        ("u1", "merged", 200),
        ("u2", "conflict", 409),
        ("u3", "refused", 404),
        ("c2", "refused", 422),
    ]
    assert (items[0]["id"], items[0]["etag"]) == (person_id, '"1"')
    assert (items[3]["id"], items[3]["etag"]) == (known["id"], '"3"')
    assert items[4]["problem"]["code"] == "edit_conflict"
    assert items[4]["problem"]["conflicts"][0]["theirs"] == "0911111111"
    assert items[5]["problem"]["code"] == "person_not_found"
    assert items[6]["problem"]["errors"][0]["loc"] == ["body", "items", 6, "body", "intake_source"]

    again = await cases_client.post(BATCH, json={"items": queued}, headers=headers)

    assert again.json() == answer.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    record = (await cases_client.get(known_url, headers=lan)).json()
    assert (record["version"], record["address_line"], record["phone"]) == (
        3,
        "Xóm Chợ",
        "0911111111",
    )
    notes = await cases_client.get(f"/api/v1/cases/{case_id}/notes", headers=lan)
    assert [n["body"] for n in notes.json()["items"]] == ["Đã gặp mẹ"]
    conflicts = (await cases_client.get("/api/v1/conflicts", headers=lan)).json()["items"]
    assert [c["id"] for c in conflicts] == [items[4]["problem"]["conflict_id"]]


async def test_a_refused_item_leaves_nothing_of_itself(
    cases_client: httpx.AsyncClient, lan: dict
) -> None:
    person_id = str(uuid_utils.uuid7())
    # Registering an HIV category needs sensitive:read: the whole item is refused, and the
    # next item, which needs the person, is refused for want of them.
    queued = [
        {
            "ref": "p1",
            "op": "create_person",
            "allow_duplicate": True,
            "body": person_payload(id=person_id, categories=["child_with_hiv"]),
        },
        {
            "ref": "c1",
            "op": "create_case",
            "body": {"person_id": person_id, "intake_source": "community"},
        },
    ]
    answer = await cases_client.post(
        BATCH, json={"items": queued}, headers=_keyed(lan, "batch-0002")
    )
    outcomes = [(i["outcome"], i["status"]) for i in answer.json()["items"]]
    assert outcomes[0] == ("refused", 403)
    assert outcomes[1][0] == "refused"
    missing = await cases_client.get(f"/api/v1/persons/{person_id}", headers=lan)
    assert missing.status_code == 404


async def test_a_batch_needs_a_key_and_has_a_size(
    cases_client: httpx.AsyncClient, lan: dict
) -> None:
    item = {"ref": "n", "op": "add_note", "record_id": str(uuid.uuid4()), "body": {"body": "x"}}
    unkeyed = await cases_client.post(BATCH, json={"items": [item]}, headers=lan)
    assert unkeyed.status_code == 422
    assert unkeyed.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    too_many = await cases_client.post(
        BATCH, json={"items": [item] * 101}, headers=_keyed(lan, "batch-0003")
    )
    assert too_many.status_code == 422
    missing_record = await cases_client.post(
        BATCH,
        json={"items": [{**item, "record_id": None}]},
        headers=_keyed(lan, "batch-0004"),
    )
    [result] = missing_record.json()["items"]
    assert (result["outcome"], result["status"]) == ("refused", 422)
    assert result["problem"]["errors"][0]["loc"] == ["body", "items", 0, "record_id"]
