"""List cursors: every page reachable for every sort, and a tampered cursor is a 422."""

import base64
import json

import httpx
import pytest

from tests.cases.factories import create_person


@pytest.mark.parametrize("sort", ["name", "-name", "created_at", "-created_at"])
async def test_every_page_of_every_sort_is_reachable(
    cases_client: httpx.AsyncClient, officer_hp: dict, sort: str
) -> None:
    made = {
        (await create_person(cases_client, officer_hp, full_name=f"Người {n}"))["id"]
        for n in range(5)
    }
    seen: list[str] = []
    params: dict[str, str | int] = {"sort": sort, "limit": 2}
    while True:
        page = await cases_client.get("/api/v1/persons", params=params, headers=officer_hp)
        assert page.status_code == 200, page.text
        seen += [p["id"] for p in page.json()["items"]]
        if not (cursor := page.json()["next_cursor"]):
            break
        params["cursor"] = cursor
    assert set(seen) == made
    assert len(seen) == len(made)


async def test_a_tampered_cursor_is_refused(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    for n in range(3):
        await create_person(cases_client, officer_hp, full_name=f"Người {n}")
    first = await cases_client.get("/api/v1/persons", params={"limit": 1}, headers=officer_hp)
    cursor = first.json()["next_cursor"]
    payload, _, signature = cursor.partition(".")
    values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    values[0] = "' OR 1=1 --"
    forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    accented = f"{payload}.{signature[:-1]}Ë"  # not base64 at all
    for bad in (f"{forged}.{signature}", payload, "not-a-cursor", f"{payload}.AAAA", accented):
        response = await cases_client.get(
            "/api/v1/persons", params={"cursor": bad}, headers=officer_hp
        )
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["type"] == "invalid_cursor"
