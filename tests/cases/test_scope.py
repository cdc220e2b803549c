"""Each role sees only its part; anything outside answers 404, never its contents."""

import uuid

import httpx
import pytest

from shared.auth import Role
from tests.cases.factories import (
    FACILITY_X,
    FACILITY_Y,
    GL,
    WARD_A,
    WARD_B,
    WARD_GL,
    create_case,
    create_person,
    officer,
    post_ok,
)
from tests.conftest import TokenFactory


async def test_province_officer_sees_only_its_province(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    hp, gl = officer(token), officer(token, province=GL)
    mine = await create_person(cases_client, hp, full_name="Ở Hải Phòng")
    theirs = await create_person(cases_client, gl, full_name="Ở Gia Lai", ward_code=WARD_GL)
    assert (await cases_client.get(f"/api/v1/persons/{mine['id']}", headers=hp)).status_code == 200
    hidden = await cases_client.get(f"/api/v1/persons/{theirs['id']}", headers=hp)
    assert hidden.status_code == 404
    assert "Gia Lai" not in hidden.text
    listed = await cases_client.get("/api/v1/persons", headers=hp)
    assert [p["id"] for p in listed.json()["items"]] == [mine["id"]]


async def test_officer_cannot_register_people_in_another_province(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    response = await cases_client.post(
        "/api/v1/persons",
        headers=officer_hp,
        json={"full_name": "A", "sex": "male", "ward_code": WARD_GL},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "outside_scope"


async def test_commune_worker_sees_its_ward_and_its_assigned_cases(
    cases_client: httpx.AsyncClient, officer_hp: dict, commune_worker: dict, worker_id: uuid.UUID
) -> None:
    own_ward = await create_person(cases_client, officer_hp, full_name="Cùng phường")
    elsewhere = await create_person(
        cases_client, officer_hp, full_name="Phường khác", ward_code=WARD_B
    )
    assigned = await create_person(
        cases_client, officer_hp, full_name="Được giao", ward_code=WARD_B
    )
    case = await create_case(
        cases_client, officer_hp, assigned["id"], assigned_worker_id=str(worker_id)
    )
    other_case = await create_case(cases_client, officer_hp, elsewhere["id"])
    listed = await cases_client.get("/api/v1/persons", headers=commune_worker)
    assert sorted(p["full_name"] for p in listed.json()["items"]) == ["Cùng phường", "Được giao"]
    assert (
        await cases_client.get(f"/api/v1/persons/{own_ward['id']}", headers=commune_worker)
    ).status_code == 200
    assert (
        await cases_client.get(f"/api/v1/cases/{case['id']}", headers=commune_worker)
    ).status_code == 200
    assert (
        await cases_client.get(f"/api/v1/cases/{other_case['id']}", headers=commune_worker)
    ).status_code == 404
    assert (
        await cases_client.get(f"/api/v1/persons/{elsewhere['id']}", headers=commune_worker)
    ).status_code == 404


async def test_facility_worker_sees_managed_and_referred_cases_only(
    cases_client: httpx.AsyncClient, officer_hp: dict, facility_x: dict, token: TokenFactory
) -> None:
    facility_y = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_Y)
    person = await create_person(cases_client, officer_hp)
    managed = await create_case(
        cases_client, officer_hp, person["id"], managing_facility_id=str(FACILITY_X)
    )
    assert (
        await cases_client.get(f"/api/v1/cases/{managed['id']}", headers=facility_x)
    ).status_code == 200
    assert (
        await cases_client.get(f"/api/v1/cases/{managed['id']}", headers=facility_y)
    ).status_code == 404
    await post_ok(
        cases_client,
        f"/api/v1/cases/{managed['id']}/referrals",
        facility_x,
        {
            "to_facility_id": str(FACILITY_Y),
            "reason": "cần chăm sóc y tế",
            "consent_confirmed": True,
        },
    )
    referred = await cases_client.get(f"/api/v1/cases/{managed['id']}", headers=facility_y)
    assert referred.status_code == 200
    person_view = await cases_client.get(f"/api/v1/persons/{person['id']}", headers=facility_y)
    assert person_view.status_code == 200


async def test_integration_client_sees_what_its_facility_registered(
    cases_client: httpx.AsyncClient, token: TokenFactory, officer_hp: dict
) -> None:
    hospital = token(Role.INTEGRATION, subject="hospital-system", facility_id=FACILITY_X)
    submitted = await create_person(cases_client, hospital, full_name="Bệnh nhi")
    other = await create_person(cases_client, officer_hp, full_name="Người khác")
    assert (
        await cases_client.get(f"/api/v1/persons/{submitted['id']}", headers=hospital)
    ).status_code == 200
    assert (
        await cases_client.get(f"/api/v1/persons/{other['id']}", headers=hospital)
    ).status_code == 404


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.SERVICE, Role.ADMIN])
async def test_roles_without_personal_data_access_get_403(
    cases_client: httpx.AsyncClient, token: TokenFactory, officer_hp: dict, role: Role
) -> None:
    person = await create_person(cases_client, officer_hp)
    headers = token(role, province_code="31")
    for url in (
        "/api/v1/persons",
        f"/api/v1/persons/{person['id']}",
        "/api/v1/cases",
        "/api/v1/changes",
    ):
        response = await cases_client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert "Nguyễn" not in response.text


async def test_commune_worker_cannot_register_outside_its_ward(
    cases_client: httpx.AsyncClient, commune_worker: dict
) -> None:
    ok = await cases_client.post(
        "/api/v1/persons",
        headers=commune_worker,
        json={"full_name": "A", "sex": "female", "ward_code": WARD_A},
    )
    assert ok.status_code == 201
    refused = await cases_client.post(
        "/api/v1/persons",
        headers=commune_worker,
        json={"full_name": "B", "sex": "female", "ward_code": WARD_B},
    )
    assert refused.status_code == 403


async def test_a_commune_worker_cannot_write_a_case_out_of_its_own_sight(
    cases_client: httpx.AsyncClient, officer_hp: dict, commune_worker: dict, worker_id: uuid.UUID
) -> None:
    """They see this person of another ward only through the case assigned to them: a new
    case left unassigned, or that case handed away, would vanish from their sight."""
    person = await create_person(cases_client, officer_hp, full_name="Được giao", ward_code=WARD_B)
    case = await create_case(
        cases_client, officer_hp, person["id"], assigned_worker_id=str(worker_id)
    )
    opened = await cases_client.post(
        "/api/v1/cases",
        headers=commune_worker,
        json={"person_id": person["id"], "intake_source": "community"},
    )
    assert opened.status_code == 403, opened.text
    assert opened.json()["code"] == "outside_scope"
    handed = await cases_client.patch(
        f"/api/v1/cases/{case['id']}",
        headers={**commune_worker, "If-Match": '"1"'},
        json={"assigned_worker_id": str(uuid.uuid4())},
    )
    assert handed.status_code == 403, handed.text
    kept = await cases_client.get(f"/api/v1/cases/{case['id']}", headers=commune_worker)
    assert kept.json()["assigned_worker_id"] == str(worker_id)  # the refused change undone
    mine = await cases_client.post(
        "/api/v1/cases",
        headers=commune_worker,
        json={
            "person_id": person["id"],
            "intake_source": "community",
            "assigned_worker_id": str(worker_id),
        },
    )
    assert mine.status_code == 201, mine.text
