"""People imported by a job: every row checked as POST /persons checks one person, duplicates
included (in the file and against the registry, names folded), written whole or not at all,
with its progress polled while it runs."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bench.sheets import PERSON_HEADERS, person_rows
from services.cases.main import create_app
from shared import migrations
from shared.admin_units import units_2025
from shared.auth import Role
from shared.db import Database, make_engine
from shared.testing import fresh_postgres_database, server_url
from tests.cases.factories import WARD_A, create_person
from tests.conftest import TokenFactory, settings_for
from tests.import_jobs import csv_of, finished_job, start_job
from tools.services import migrations_of

LARGE = 100_000
# Every ward of the province: a sheet of random people in two wards would hold real lookalikes.
WARDS = [w.code for w in units_2025().wards_of("31")]
NAME, SEX, BIRTH, NATIONAL_ID, WARD, CATEGORY = 0, 1, 2, 4, 7, 10


def _csv(rows: list[list[str]], headers: list[str] = PERSON_HEADERS) -> bytes:
    return csv_of(headers, rows)


async def _start(
    client: httpx.AsyncClient, headers: dict, content: bytes, **params: Any
) -> dict[str, Any]:
    return await start_job(client, headers, "people", content, **params)


async def _finished(client: httpx.AsyncClient, headers: dict, job: dict) -> dict[str, Any]:
    return await finished_job(client, headers, job["id"])


async def _run(
    client: httpx.AsyncClient, headers: dict, rows: list[list[str]], **params: Any
) -> dict:
    return await _finished(client, headers, await _start(client, headers, _csv(rows), **params))


async def _found(client: httpx.AsyncClient, headers: dict, q: str) -> list[dict]:
    response = await client.get("/api/v1/persons", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _rows(count: int, first_id: int) -> list[list[str]]:
    return person_rows(count, WARDS, first_id=first_id, seed=first_id)


async def test_a_dry_run_names_each_bad_row_and_writes_nothing(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    rows = _rows(40, first_id=1_000)
    rows[3][SEX] = "không rõ"
    rows[9][WARD] = "21583"  # a ward of Bình Định: outside the officer's province
    rows[12][CATEGORY] = "Trẻ em nhiễm HIV/AIDS"  # sensitive, and the officer lacks the scope
    adult = next(i for i, r in enumerate(rows) if r[NATIONAL_ID] and i > 20)
    rows[30][NATIONAL_ID] = rows[adult][NATIONAL_ID]
    twin = [*rows[5]]
    twin[NAME] = rows[5][NAME].upper().replace("Ị", "I")  # the same name, typed otherwise
    twin[NATIONAL_ID] = ""
    done = await _run(cases_client, officer_hp, [*rows, twin], dry_run=True)
    assert done["status"] == "done"
    assert done["rows_written"] == 0
    by_row = {e["row"]: e for e in done["errors"]}
    assert set(by_row) == {5, 11, 14, 32, 42}
    assert by_row[5]["column"] == "Giới tính"
    assert "outside your unit" in by_row[11]["reason"]
    assert "sensitive:read" in by_row[14]["reason"]
    assert by_row[32]["reason"] == f"the same as row {adult + 2}"
    assert by_row[42]["reason"].startswith("looks like row 7 (same_name, same_birth_date")
    assert await _found(cases_client, officer_hp, rows[0][NAME]) == []


async def test_a_bad_last_row_rolls_back_every_row(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    rows = _rows(12_000, first_id=20_000)
    rows[-1][BIRTH] = "30/02/2001"
    done = await _run(cases_client, officer_hp, rows)
    assert done["status"] == "rejected"
    assert done["rows_read"] == 12_000
    assert done["rows_written"] == 0
    assert [(e["row"], e["column"]) for e in done["errors"]] == [(12_001, "Ngày sinh")]
    adults = [r for r in rows if r[NATIONAL_ID]]
    for row in (adults[0], adults[len(adults) // 2]):
        assert await _found(cases_client, officer_hp, row[NATIONAL_ID]) == []


async def test_a_clean_file_writes_people_categories_history_and_the_feed(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    before = (await cases_client.get("/api/v1/changes", headers=officer_hp)).json()["next_since"]
    rows = _rows(25, first_id=30_000)
    rows[0][CATEGORY] = "Người thuộc hộ nghèo; older_person"
    done = await _run(cases_client, officer_hp, rows)
    assert done["status"] == "done", done
    assert done["rows_written"] == 25
    assert done["errors"] == []
    [person] = [p for p in await _found(cases_client, officer_hp, rows[0][NAME]) if p["birth_date"]]
    read = (await cases_client.get(f"/api/v1/persons/{person['id']}", headers=officer_hp)).json()
    assert sorted(read["categories"]) == ["older_person", "poor_household"]
    history = await cases_client.get(f"/api/v1/persons/{person['id']}/history", headers=officer_hp)
    assert [e["action"] for e in history.json()["items"]] == ["created"]
    feed = await cases_client.get(
        "/api/v1/changes", params={"since": before, "limit": 100}, headers=officer_hp
    )
    fed = {item["person"]["id"] for item in feed.json()["items"] if item["type"] == "person"}
    assert person["id"] in fed
    assert len(fed) >= 25


async def test_a_registered_person_is_a_problem_unless_likely_duplicates_are_allowed(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    registered = await create_person(
        cases_client, officer_hp, full_name="Phạm Thị Thu Hằng", birth_date="2012-04-05"
    )
    rows = _rows(3, first_id=40_000)
    rows[1][NAME], rows[1][BIRTH], rows[1][WARD] = "pham thi thu hang", "04/05/2012", WARD_A
    rows[1][NATIONAL_ID] = ""
    rows[2][NATIONAL_ID] = "031988888888"
    seeded = await create_person(cases_client, officer_hp, national_id="031988888888")
    done = await _run(cases_client, officer_hp, rows)
    assert done["status"] == "rejected"
    reasons = {e["row"]: e["reason"] for e in done["errors"]}
    assert reasons[3].startswith(f"looks like person {registered['id']} (same_name")
    assert "birth_date_day_month_swapped" in reasons[3]
    assert reasons[4] == "a person with this ID is already registered"
    allowed = await _run(cases_client, officer_hp, rows, allow_likely_duplicates="true")
    assert [e["row"] for e in allowed["errors"]] == [4]  # a national ID is never waived
    rows[2][NATIONAL_ID] = ""
    allowed = await _run(cases_client, officer_hp, rows, allow_likely_duplicates="true")
    assert allowed["status"] == "done"
    assert allowed["allow_likely_duplicates"] is True
    assert seeded["id"] != registered["id"]


async def test_another_officer_cannot_read_the_job(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    job = await _start(cases_client, officer_hp, _csv(_rows(2, first_id=50_000)))
    colleague = token(Role.PROVINCE_OFFICER, province_code="31", subject="another-officer")
    other = await cases_client.get(f"/api/v1/import-jobs/{job['id']}", headers=colleague)
    assert other.status_code == 404
    listed = await cases_client.get("/api/v1/import-jobs", headers=officer_hp)
    assert job["id"] in [j["id"] for j in listed.json()["items"]]


@pytest.fixture
async def committed_app(test_dir: Path, dev_key_path: Path) -> AsyncIterator[FastAPI]:
    """A committed database of its own: the job's progress is read while its transaction is
    open, which the rolled-back session of the other tests cannot show."""
    admin = server_url()
    if admin is None:
        pytest.skip("progress seen while a job runs needs PostgreSQL")
    url = await fresh_postgres_database(admin, "ctxh_test_cases_import_jobs")
    await asyncio.to_thread(migrations.upgrade, migrations_of("cases"), url)
    app = create_app(
        settings_for("cases", url, dev_key_path), Database(make_engine(url, pool_size=4))
    )
    yield app
    await app.state.import_jobs.close()
    await app.state.database.dispose()


async def test_a_100000_row_file_is_written_whole_with_progress_on_the_way(
    committed_app: FastAPI, officer_hp: dict
) -> None:
    transport = httpx.ASGITransport(app=committed_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        rows = person_rows(LARGE, WARDS, first_id=100_000)
        job = await _start(client, officer_hp, _csv(rows), allow_likely_duplicates="true")
        seen = []
        while True:
            now = (await client.get(f"/api/v1/import-jobs/{job['id']}", headers=officer_hp)).json()
            if now["status"] in ("done", "rejected", "failed"):
                break
            seen.append(now["rows_read"])
            await asyncio.sleep(0.2)
        assert now["status"] == "done", {k: now[k] for k in ("failure", "errors", "error_count")}
        assert now["rows_read"] == LARGE
        assert now["rows_written"] == LARGE
        assert any(0 < n < LARGE for n in seen), seen  # progress seen part way
        adult = next(r for r in reversed(rows) if r[NATIONAL_ID])
        assert len(await _found(client, officer_hp, adult[NATIONAL_ID])) == 1


async def test_a_form_s_file_starts_a_job_like_the_file_sent_alone(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    content = _csv(_rows(3, first_id=60_000))
    response = await cases_client.post(
        "/api/v1/import-jobs",
        params={"kind": "people", "dry_run": "true"},
        files={"file": ("doi-tuong.csv", content, "text/csv")},
        headers=officer_hp,
    )
    assert response.status_code == 202, response.text
    done = await _finished(cases_client, officer_hp, response.json())
    assert done["status"] == "done"
    assert done["rows_read"] == 3


async def test_writers_go_on_during_a_job_and_the_feed_misses_no_one(
    committed_app: FastAPI, officer_hp: dict
) -> None:
    """The job reserves its sync numbers under a hold instead of locking the counter: a
    phone registering people meanwhile is answered at once, and a feed polled throughout
    delivers every imported and every registered person, none skipped."""
    transport = httpx.ASGITransport(app=committed_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        cursor = (await client.get("/api/v1/changes", headers=officer_hp)).json()["next_since"]
        rows = person_rows(20_000, WARDS, first_id=300_000)
        job = await _start(client, officer_hp, _csv(rows), allow_likely_duplicates="true")
        registered: set[str] = set()
        seen: set[str] = set()
        slowest = 0.0

        async def poll() -> None:
            nonlocal cursor
            page = await client.get(
                "/api/v1/changes", params={"since": cursor, "limit": 200}, headers=officer_hp
            )
            body = page.json()
            seen.update(i["person"]["id"] for i in body["items"] if i["type"] == "person")
            cursor = body["next_since"]

        status = "queued"
        n = 0
        while status not in ("done", "rejected", "failed"):
            start = asyncio.get_running_loop().time()
            made = await client.post(
                "/api/v1/persons",
                json={"full_name": f"Người ghi thêm {n}", "sex": "female", "ward_code": WARD_A},
                headers=officer_hp,
                params={"allow_duplicate": "true"},
            )
            slowest = max(slowest, asyncio.get_running_loop().time() - start)
            assert made.status_code == 201, made.text
            registered.add(made.json()["id"])
            n += 1
            await poll()
            now = await client.get(f"/api/v1/import-jobs/{job['id']}", headers=officer_hp)
            status = now.json()["status"]
        assert status == "done", now.json()
        for _ in range(1_000):
            before = cursor
            await poll()
            if cursor == before:
                break
        assert registered <= seen
        assert len(seen - registered) == 20_000
        assert n >= 3  # the job ran long enough for writers to meet it
        assert slowest < 2.0, slowest
