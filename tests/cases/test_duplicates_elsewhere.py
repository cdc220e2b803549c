"""The duplicate checks tell another unit that a record exists, never whose or where."""

import httpx

from shared.auth import Role
from tests.cases.factories import GL, WARD_A, create_person, officer, person_payload
from tests.conftest import TokenFactory


async def test_a_national_id_registered_in_another_province_answers_without_an_id(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    await create_person(cases_client, officer_hp, national_id="030215000777")
    commune_gl = token(Role.COMMUNE_WORKER, province_code=GL, commune_code="21583")
    response = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(national_id="030215000777", ward_code="21583"),
        headers=commune_gl,
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "registered_elsewhere"
    assert "existing_id" not in body
    assert "transfers" in body["detail"]  # how to ask for the person instead


async def test_a_likely_twin_in_another_unit_answers_without_candidate_ids(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    twin = {"full_name": "Phạm Thị Lan", "birth_date": "2014-02-02", "ward_code": WARD_A}
    await create_person(cases_client, officer_hp, **twin)
    facility = token(
        Role.FACILITY_WORKER, subject="f-1", facility_id="00000000-0000-4000-8000-0000000000cc"
    )
    response = await cases_client.post(
        "/api/v1/persons", json=person_payload(**twin), headers=facility
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicate_elsewhere"
    assert "candidate_ids" not in body
    assert "Phạm" not in response.text


async def test_inside_the_scope_the_ids_are_still_given(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    first = await create_person(cases_client, officer_hp, national_id="030215000778")
    again = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(national_id="030215000778"),
        headers=officer(token),
    )
    assert (again.json()["code"], again.json()["existing_id"]) == (
        "national_id_exists",
        first["id"],
    )
