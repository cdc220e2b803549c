"""Import jobs: a workers sheet of 100,000 rows checked and written off the request, all or
nothing, with its progress polled while it runs."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bench.sheets import WORKER_HEADERS, worker_rows
from services.workforce.main import create_app
from shared import migrations
from shared.db import Database, make_engine
from shared.testing import fresh_postgres_database, server_url
from tests.conftest import settings_for
from tests.import_jobs import csv_of, finished_job, start_job
from tests.workforce.factories import facility
from tools.services import migrations_of

LARGE = 100_000


def _csv(rows: list[list[str]], headers: list[str] = WORKER_HEADERS) -> bytes:
    return csv_of(headers, rows)


async def _start(
    client: httpx.AsyncClient, headers: dict, content: bytes, **params: Any
) -> dict[str, Any]:
    return await start_job(client, headers, "workers", content, **params)


async def _finished(client: httpx.AsyncClient, headers: dict, job_id: str) -> dict[str, Any]:
    return await finished_job(client, headers, job_id)


async def _workers_named(client: httpx.AsyncClient, headers: dict, national_id: str) -> int:
    response = await client.get("/api/v1/workers", params={"q": national_id}, headers=headers)
    assert response.status_code == 200, response.text
    return len(response.json()["items"])


async def _codes(client: httpx.AsyncClient, headers: dict) -> list[str]:
    made = [await facility(client, headers, code=f"J-{uuid.uuid4().hex[:8]}") for _ in range(3)]
    return [f["code"] for f in made]


async def test_a_dry_run_checks_every_row_and_writes_nothing(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    rows = worker_rows(50, codes, first_id=10_000)
    rows[7][1] = "không rõ"  # sex
    rows[20][8] = "NO-SUCH-FACILITY"
    rows[30][3] = rows[4][3]  # the same national ID, another name
    job = await _start(workforce_client, officer, _csv(rows), dry_run=True)
    assert job["status"] == "queued"
    assert job["dry_run"] is True
    done = await _finished(workforce_client, officer, job["id"])
    assert done["status"] == "done"
    assert done["rows_read"] == 50
    assert done["rows_written"] == 0
    found = [(e["row"], e["column"]) for e in done["errors"]]
    assert found == [(9, "Giới tính"), (22, "Mã cơ sở"), (32, "Họ và tên")]
    assert done["error_count"] == 3
    assert await _workers_named(workforce_client, officer, rows[0][3]) == 0


async def test_a_bad_last_row_rolls_back_every_row(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    rows = worker_rows(12_000, codes, first_id=20_000)
    rows[-1][2] = "31/02/1980"
    job = await _start(workforce_client, officer, _csv(rows))
    done = await _finished(workforce_client, officer, job["id"])
    assert done["status"] == "rejected"
    assert done["rows_read"] == 12_000
    assert done["rows_written"] == 0
    assert [(e["row"], e["column"]) for e in done["errors"]] == [(12_001, "Ngày sinh")]
    for row in (rows[0], rows[6_000], rows[-2]):
        assert await _workers_named(workforce_client, officer, row[3]) == 0


async def test_a_clean_file_writes_workers_positions_and_history(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    rows = worker_rows(30, codes, first_id=30_000)
    second_post = [*rows[0]]
    second_post[8], second_post[11] = codes[0], "01/01/2018"
    second_post[12] = "31/12/2018"
    job = await _start(workforce_client, officer, _csv([*rows, second_post]))
    done = await _finished(workforce_client, officer, job["id"])
    assert done["status"] == "done", done
    assert done["rows_read"] == 31
    assert done["rows_written"] == 30
    assert done["errors"] == []
    found = await workforce_client.get("/api/v1/workers", params={"q": rows[0][3]}, headers=officer)
    worker = found.json()["items"][0]
    assert worker["full_name"] == rows[0][0]
    posts = await workforce_client.get(
        f"/api/v1/workers/{worker['id']}/assignments", headers=officer
    )
    assert len(posts.json()["items"]) == 2
    history = await workforce_client.get(f"/api/v1/workers/{worker['id']}/history", headers=officer)
    events = sorted((e["entity_type"], e["action"]) for e in history.json()["items"])
    assert events == [("assignment", "created"), ("assignment", "created"), ("worker", "created")]


async def test_an_id_already_registered_rejects_the_file(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    first = worker_rows(5, codes, first_id=40_000)
    done = await _finished(
        workforce_client, officer, (await _start(workforce_client, officer, _csv(first)))["id"]
    )
    assert done["status"] == "done"
    again = worker_rows(5, codes, first_id=40_004, seed=3)
    done = await _finished(
        workforce_client, officer, (await _start(workforce_client, officer, _csv(again)))["id"]
    )
    assert done["status"] == "rejected"
    assert [(e["row"], e["reason"]) for e in done["errors"]] == [
        (2, "a worker with this ID is already registered")
    ]


async def test_a_retry_with_the_same_key_starts_no_second_job(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    content = _csv(worker_rows(3, codes, first_id=50_000))
    headers = {**officer, "Idempotency-Key": f"import-{uuid.uuid4()}"}
    first = await _start(workforce_client, headers, content)
    second = await _start(workforce_client, headers, content)
    assert second["id"] == first["id"]
    other = await workforce_client.post(
        "/api/v1/import-jobs",
        params={"kind": "workers"},
        content=content + b"\n",
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert other.status_code == 422, other.text


async def test_another_officer_cannot_read_a_job(
    workforce_client: httpx.AsyncClient, officer: dict, other_officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    job = await _start(workforce_client, officer, _csv(worker_rows(2, codes, first_id=60_000)))
    response = await workforce_client.get(f"/api/v1/import-jobs/{job['id']}", headers=other_officer)
    assert response.status_code == 404
    assert response.json()["code"] == "import_job_not_found"


async def test_headers_and_unreadable_files_fail_clearly(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    job = await _start(workforce_client, officer, b"Ho ten,Bogus\nA,B\n")
    done = await _finished(workforce_client, officer, job["id"])
    assert done["status"] == "rejected"
    assert {e["reason"] for e in done["errors"]} >= {"unknown column"}
    broken = _csv(worker_rows(3, ["X"], first_id=70_000)) + b"\xff\xfe broken"
    job = await _start(workforce_client, officer, broken)
    done = await _finished(workforce_client, officer, job["id"])
    assert done["status"] == "failed"
    assert done["failure"]["code"] == "unreadable"


# A committed database of its own: the job's progress is read while its transaction is open,
# which the rolled-back session of the other tests cannot show.
@pytest.fixture
async def committed_app(test_dir: Path, dev_key_path: Path) -> AsyncIterator[FastAPI]:
    admin = server_url()
    if admin is None:
        pytest.skip("progress seen while a job runs needs PostgreSQL")
    url = await fresh_postgres_database(admin, "ctxh_test_workforce_import_jobs")
    await asyncio.to_thread(migrations.upgrade, migrations_of("workforce"), url)
    app = create_app(
        settings_for("workforce", url, dev_key_path), Database(make_engine(url, pool_size=4))
    )
    yield app
    await app.state.import_jobs.close()
    await app.state.database.dispose()


async def test_a_100000_row_file_is_written_whole_with_progress_on_the_way(
    committed_app: FastAPI, officer: dict
) -> None:
    transport = httpx.ASGITransport(app=committed_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        codes = await _codes(client, officer)
        rows = worker_rows(LARGE, codes, first_id=100_000)
        job = await _start(client, officer, _csv(rows))
        seen = []
        while (now := await client.get(f"/api/v1/import-jobs/{job['id']}", headers=officer)).json()[
            "status"
        ] not in ("done", "rejected", "failed"):
            seen.append(now.json()["rows_read"])
            await asyncio.sleep(0.2)
        done = now.json()
        assert done["status"] == "done", done
        assert done["rows_read"] == LARGE
        assert done["rows_written"] == LARGE
        assert any(0 < n < LARGE for n in seen), seen  # progress seen part way
        assert await _workers_named(client, officer, rows[-1][3]) == 1
        counted = await client.get("/api/v1/workers", params={"limit": 1}, headers=officer)
        assert counted.status_code == 200


async def test_a_form_s_file_starts_a_job_like_the_file_sent_alone(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    codes = await _codes(workforce_client, officer)
    content = _csv(worker_rows(4, codes, first_id=80_000))
    response = await workforce_client.post(
        "/api/v1/import-jobs",
        params={"kind": "workers"},
        files={"file": ("can-bo.csv", content, "text/csv")},
        headers=officer,
    )
    assert response.status_code == 202, response.text
    assert response.json()["file_name"] == "can-bo.csv"
    assert response.json()["file_bytes"] == len(content)
    done = await _finished(workforce_client, officer, response.json()["id"])
    assert done["status"] == "done"
    assert done["rows_written"] == 4


async def test_a_file_over_the_limit_is_refused_while_it_streams(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    limit = workforce_client._transport.app.state.settings.max_import_job_bytes  # type: ignore[attr-defined]

    async def endless() -> Any:
        header = _csv([])
        yield header
        chunk = b"x" * 1024 * 1024
        for _ in range(limit // len(chunk) + 2):
            yield chunk

    response = await workforce_client.post(
        "/api/v1/import-jobs",
        params={"kind": "workers"},
        content=endless(),
        headers={**officer, "Content-Type": "text/csv"},
    )
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "payload_too_large"
