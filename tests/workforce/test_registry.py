"""Facilities and workers: records, validation, duplicates, scopes, ETags."""

import uuid

import httpx

from shared.auth import Role
from tests.conftest import TokenFactory
from tests.searching import LIKE_NAMES, assert_searches_are_literal
from tests.workforce.factories import (
    WARD_GL,
    assign,
    facility,
    facility_payload,
    worker,
    worker_payload,
)


async def test_facility_is_registered_with_province_from_its_ward(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    response = await workforce_client.post(
        "/api/v1/facilities", json=facility_payload(code="C-1"), headers=officer
    )
    assert response.status_code == 201
    body = response.json()
    assert body["province_code"] == "31"
    assert response.headers["ETag"] == '"1"'
    found = await workforce_client.get(
        "/api/v1/facilities", params={"q": "trung tam cong tac"}, headers=officer
    )
    assert [f["code"] for f in found.json()["items"]] == ["C-1"]


async def test_bad_facility_fields_are_each_named(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    bad = facility_payload(kind="spaceport", ward_code="99999", wage_region=7, services=["magic"])
    response = await workforce_client.post("/api/v1/facilities", json=bad, headers=officer)
    assert response.status_code == 422
    assert {e["loc"][1] for e in response.json()["errors"]} == {
        "kind",
        "ward_code",
        "wage_region",
        "services",
    }


async def test_duplicate_facility_code_is_409(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await facility(workforce_client, officer, code="DUP-1")
    response = await workforce_client.post(
        "/api/v1/facilities", json=facility_payload(code="DUP-1"), headers=officer
    )
    assert response.status_code == 409
    assert response.json()["code"] == "facility_code_exists"


async def test_officer_registers_only_in_its_province(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    response = await workforce_client.post(
        "/api/v1/facilities", json=facility_payload(ward_code=WARD_GL), headers=officer
    )
    assert response.status_code == 403


async def test_worker_with_registered_national_id_is_409(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    first = await worker(workforce_client, officer, national_id="030190000001")
    response = await workforce_client.post(
        "/api/v1/workers", json=worker_payload(national_id="030190000001"), headers=officer
    )
    assert response.status_code == 409
    assert response.json()["existing_id"] == first["id"]


async def test_stale_facility_change_is_412_and_loses_nothing(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    created = await facility(workforce_client, officer)
    url = f"/api/v1/facilities/{created['id']}"
    ok = await workforce_client.patch(
        url, json={"name": "Tên mới"}, headers={**officer, "If-Match": '"1"'}
    )
    assert ok.status_code == 200
    stale = await workforce_client.patch(
        url, json={"name": "Khác"}, headers={**officer, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert (await workforce_client.get(url, headers=officer)).json()["name"] == "Tên mới"


async def test_scopes_of_other_province_facility_worker_and_ministry(
    workforce_client: httpx.AsyncClient, officer: dict, other_officer: dict, token: TokenFactory
) -> None:
    home = await facility(workforce_client, officer)
    other = await facility(workforce_client, officer)
    person = await worker(workforce_client, officer)
    await assign(workforce_client, officer, person["id"], home["id"])
    assert (
        await workforce_client.get(f"/api/v1/facilities/{home['id']}", headers=other_officer)
    ).status_code == 404
    assert (
        await workforce_client.get(f"/api/v1/workers/{person['id']}", headers=other_officer)
    ).status_code == 404
    staff = token(
        Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=uuid.UUID(home["id"])
    )
    assert (
        await workforce_client.get(f"/api/v1/facilities/{home['id']}", headers=staff)
    ).status_code == 200
    assert (
        await workforce_client.get(f"/api/v1/facilities/{other['id']}", headers=staff)
    ).status_code == 404
    assert (
        await workforce_client.get(f"/api/v1/workers/{person['id']}", headers=staff)
    ).status_code == 200
    refused = await workforce_client.patch(
        f"/api/v1/facilities/{home['id']}", json={"name": "x"}, headers={**staff, "If-Match": '"1"'}
    )
    assert refused.status_code == 403
    ministry = token(Role.MINISTRY)
    assert (await workforce_client.get("/api/v1/facilities", headers=ministry)).status_code == 200
    assert (await workforce_client.get("/api/v1/workers", headers=ministry)).status_code == 403


async def test_filters_find_staffed_and_service_facilities(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    staffed = await facility(workforce_client, officer, code="S-1")
    await facility(
        workforce_client,
        officer,
        code="S-2",
        provides_services=False,
        kind="school",
        sector="education",
        in_sector=False,
    )
    person = await worker(workforce_client, officer)
    await assign(workforce_client, officer, person["id"], staffed["id"])
    with_staff = await workforce_client.get(
        "/api/v1/facilities", params={"has_ctxh_staff": "true"}, headers=officer
    )
    assert [f["code"] for f in with_staff.json()["items"]] == ["S-1"]
    schools = await workforce_client.get(
        "/api/v1/facilities",
        params={"kind": "school", "provides_services": "false"},
        headers=officer,
    )
    assert [f["code"] for f in schools.json()["items"]] == ["S-2"]


async def test_a_worker_registered_in_another_province_answers_without_an_id(
    workforce_client: httpx.AsyncClient, officer: dict, other_officer: dict
) -> None:
    await worker(workforce_client, officer, national_id="030190000077")
    response = await workforce_client.post(
        "/api/v1/workers", json=worker_payload(national_id="030190000077"), headers=other_officer
    )
    assert response.status_code == 409
    assert response.json()["code"] == "worker_registered_elsewhere"
    assert "existing_id" not in response.json()


async def test_worker_search_takes_percent_underscore_and_backslash_literally(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    for name in LIKE_NAMES:
        await worker(workforce_client, officer, full_name=name)
    await assert_searches_are_literal(
        workforce_client, "/api/v1/workers", officer, lambda w: w["full_name"]
    )


async def test_facility_search_takes_percent_underscore_and_backslash_literally(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    for name in LIKE_NAMES:
        await facility(workforce_client, officer, name=name)
    await assert_searches_are_literal(
        workforce_client, "/api/v1/facilities", officer, lambda f: f["name"]
    )


async def test_exports_download_under_a_name_any_client_reads(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    response = await workforce_client.get(
        "/api/v1/exports/workers", params={"format": "csv"}, headers=officer
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"workers.csv\"; filename*=UTF-8''workers.csv"
    )


async def test_what_a_facility_or_worker_must_have_may_be_left_out_but_not_cleared(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    made = await facility(workforce_client, officer)
    for field in ("name", "kind", "sector", "ownership", "in_sector", "services", "ward_code"):
        answer = await workforce_client.patch(
            f"/api/v1/facilities/{made['id']}",
            json={field: None},
            headers={**officer, "If-Match": '"1"'},
        )
        assert answer.status_code == 422, (field, answer.text)
        assert answer.json()["errors"][0]["loc"] == ["body", field]
    staff = await worker(workforce_client, officer)
    for field in ("full_name", "sex", "qualification", "status"):
        answer = await workforce_client.patch(
            f"/api/v1/workers/{staff['id']}",
            json={field: None},
            headers={**officer, "If-Match": '"1"'},
        )
        assert answer.status_code == 422, (field, answer.text)
    cleared = await workforce_client.patch(
        f"/api/v1/workers/{staff['id']}",
        json={"phone": None},
        headers={**officer, "If-Match": '"1"'},
    )
    assert cleared.status_code == 200
