"""Registering people: validation, duplicates, search, ETags, idempotency and archiving."""

import httpx

from tests.cases.factories import (
    WARD_A,
    WARD_GL,
    create_case,
    create_person,
    person_payload,
    with_key,
)
from tests.searching import LIKE_NAMES, assert_searches_are_literal


async def test_created_person_has_etag_location_and_search_key(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    response = await cases_client.post("/api/v1/persons", json=person_payload(), headers=officer_hp)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/persons/{body['id']}")
    assert body["province_code"] == "31"  # derived from the ward
    assert body["categories"] == ["orphan_without_support"]
    found = await cases_client.get(
        "/api/v1/persons", params={"q": "nguyen van duc"}, headers=officer_hp
    )
    assert [p["id"] for p in found.json()["items"]] == [body["id"]]


async def test_search_ignores_accents_and_case_both_ways(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    await create_person(cases_client, officer_hp, full_name="Lê Thị Ánh Tuyết")
    await create_person(cases_client, officer_hp, full_name="Đặng Văn Đạt")
    for query, expected in [
        ("ANH TUYET", "Lê Thị Ánh Tuyết"),
        ("đạt", "Đặng Văn Đạt"),
        ("dang van", "Đặng Văn Đạt"),
    ]:
        response = await cases_client.get(
            "/api/v1/persons", params={"q": query}, headers=officer_hp
        )
        assert [p["full_name"] for p in response.json()["items"]] == [expected], query


async def test_search_by_national_id_and_phone(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(
        cases_client,
        officer_hp,
        national_id="030215000123",
        phone="0912345678",
        full_name="Phạm Minh",
    )
    await create_person(cases_client, officer_hp, full_name="Someone Else")
    for query in ("030215000123", "0912345678", "+84912345678"):
        response = await cases_client.get(
            "/api/v1/persons", params={"q": query}, headers=officer_hp
        )
        assert [p["id"] for p in response.json()["items"]] == [person["id"]], query


async def test_existing_national_id_is_409_with_existing_id(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    first = await create_person(cases_client, officer_hp, national_id="030215000999")
    response = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(national_id="030215000999", full_name="Khác"),
        headers=officer_hp,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "national_id_exists"
    assert response.json()["existing_id"] == first["id"]


async def test_likely_duplicate_is_reported_before_a_second_record(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    first = await cases_client.post("/api/v1/persons", json=person_payload(), headers=officer_hp)
    twin = person_payload(full_name="NGUYEN VAN DUC")  # same key, birth date and ward
    response = await cases_client.post("/api/v1/persons", json=twin, headers=officer_hp)
    assert response.status_code == 409
    assert response.json()["code"] == "possible_duplicate"
    assert response.json()["candidate_ids"] == [first.json()["id"]]
    confirmed = await cases_client.post(
        "/api/v1/persons", json=twin, headers=officer_hp, params={"allow_duplicate": "true"}
    )
    assert confirmed.status_code == 201


async def test_every_invalid_field_is_named_and_nothing_is_saved(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    bad = person_payload(
        categories=["orphan_without_support", "martian"],
        province_code="31",
        ward_code=WARD_GL,
        birth_date="2999-01-01",
        national_id="12345",
        phone="12",
    )
    response = await cases_client.post("/api/v1/persons", json=bad, headers=officer_hp)
    assert response.status_code == 422
    fields = {tuple(error["loc"][1:2]) for error in response.json()["errors"]}
    assert fields == {
        ("categories",),
        ("ward_code",),
        ("birth_date",),
        ("national_id",),
        ("phone",),
    }
    listed = await cases_client.get("/api/v1/persons", headers=officer_hp)
    assert listed.json()["items"] == []


async def test_unknown_ward_is_422(cases_client: httpx.AsyncClient, officer_hp: dict) -> None:
    response = await cases_client.post(
        "/api/v1/persons", json=person_payload(ward_code="99999"), headers=officer_hp
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "ward_code"]


async def test_change_needs_if_match_and_a_stale_write_of_the_same_field_loses_nothing(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    url = f"/api/v1/persons/{person['id']}"
    missing = await cases_client.patch(url, json={"phone": "0911111111"}, headers=officer_hp)
    assert missing.status_code == 428
    first = await cases_client.patch(
        url, json={"phone": "0911111111"}, headers={**officer_hp, "If-Match": '"1"'}
    )
    assert first.status_code == 200
    assert first.headers["ETag"] == '"2"'
    stale = await cases_client.patch(
        url, json={"phone": "0922222222"}, headers={**officer_hp, "If-Match": '"1"'}
    )
    # Made on version 1, it meets a change of the same field (tests/cases/test_offline_edits).
    assert stale.status_code == 409
    assert (stale.json()["code"], stale.json()["current_etag"]) == ("edit_conflict", '"2"')
    current = await cases_client.get(url, headers=officer_hp)
    assert current.json()["phone"] == "0911111111"


async def test_retried_create_makes_one_record_and_returns_first_answer(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    headers = with_key(officer_hp, "retry-key-0001")
    first = await cases_client.post("/api/v1/persons", json=person_payload(), headers=headers)
    again = await cases_client.post("/api/v1/persons", json=person_payload(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    listed = await cases_client.get("/api/v1/persons", headers=officer_hp)
    assert len(listed.json()["items"]) == 1


async def test_idempotency_key_reused_for_another_body_is_422(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    headers = with_key(officer_hp, "reused-key-0001")
    await cases_client.post("/api/v1/persons", json=person_payload(), headers=headers)
    other = await cases_client.post(
        "/api/v1/persons", json=person_payload(full_name="Khác"), headers=headers
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["type"] == "idempotency_key_reused"


async def test_archived_person_is_kept_with_history_but_left_out_of_lists(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    url = f"/api/v1/persons/{person['id']}"
    archived = await cases_client.post(f"{url}/archive", headers={**officer_hp, "If-Match": '"1"'})
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert (await cases_client.get("/api/v1/persons", headers=officer_hp)).json()["items"] == []
    everyone = await cases_client.get(
        "/api/v1/persons", params={"include_archived": "true"}, headers=officer_hp
    )
    assert len(everyone.json()["items"]) == 1
    history = (await cases_client.get(f"{url}/history", headers=officer_hp)).json()["items"]
    assert [event["action"] for event in history] == ["created", "archived"]
    assert (await cases_client.delete(url, headers=officer_hp)).status_code == 405


async def test_list_pages_with_cursor(cases_client: httpx.AsyncClient, officer_hp: dict) -> None:
    for i in range(5):
        await create_person(cases_client, officer_hp, full_name=f"Người {i}", ward_code=WARD_A)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await cases_client.get("/api/v1/persons", params=params, headers=officer_hp)).json()
        seen += [p["full_name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Người {i}" for i in range(5)]


async def test_search_takes_percent_underscore_and_backslash_literally(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    for name in LIKE_NAMES:
        await create_person(cases_client, officer_hp, full_name=name)
    await assert_searches_are_literal(
        cases_client, "/api/v1/persons", officer_hp, lambda p: p["full_name"]
    )


async def test_case_search_takes_percent_underscore_and_backslash_literally(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    for name in LIKE_NAMES:
        person = await create_person(cases_client, officer_hp, full_name=name)
        await create_case(cases_client, officer_hp, person["id"])
    await assert_searches_are_literal(
        cases_client, "/api/v1/cases", officer_hp, lambda c: c["person"]["full_name"]
    )


async def test_access_log_csv_downloads_under_a_name_any_client_reads(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    response = await cases_client.get(
        f"/api/v1/persons/{person['id']}/access-log", params={"format": "csv"}, headers=officer_hp
    )
    assert response.status_code == 200
    name = f"nhat-ky-truy-cap-{person['id']}.csv"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )


async def test_a_name_or_sex_may_be_left_out_of_a_change_but_not_cleared(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    url = f"/api/v1/persons/{person['id']}"
    for field in ("full_name", "sex", "birth_date_estimated"):
        cleared = await cases_client.patch(
            url, json={field: None}, headers={**officer_hp, "If-Match": '"1"'}
        )
        assert cleared.status_code == 422, field
        assert cleared.json()["errors"][0]["loc"] == ["body", field]
    kept = await cases_client.patch(
        url, json={"phone": None}, headers={**officer_hp, "If-Match": '"1"'}
    )
    assert kept.status_code == 200
