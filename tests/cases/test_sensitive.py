"""Sensitive data: hidden without sensitive:read and a purpose; every read of it logged."""

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.common import idempotency as cases_idempotency
from tests.cases.factories import (
    PURPOSE,
    create_case,
    create_person,
    person_payload,
    post_ok,
    with_key,
)


async def test_writing_sensitive_data_needs_the_scope(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    response = await cases_client.post(
        "/api/v1/persons",
        headers=officer_hp,
        json={
            "full_name": "A",
            "sex": "female",
            "ward_code": "10525",
            "hiv_status": "positive",
            "categories": ["child_with_hiv"],
        },
    )
    assert response.status_code == 403
    assert response.json()["code"] == "sensitive_write_forbidden"
    assert "hiv_status" in response.json()["detail"]


async def test_sensitive_part_needs_scope_and_purpose(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    person = await create_person(
        cases_client,
        officer_sensitive,
        hiv_status="positive",
        ethnicity="Tày",
        categories=["child_with_hiv", "abandoned_child"],
    )
    url = f"/api/v1/persons/{person['id']}"
    plain = (await cases_client.get(url, headers=officer_hp)).json()
    assert plain["sensitive"] is None
    assert plain["categories"] == ["abandoned_child"]
    assert "positive" not in str(plain)
    assert "Tày" not in str(plain)
    no_purpose = (await cases_client.get(url, headers=officer_sensitive)).json()
    assert no_purpose["sensitive"] is None
    full = (await cases_client.get(url, headers={**officer_sensitive, **PURPOSE})).json()
    assert full["sensitive"]["hiv_status"] == "positive"
    assert full["sensitive"]["ethnicity"] == "Tày"
    assert full["sensitive"]["categories"] == ["child_with_hiv"]


async def test_every_read_is_in_the_access_log_with_its_purpose(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    person = await create_person(cases_client, officer_sensitive, hiv_status="positive")
    url = f"/api/v1/persons/{person['id']}"
    await cases_client.get(url, headers=officer_hp)
    await cases_client.get(
        url, params={"purpose": "chuẩn bị chuyển gửi"}, headers=officer_sensitive
    )
    log = (await cases_client.get(f"{url}/access-log", headers=officer_hp)).json()["items"]
    newest = log[0]
    assert newest["sensitive"] is True
    assert newest["purpose"] == "chuẩn bị chuyển gửi"
    assert newest["actor"] == "dev-province_officer"
    assert [entry["sensitive"] for entry in log[:2]] == [True, False]


async def test_sensitive_filter_needs_the_scope(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    await create_person(cases_client, officer_sensitive, categories=["child_with_hiv"])
    refused = await cases_client.get(
        "/api/v1/persons", params={"category": "child_with_hiv"}, headers=officer_hp
    )
    assert refused.status_code == 422
    no_purpose = await cases_client.get(
        "/api/v1/persons", params={"category": "child_with_hiv"}, headers=officer_sensitive
    )
    assert no_purpose.status_code == 422
    assert no_purpose.json()["errors"][0]["type"] == "sensitive_filter"
    allowed = await cases_client.get(
        "/api/v1/persons",
        params={"category": "child_with_hiv", "purpose": "rà soát hỗ trợ"},
        headers=officer_sensitive,
    )
    assert len(allowed.json()["items"]) == 1
    assert allowed.json()["items"][0]["categories"] == []  # lists never carry sensitive codes


async def test_editing_categories_without_scope_keeps_hidden_ones(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    person = await create_person(
        cases_client, officer_sensitive, categories=["child_with_hiv", "orphan_without_support"]
    )
    url = f"/api/v1/persons/{person['id']}"
    await cases_client.patch(
        url,
        json={"categories": ["child_severe_disability"]},
        headers={**officer_hp, "If-Match": '"1"'},
    )
    full = (await cases_client.get(url, headers={**officer_sensitive, **PURPOSE})).json()
    assert full["categories"] == ["child_severe_disability"]
    assert full["sensitive"]["categories"] == ["child_with_hiv"]
    history = (await cases_client.get(f"{url}/history", headers=officer_hp)).json()["items"]
    assert "child_with_hiv" not in str(history)


async def test_sensitive_notes_and_findings_are_hidden_without_scope(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"])
    base = f"/api/v1/cases/{case['id']}"
    await post_ok(cases_client, f"{base}/notes", officer_hp, {"body": "Đã thăm nhà"})
    await post_ok(
        cases_client,
        f"{base}/notes",
        officer_sensitive,
        {"body": "Dấu hiệu bị bạo hành", "sensitive": True},
    )
    await post_ok(
        cases_client,
        f"{base}/assessments",
        officer_sensitive,
        {
            "kind": "initial_risk",
            "assessed_on": "2026-01-05",
            "risk_level": "high",
            "summary": "Nguy cơ cao",
            "findings": "Vết bầm trên tay",
        },
    )
    notes = (await cases_client.get(f"{base}/notes", headers=officer_hp)).json()["items"]
    assert [n["body"] for n in notes] == ["Đã thăm nhà"]
    found = (await cases_client.get(f"{base}/assessments", headers=officer_hp)).json()["items"]
    assert found[0]["findings"] is None
    full = (
        await cases_client.get(f"{base}/notes", headers={**officer_sensitive, **PURPOSE})
    ).json()
    assert len(full["items"]) == 2
    log = (
        await cases_client.get(f"/api/v1/persons/{person['id']}/access-log", headers=officer_hp)
    ).json()["items"]
    assert log[0]["record_type"] == "case_note"
    assert log[0]["sensitive"] is True


async def test_listing_by_a_sensitive_category_logs_each_person_listed(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    person = await create_person(cases_client, officer_sensitive, categories=["child_with_hiv"])
    listed = await cases_client.get(
        "/api/v1/persons",
        params={"category": "child_with_hiv"},
        headers={**officer_sensitive, **PURPOSE},
    )
    assert [p["id"] for p in listed.json()["items"]] == [person["id"]]
    log = await cases_client.get(f"/api/v1/persons/{person['id']}/access-log", headers=officer_hp)
    newest = log.json()["items"][0]
    assert (newest["record_type"], newest["sensitive"], newest["purpose"]) == (
        "person_list",
        True,
        PURPOSE["X-Access-Purpose"],
    )


async def test_history_hides_sensitive_values_or_logs_their_reading(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    person = await create_person(cases_client, officer_sensitive, hiv_status="negative")
    url = f"/api/v1/persons/{person['id']}"
    changed = await cases_client.patch(
        url,
        json={"hiv_status": "positive", "drug_use": True},
        headers={**officer_sensitive, "If-Match": f'"{person["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    plain = (await cases_client.get(f"{url}/history", headers=officer_hp)).text
    assert "positive" not in plain
    assert "negative" not in plain
    no_purpose = (await cases_client.get(f"{url}/history", headers=officer_sensitive)).text
    assert "positive" not in no_purpose
    before = len((await cases_client.get(f"{url}/access-log", headers=officer_hp)).json()["items"])
    read = await cases_client.get(f"{url}/history", headers={**officer_sensitive, **PURPOSE})
    assert "positive" in read.text
    log = (await cases_client.get(f"{url}/access-log", headers=officer_hp)).json()["items"]
    assert len(log) == before + 1
    assert (log[0]["record_type"], log[0]["sensitive"]) == ("history", True)


async def test_the_access_log_exports_as_csv_for_the_person(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    url = f"/api/v1/persons/{person['id']}"
    await cases_client.get(url, headers={**officer_hp, "X-Access-Purpose": "=HYPERLINK(1)"})
    exported = await cases_client.get(
        f"{url}/access-log", params={"format": "csv"}, headers=officer_hp
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Thời điểm,Người xem")
    assert "'=HYPERLINK(1)" in exported.content.decode("utf-8-sig")
    assert len(lines) == 3  # header, the creation's read, and this read


async def test_only_a_province_officer_reads_the_access_log(
    cases_client: httpx.AsyncClient, officer_hp: dict, commune_worker: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    response = await cases_client.get(
        f"/api/v1/persons/{person['id']}/access-log", headers=commune_worker
    )
    assert response.status_code == 403


async def test_stored_answers_for_retries_keep_nothing_sensitive(
    cases_client: httpx.AsyncClient, officer_sensitive: dict
) -> None:
    headers = with_key({**officer_sensitive, **PURPOSE}, "sensitive-create-0001")
    body = person_payload(hiv_status="positive", health_notes="điều trị ARV")
    first = await cases_client.post("/api/v1/persons", json=body, headers=headers)
    assert first.json()["sensitive"]["hiv_status"] == "positive"
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    stored = (await session.execute(sa.select(cases_idempotency.c.body))).scalars().all()
    assert stored
    assert not any("positive" in text or "ARV" in text for text in stored)
    retry = await cases_client.post("/api/v1/persons", json=body, headers=headers)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert (retry.json()["id"], retry.json()["sensitive"]) == (first.json()["id"], None)
