"""GET /cases?q=: a case by its number, or cases by a part of their person's name. The two
are asked apart and merged (shared.pagination.keyset_union_page), so each must come out as
the one list it was: in order, each case once, every page reachable."""

import uuid
from datetime import timedelta

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.person.models import person_t
from shared.dates import today_in_vietnam
from shared.text import search_key
from tests.cases.factories import create_case, create_person

TODAY = today_in_vietnam()


async def _case_of(client: httpx.AsyncClient, headers: dict, name: str, age_days: int) -> dict:
    person = await create_person(client, headers, full_name=name)
    opened = (TODAY - timedelta(days=age_days)).isoformat()
    return await create_case(client, headers, person["id"], opened_date=opened)


async def _search(
    client: httpx.AsyncClient, headers: dict, q: str, **params: str | int
) -> list[str]:
    """Every page of the search, limit by limit, as one list of case ids."""
    found: list[str] = []
    query: dict[str, str | int] = {"q": q, **params}
    while True:
        page = await client.get("/api/v1/cases", params=query, headers=headers)
        assert page.status_code == 200, page.text
        found += [c["id"] for c in page.json()["items"]]
        if not (cursor := page.json()["next_cursor"]):
            return found
        query["cursor"] = cursor


async def test_q_finds_a_case_by_its_number_or_by_a_part_of_the_name(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    old = await _case_of(cases_client, officer_hp, "Trần Thị Mai", 30)
    new = await _case_of(cases_client, officer_hp, "Trần Thị Lan", 3)
    other = await _case_of(cases_client, officer_hp, "Lê Văn Hùng", 10)
    assert await _search(cases_client, officer_hp, "tran thi") == [new["id"], old["id"]]
    assert await _search(cases_client, officer_hp, other["case_number"]) == [other["id"]]
    assert await _search(cases_client, officer_hp, "nobody") == []


async def test_a_number_and_a_name_found_together_page_in_order_each_once(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    numbered = await _case_of(cases_client, officer_hp, "Lê Văn Hùng", 10)
    number = numbered["case_number"]
    # Names holding the number itself: found by the name, in date order around the case
    # found by its number, one of them the same case, which is listed once.
    named = [
        await _case_of(cases_client, officer_hp, f"Phạm {number}", days) for days in (20, 5, 1)
    ]
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    await session.execute(
        sa.update(person_t)
        .where(person_t.c.id == uuid.UUID(numbered["person"]["id"]))
        .values(name_key=search_key(f"Lê Văn Hùng {number}"))
    )
    newest_first = [named[2]["id"], named[1]["id"], numbered["id"], named[0]["id"]]
    for limit in (1, 2, 3, 50):
        found = await _search(cases_client, officer_hp, number, limit=limit)
        assert found == newest_first, limit
    oldest_first = await _search(cases_client, officer_hp, number, sort="opened_date", limit=1)
    assert oldest_first == newest_first[::-1]
