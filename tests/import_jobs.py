"""Sending a sheet to an import job and waiting for its end: both services' job tests."""

import asyncio
import csv
import io
from typing import Any

import httpx

FINISHED = ("done", "rejected", "failed")


def csv_of(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


async def start_job(
    client: httpx.AsyncClient, headers: dict, kind: str, content: bytes, **params: Any
) -> dict[str, Any]:
    """POST the file as text/csv: 202, with the job's Location."""
    response = await client.post(
        "/api/v1/import-jobs",
        params={"kind": kind, **params},
        content=content,
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/api/v1/import-jobs/{response.json()['id']}"
    return dict(response.json())


async def finished_job(client: httpx.AsyncClient, headers: dict, job_id: str) -> dict[str, Any]:
    """The job once done, rejected or failed (polled for up to a minute)."""
    for _ in range(600):
        job = (await client.get(f"/api/v1/import-jobs/{job_id}", headers=headers)).json()
        if job["status"] in FINISHED:
            return dict(job)
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']}")
