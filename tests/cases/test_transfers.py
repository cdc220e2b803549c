"""A person moves to another province only when that province accepts them."""

import httpx
import pytest

from tests.cases.factories import GL, WARD_B, WARD_GL, create_case, create_person, officer
from tests.conftest import TokenFactory


@pytest.fixture
def officer_gl(token: TokenFactory) -> dict[str, str]:
    return officer(token, province=GL)


async def _request(
    client: httpx.AsyncClient, headers: dict, person_id: str, ward: str = WARD_GL
) -> httpx.Response:
    return await client.post(
        f"/api/v1/persons/{person_id}/transfers",
        json={"ward_code": ward, "reason": "Gia đình chuyển về Quy Nhơn"},
        headers=headers,
    )


async def _step(
    client: httpx.AsyncClient, headers: dict, transfer: dict, status: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/transfers/{transfer['id']}/transitions",
        json={"status": status, "note": "Đã xác minh"},
        headers={**headers, "If-Match": f'"{transfer["version"]}"'},
    )


async def test_a_patch_cannot_move_a_person_to_another_province(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    url = f"/api/v1/persons/{person['id']}"
    for body in ({"ward_code": WARD_GL}, {"province_code": GL}):
        moved = await cases_client.patch(
            url, json=body, headers={**officer_hp, "If-Match": f'"{person["version"]}"'}
        )
        assert moved.status_code in (409, 422), moved.text
        assert moved.json()["code"] in ("move_needs_transfer", "validation_failed")
    assert (await cases_client.get(url, headers=officer_hp)).json()["province_code"] == "31"
    assert (await cases_client.get(url, headers=officer_gl)).status_code == 404


async def test_accepted_transfer_moves_the_person_and_their_cases(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict, officer_gl: dict
) -> None:
    person = await create_person(cases_client, officer_sensitive, categories=["child_with_hiv"])
    case = await create_case(cases_client, officer_hp, person["id"])
    requested = await _request(cases_client, officer_hp, person["id"])
    assert requested.status_code == 201, requested.text
    transfer = requested.json()
    assert (transfer["status"], transfer["to_province_code"]) == ("pending", GL)
    # Before the answer the person is still Hải Phòng's alone.
    person_url = f"/api/v1/persons/{person['id']}"
    assert (await cases_client.get(person_url, headers=officer_gl)).status_code == 404
    inbox = (await cases_client.get("/api/v1/transfers", headers=officer_gl)).json()["items"]
    assert [t["id"] for t in inbox] == [transfer["id"]]
    assert inbox[0]["person"]["full_name"] == person["full_name"]
    assert inbox[0]["person"]["categories"] == []  # nothing sensitive crosses before, either

    accepted = await _step(cases_client, officer_gl, transfer, "accepted")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    moved = (await cases_client.get(person_url, headers=officer_gl)).json()
    assert (moved["province_code"], moved["ward_code"]) == (GL, WARD_GL)
    assert (await cases_client.get(person_url, headers=officer_hp)).status_code == 404
    case_there = await cases_client.get(f"/api/v1/cases/{case['id']}", headers=officer_gl)
    assert case_there.status_code == 200
    history = (await cases_client.get(f"{person_url}/history", headers=officer_gl)).json()
    assert "transferred" in [e["action"] for e in history["items"]]
    # Both sides keep the transfer itself.
    sent = (
        await cases_client.get(
            "/api/v1/transfers", params={"direction": "outgoing"}, headers=officer_hp
        )
    ).json()["items"]
    assert [t["status"] for t in sent] == ["accepted"]


async def test_the_sending_sync_learns_the_person_left(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    feed = (await cases_client.get("/api/v1/changes", headers=officer_hp)).json()
    transfer = (await _request(cases_client, officer_hp, person["id"])).json()
    await _step(cases_client, officer_gl, transfer, "accepted")
    later = await cases_client.get(
        "/api/v1/changes", params={"since": feed["next_since"]}, headers=officer_hp
    )
    assert [(c["type"], c["person_id"]) for c in later.json()["items"]] == [
        ("left_scope", person["id"])
    ]


async def test_declined_or_cancelled_transfer_leaves_the_person_where_they_were(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    transfer = (await _request(cases_client, officer_hp, person["id"])).json()
    assert (await _step(cases_client, officer_hp, transfer, "accepted")).status_code == 403
    assert (await _step(cases_client, officer_gl, transfer, "cancelled")).status_code == 403
    declined = await _step(cases_client, officer_gl, transfer, "declined")
    assert declined.json()["status"] == "declined"
    again = await _step(cases_client, officer_gl, declined.json(), "accepted")
    assert (again.status_code, again.json()["code"]) == (409, "transfer_decided")
    second = (await _request(cases_client, officer_hp, person["id"])).json()
    assert (await _step(cases_client, officer_hp, second, "cancelled")).status_code == 200
    kept = await cases_client.get(f"/api/v1/persons/{person['id']}", headers=officer_hp)
    assert kept.json()["province_code"] == "31"


async def test_one_open_transfer_per_person_and_never_within_the_province(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    same = await _request(cases_client, officer_hp, person["id"], ward=WARD_B)
    assert same.status_code == 422
    assert same.json()["errors"][0]["type"] == "same_province"
    assert (await _request(cases_client, officer_hp, person["id"])).status_code == 201
    twice = await _request(cases_client, officer_hp, person["id"])
    assert (twice.status_code, twice.json()["code"]) == (409, "transfer_pending")
    # Another province cannot ask for a person it does not hold.
    assert (await _request(cases_client, officer_gl, person["id"])).status_code == 404
