"""GET /cases?overdue=: a review past due on a case not closed, or a follow-up not done past
due. The filter reads one column, the case's earliest open due date, which the database's
triggers keep through every write that can move it (migration 0015)."""

import uuid
from datetime import date, timedelta

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.models import case_t
from services.cases.casework.models import follow_up_t
from shared.dates import today_in_vietnam
from tests.cases.factories import create_case, create_person, move, post_ok

TODAY = today_in_vietnam()


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


async def _new_case(client: httpx.AsyncClient, headers: dict, **case: object) -> dict:
    person = await create_person(client, headers)
    return await create_case(client, headers, person["id"], **case)


async def _listed(client: httpx.AsyncClient, headers: dict, overdue: bool) -> set[str]:
    params = {"overdue": str(overdue).lower(), "limit": 100}
    response = await client.get("/api/v1/cases", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["items"]}


async def _is_overdue(client: httpx.AsyncClient, headers: dict, case: dict) -> bool:
    """Which of the two lists the case is in; it must be in exactly one."""
    late = await _listed(client, headers, True)
    on_time = await _listed(client, headers, False)
    assert (case["id"] in late) != (case["id"] in on_time)
    return case["id"] in late


async def _follow_up(client: httpx.AsyncClient, headers: dict, case: dict, due: int) -> dict:
    body = {"start_date": _day(min(due, 0) - 10), "due_date": _day(due)}
    return await post_ok(client, f"/api/v1/cases/{case['id']}/follow-ups", headers, body)


async def _done(client: httpx.AsyncClient, headers: dict, case: dict, follow_up: dict) -> None:
    response = await client.patch(
        f"/api/v1/cases/{case['id']}/follow-ups/{follow_up['id']}",
        headers={**headers, "If-Match": '"1"'},
        json={"done_date": TODAY.isoformat()},
    )
    assert response.status_code == 200, response.text


async def test_a_late_follow_up_makes_a_case_overdue_until_it_is_done(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _new_case(cases_client, officer_hp)
    assert not await _is_overdue(cases_client, officer_hp, case)
    await _follow_up(cases_client, officer_hp, case, due=5)
    assert not await _is_overdue(cases_client, officer_hp, case)
    late = await _follow_up(cases_client, officer_hp, case, due=-3)
    assert await _is_overdue(cases_client, officer_hp, case)
    await _done(cases_client, officer_hp, case, late)
    assert not await _is_overdue(cases_client, officer_hp, case)


async def test_a_follow_up_due_today_is_not_yet_overdue(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _new_case(cases_client, officer_hp, next_review_date=_day(0))
    await _follow_up(cases_client, officer_hp, case, due=0)
    assert not await _is_overdue(cases_client, officer_hp, case)


async def test_a_late_review_counts_while_the_case_is_open(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _new_case(cases_client, officer_hp, next_review_date=_day(-2))
    assert await _is_overdue(cases_client, officer_hp, case)
    closed = await move(cases_client, officer_hp, case, "closed", closure_reason="moved_away")
    assert closed.status_code == 200, closed.text
    assert not await _is_overdue(cases_client, officer_hp, case)
    reopened = await move(cases_client, officer_hp, case, "assessment", reason="quay lại")
    assert reopened.status_code == 200, reopened.text
    assert await _is_overdue(cases_client, officer_hp, case)


async def test_moving_the_review_later_ends_overdue_and_earlier_starts_it(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _new_case(cases_client, officer_hp, next_review_date=_day(-2))
    url = f"/api/v1/cases/{case['id']}"
    for review, overdue in ((_day(30), False), (_day(-1), True), (None, False)):
        current = await cases_client.get(url, headers=officer_hp)
        changed = await cases_client.patch(
            url,
            json={"next_review_date": review},
            headers={**officer_hp, "If-Match": current.headers["ETag"]},
        )
        assert changed.status_code == 200, changed.text
        assert await _is_overdue(cases_client, officer_hp, case) is overdue


async def test_a_case_with_nothing_due_is_not_overdue(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _new_case(cases_client, officer_hp)
    assert case["id"] in await _listed(cases_client, officer_hp, False)
    assert case["id"] not in await _listed(cases_client, officer_hp, True)


def _expected(review: date | None, status: str, open_due: list[date]) -> date | None:
    dates = [*open_due, *([review] if review and status != "closed" else [])]
    return min(dates, default=None)


async def _next_due_is_kept(session: AsyncConnection) -> None:
    """Every case's stored next_due is its earliest open due date, computed here anew."""
    cases = (await session.execute(sa.select(case_t))).all()
    follow_ups = (await session.execute(sa.select(follow_up_t))).all()
    for case in cases:
        open_due = [f.due_date for f in follow_ups if f.case_id == case.id and f.done_date is None]
        assert case.next_due == _expected(case.next_review_date, case.status, open_due)


async def test_next_due_follows_every_write_to_reviews_and_follow_ups(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    first = await _new_case(cases_client, officer_hp, next_review_date=_day(10))
    second = await _new_case(cases_client, officer_hp)
    late = await _follow_up(cases_client, officer_hp, first, due=-4)
    await _follow_up(cases_client, officer_hp, first, due=2)
    await _follow_up(cases_client, officer_hp, second, due=-1)
    await _next_due_is_kept(session)
    await _done(cases_client, officer_hp, first, late)
    await _next_due_is_kept(session)
    # Writes the API does not make (records are archived, never moved or deleted) are kept
    # too: the triggers watch the table, whoever writes it.
    moved = follow_up_t.update().where(follow_up_t.c.case_id == uuid.UUID(second["id"]))
    await session.execute(moved.values(case_id=uuid.UUID(first["id"])))
    await _next_due_is_kept(session)
    await session.execute(
        follow_up_t.delete().where(follow_up_t.c.case_id == uuid.UUID(first["id"]))
    )
    await _next_due_is_kept(session)
    first_row = (
        await session.execute(sa.select(case_t).where(case_t.c.id == uuid.UUID(first["id"])))
    ).one()
    assert first_row.next_due == date.fromisoformat(_day(10))
