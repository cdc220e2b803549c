"""The province's review queue of likely duplicate people: the scan, the queue, dismissal,
the check of would-be people, and who may do what."""

import unicodedata
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.duplicates.scan import scan_province
from services.cases.duplicates.service import mark_merged
from shared.auth import Role
from tests.cases.factories import GL, HP, WARD_A, WARD_B, WARD_GL, create_person, officer
from tests.conftest import TokenFactory

GRANDMOTHER = {"full_name": "Trần Thị Hoa", "relationship": "bà ngoại"}
UNCLE = {"full_name": "Lê Văn Sáu", "relationship": "cậu", "phone": "0987654321"}


@pytest.fixture
def officer_gl(token: TokenFactory) -> dict[str, str]:
    return officer(token, province=GL)


async def _scan(client: httpx.AsyncClient, headers: dict) -> dict[str, Any]:
    response = await client.post("/api/v1/duplicates/scan", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _queue(client: httpx.AsyncClient, headers: dict, status: str = "open") -> list[dict]:
    response = await client.get("/api/v1/duplicates", params={"status": status}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _pairs(items: list[dict]) -> set[frozenset[str]]:
    return {frozenset((i["person_a"]["id"], i["person_b"]["id"])) for i in items}


async def _twins(client: httpx.AsyncClient, headers: dict, **second: Any) -> tuple[dict, dict]:
    """Two records of one child, the second made by another worker (overrides)."""
    first = await create_person(client, headers, full_name="Nguyễn Văn Đức")
    other = await create_person(client, headers, **{"full_name": "Nguyen Van Duc", **second})
    return first, other


async def _dismiss(client: httpx.AsyncClient, headers: dict, item: dict) -> httpx.Response:
    return await client.post(
        f"/api/v1/duplicates/{item['id']}/dismiss",
        json={"note": "Hai anh em họ, khác cha mẹ"},
        headers={**headers, "If-Match": f'"{item["version"]}"'},
    )


async def test_the_scan_finds_pairs_that_differ_in_accents_case_spacing_form_or_day_and_month(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    expected = []
    for first, second, overrides in [
        ("Nguyễn Văn Đức", "NGUYEN  VAN DUC", {}),
        ("Đặng Thị Ngọc Ánh", unicodedata.normalize("NFD", "Dặng thị ngọc ánh"), {}),
        ("Hoàng Minh Khôi", "Hoang Minh Khoi", {"birth_date": "2015-02-03"}),  # 2 March
        ("Võ Thanh Tâm", "Vo Thanh Tam", {"ward_code": WARD_B, "caregivers": [GRANDMOTHER]}),
    ]:
        a = await create_person(c, officer_hp, full_name=first)
        b = await create_person(c, officer_hp, full_name=second, **overrides)
        expected.append(frozenset((a["id"], b["id"])))
    scanned = await _scan(c, officer_hp)
    assert (scanned["found"], scanned["created"]) == (4, 4)
    queue = await _queue(c, officer_hp)
    assert _pairs(queue) == set(expected)
    reasons = {frozenset((i["person_a"]["id"], i["person_b"]["id"])): i for i in queue}
    swapped = [r["code"] for r in reasons[expected[2]]["reasons"]]
    assert "birth_date_day_month_swapped" in swapped
    across = [r["code"] for r in reasons[expected[3]]["reasons"]]
    assert across == ["same_name", "same_birth_date", "shared_caregiver"]
    assert [i["score"] for i in queue] == sorted((i["score"] for i in queue), reverse=True)
    label = reasons[expected[0]]["reasons"][0]
    assert (label["code"], label["label_en"]) == (
        "same_name",
        "Same name (ignoring accents, case and spacing)",
    )


async def test_the_scan_finds_near_birth_dates_across_a_new_year_and_estimates_a_year_apart(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    expected = []
    for first, second in [
        (("Bùi Văn Long", "2014-12-30", False), ("Bui Van Long", "2015-01-02", False)),
        (("Đỗ Thị Yến", "2013-01-01", True), ("Do Thi Yen", "2014-06-15", False)),
        (("Ngô Văn Tài", "2015-03-02", False), ("Ngo Van Tai", "2015-03-20", False)),
    ]:
        made = [
            await create_person(
                c, officer_hp, full_name=name, birth_date=born, birth_date_estimated=estimated
            )
            for name, born, estimated in (first, second)
        ]
        expected.append(frozenset(p["id"] for p in made))
    await _scan(c, officer_hp)
    queue = await _queue(c, officer_hp)
    # Ngô Văn Tài's two dates are 18 days apart, both recorded: not near.
    assert _pairs(queue) == set(expected[:2])
    for item in queue:
        assert "birth_date_near" in [r["code"] for r in item["reasons"]]


async def test_common_names_without_other_evidence_are_not_paired(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    for name in ("Nguyễn Văn An", "Trần Thị Hoa"):
        await create_person(
            c,
            officer_hp,
            full_name=name,
            birth_date="2016-05-01",
            caregivers=[{"full_name": "Bùi Thị Nga", "relationship": "mẹ"}],
        )
        await create_person(
            c,
            officer_hp,
            full_name=name,
            birth_date="2016-09-12",
            birth_date_estimated=True,
            ward_code=WARD_B,
            caregivers=[UNCLE],
        )
    scanned = await _scan(c, officer_hp)
    assert scanned["pairs_examined"] == 2  # compared inside their blocks, and rejected
    assert scanned["found"] == 0
    assert await _queue(c, officer_hp) == []


async def test_a_rescan_creates_nothing_twice_and_never_reopens_a_dismissed_pair(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    first, second = await _twins(c, officer_hp)
    assert (await _scan(c, officer_hp))["created"] == 1
    again = await _scan(c, officer_hp)
    assert (again["found"], again["created"], again["unchanged"]) == (1, 0, 1)
    [item] = await _queue(c, officer_hp)

    dismissed = await _dismiss(c, officer_hp, item)
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["status"] == "not_duplicate"
    assert dismissed.json()["reviewed_by"]
    rescanned = await _scan(c, officer_hp)
    assert (rescanned["kept_reviewed"], rescanned["created"], rescanned["reopened"]) == (1, 0, 0)
    assert await _queue(c, officer_hp) == []
    [kept] = await _queue(c, officer_hp, "not_duplicate")
    assert kept["id"] == item["id"]
    for person in (first, second):
        events = await c.get(f"/api/v1/persons/{person['id']}/history", headers=officer_hp)
        dismissals = [e for e in events.json()["items"] if e["action"] == "duplicate_dismissed"]
        assert [e["changes"]["duplicate_id"] for e in dismissals] == [item["id"]]


async def test_a_rescan_updates_the_score_of_an_open_pair(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    _, second = await _twins(c, officer_hp, caregivers=[])
    await _scan(c, officer_hp)
    [before] = await _queue(c, officer_hp)
    changed = await c.patch(
        f"/api/v1/persons/{second['id']}",
        json={"caregivers": [GRANDMOTHER]},
        headers={**officer_hp, "If-Match": f'"{second["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    assert (await _scan(c, officer_hp))["updated"] == 1
    [after] = await _queue(c, officer_hp)
    assert after["id"] == before["id"]
    assert after["score"] > before["score"]
    assert "shared_caregiver" in [r["code"] for r in after["reasons"]]
    assert after["version"] == before["version"] + 1


async def test_an_archived_person_drops_out_of_the_queue(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    _, second = await _twins(c, officer_hp)
    await _scan(c, officer_hp)
    archived = await c.post(
        f"/api/v1/persons/{second['id']}/archive",
        headers={**officer_hp, "If-Match": f'"{second["version"]}"'},
    )
    assert archived.status_code == 200, archived.text
    assert await _queue(c, officer_hp) == []  # at once, before any scan
    scanned = await _scan(c, officer_hp)
    assert (scanned["found"], scanned["outdated"]) == (0, 1)
    assert len(await _queue(c, officer_hp, "outdated")) == 1


async def test_a_merged_pair_is_closed_and_never_reopened(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    first, second = await _twins(c, officer_hp)
    await _scan(c, officer_hp)
    merge = await c.post(
        "/api/v1/person-merges",
        json={"survivor_id": first["id"], "merged_id": second["id"], "keep": {}},
        headers={**officer_hp, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert merge.status_code == 201, merge.text
    assert await _queue(c, officer_hp) == []
    [closed] = await _queue(c, officer_hp, "merged")
    assert _pairs([closed]) == {frozenset((first["id"], second["id"]))}
    await _scan(c, officer_hp)  # the alias is archived now: the pair is not found again
    assert await _queue(c, officer_hp) == []
    assert len(await _queue(c, officer_hp, "merged")) == 1
    # As the merge calls it, either way round: a pair closed once stays closed.
    session: AsyncConnection = c.session  # type: ignore[attr-defined]
    assert not await mark_merged(session, uuid.UUID(second["id"]), uuid.UUID(first["id"]))


async def test_another_provinces_officer_sees_nothing_of_the_queue(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict
) -> None:
    c = cases_client
    await _twins(c, officer_hp)
    await _scan(c, officer_hp)
    [item] = await _queue(c, officer_hp)
    assert (await _scan(c, officer_gl))["found"] == 0
    assert await _queue(c, officer_gl) == []
    assert (await c.get(f"/api/v1/duplicates/{item['id']}", headers=officer_gl)).status_code == 404
    assert (await _dismiss(c, officer_gl, item)).status_code == 404
    assert (await c.get(f"/api/v1/duplicates/{item['id']}", headers=officer_hp)).status_code == 200


async def test_only_province_officers_scan_list_view_and_dismiss(
    cases_client: httpx.AsyncClient, token: TokenFactory, officer_hp: dict
) -> None:
    c = cases_client
    await _twins(c, officer_hp)
    await _scan(c, officer_hp)
    [item] = await _queue(c, officer_hp)
    others = [
        token(
            Role.COMMUNE_WORKER, subject=str(uuid.uuid4()), province_code=HP, commune_code=WARD_A
        ),
        token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=str(uuid.uuid4())),
        token(Role.ADMIN),
        token(Role.MINISTRY),
        token(Role.SERVICE),
    ]
    for headers in others:
        assert (await c.post("/api/v1/duplicates/scan", headers=headers)).status_code == 403
        assert (await c.get("/api/v1/duplicates", headers=headers)).status_code == 403
        one = f"/api/v1/duplicates/{item['id']}"
        assert (await c.get(one, headers=headers)).status_code == 403
        assert (await _dismiss(c, headers, item)).status_code == 403


async def test_the_pair_shows_both_people_side_by_side_and_logs_the_read(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_sensitive: dict
) -> None:
    c = cases_client
    first = await create_person(
        c, officer_sensitive, full_name="Phạm Thị Lan", categories=["child_with_hiv"]
    )
    second = await create_person(c, officer_hp, full_name="Pham Thi Lan", phone="0912345678")
    await _scan(c, officer_hp)
    [item] = await _queue(c, officer_hp)
    response = await c.get(f"/api/v1/duplicates/{item['id']}", headers=officer_hp)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{item["version"]}"'
    pair = response.json()
    sides = {pair["person_a"]["id"]: pair["person_a"], pair["person_b"]["id"]: pair["person_b"]}
    assert sides[first["id"]]["full_name"] == "Phạm Thị Lan"
    assert sides[second["id"]]["phone"] == "0912345678"
    assert sides[first["id"]]["caregivers"][0]["full_name"] == "Trần Thị Hoa"
    assert "child_with_hiv" not in response.text  # nothing sensitive, even to an officer
    for person in (first, second):
        log = await c.get(f"/api/v1/persons/{person['id']}/access-log", headers=officer_hp)
        assert any(not e["sensitive"] for e in log.json()["items"])


async def test_dismissing_needs_the_current_version_and_happens_once(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    c = cases_client
    await _twins(c, officer_hp)
    await _scan(c, officer_hp)
    [item] = await _queue(c, officer_hp)
    url = f"/api/v1/duplicates/{item['id']}/dismiss"
    assert (await c.post(url, json={}, headers=officer_hp)).status_code == 428
    stale = await c.post(url, json={}, headers={**officer_hp, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert (await _dismiss(c, officer_hp, item)).status_code == 200
    again = await _dismiss(c, officer_hp, {**item, "version": item["version"] + 1})
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_decided"


def _row(**overrides: Any) -> dict[str, Any]:
    row = {
        "full_name": "NGUYỄN VĂN ĐỨC",
        "sex": "male",
        "birth_date": "2015-02-03",
        "ward_code": WARD_A,
        "caregivers": [{"full_name": "Tran Thi Hoa"}],
    }
    row.update(overrides)
    return row


async def test_the_check_answers_each_rows_likely_matches_in_the_callers_scope(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict, token: TokenFactory
) -> None:
    c = cases_client
    existing = await create_person(c, officer_hp)  # Nguyễn Văn Đức, 2 March 2015
    known = await create_person(
        c, officer_hp, full_name="Lý Thị Mai", national_id="031099000321", ward_code=WARD_B
    )
    await create_person(c, officer_hp, full_name="Nguyễn Văn An", birth_date="2016-05-01")
    rows = [
        _row(),  # day and month swapped, same ward, same grandmother
        _row(full_name="Ly Thi Mai Anh", national_id="031099000321", birth_date=None),
        _row(full_name="Nguyễn Văn An", birth_date="2016-05-01", ward_code=WARD_B, caregivers=[]),
        _row(full_name="Nguyen Van Duc", birth_date="2015-03-02"),  # the first row again
    ]
    response = await c.post("/api/v1/duplicates/check", json={"rows": rows}, headers=officer_hp)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["row"] for i in items] == [0, 1, 2, 3]
    assert [m["person"]["id"] for m in items[0]["matches"]] == [existing["id"]]
    reasons = [r["code"] for r in items[0]["matches"][0]["reasons"]]
    assert reasons == ["same_name", "birth_date_day_month_swapped", "same_ward", "shared_caregiver"]
    assert [(m["person"]["id"], m["score"]) for m in items[1]["matches"]] == [(known["id"], 100)]
    assert items[2]["matches"] == []  # a common name and a birth date alone
    assert [o["row"] for o in items[0]["other_rows"]] == [3]
    assert [o["row"] for o in items[3]["other_rows"]] == [0]

    elsewhere = [
        officer_gl,
        token(
            Role.COMMUNE_WORKER, subject=str(uuid.uuid4()), province_code=HP, commune_code=WARD_B
        ),
    ]
    for headers in elsewhere:
        outside = await c.post("/api/v1/duplicates/check", json={"rows": rows[:1]}, headers=headers)
        assert outside.status_code == 200, outside.text
        assert outside.json()["items"][0]["matches"] == []


async def test_the_check_is_bounded(cases_client: httpx.AsyncClient, officer_hp: dict) -> None:
    too_many = {"rows": [_row() for _ in range(501)]}
    response = await cases_client.post(
        "/api/v1/duplicates/check", json=too_many, headers=officer_hp
    )
    assert response.status_code == 422
    empty = await cases_client.post(
        "/api/v1/duplicates/check", json={"rows": []}, headers=officer_hp
    )
    assert empty.status_code == 422


async def test_the_check_is_refused_to_callers_without_personal_data(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = {"rows": [_row()]}
    for role in (Role.ADMIN, Role.MINISTRY, Role.SERVICE):
        response = await cases_client.post(
            "/api/v1/duplicates/check", json=body, headers=token(role)
        )
        assert response.status_code == 403


async def test_the_scan_function_serves_the_command_line_for_a_whole_province(
    cases_client: httpx.AsyncClient, officer_hp: dict, officer_gl: dict
) -> None:
    c = cases_client
    await _twins(c, officer_hp)
    await create_person(c, officer_gl, full_name="Trần Văn Bình", ward_code=WARD_GL)
    await create_person(c, officer_gl, full_name="Tran Van Binh", ward_code=WARD_GL)
    session: AsyncConnection = c.session  # type: ignore[attr-defined]
    counts = await scan_province(session, GL)
    assert (counts.found, counts.created) == (1, 1)
    assert len(await _queue(c, officer_gl)) == 1
    assert await _queue(c, officer_hp) == []  # Hải Phòng's pair waits for its own scan
