"""Rule 3: casework that does not count. An archived case was recorded in error: its services
never count, and nothing more is recorded on it (422 naming the case). Nothing is dated
after its case closed (422 naming the field), and closing keeps what came before."""

import uuid
from datetime import date

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case.models import case_t
from services.cases.casework.models import service_t
from shared.auth import Role
from tests.cases.factories import assessment, create_case, create_person, move, post_ok
from tests.conftest import TokenFactory

WINDOW = {"from": "2025-01-01", "to": "2025-12-31", "province": "31"}


def _service(on: str, funding: str = "socialised") -> dict:
    return {"service_type": "counselling", "funding_source": funding, "delivered_on": on}


async def _case_with_service(client: httpx.AsyncClient, headers: dict, on: str, **person) -> dict:
    someone = await create_person(client, headers, birth_date="2016-01-01", **person)
    case = await create_case(client, headers, someone["id"], opened_date="2025-01-01")
    await post_ok(client, f"/api/v1/cases/{case['id']}/services", headers, _service(on))
    return case


async def _archive(client: httpx.AsyncClient, headers: dict, case: dict) -> None:
    current = await client.get(f"/api/v1/cases/{case['id']}", headers=headers)
    archived = await client.post(
        f"/api/v1/cases/{case['id']}/archive",
        headers={**headers, "If-Match": current.headers["ETag"]},
    )
    assert archived.status_code == 200, archived.text


async def _close(client: httpx.AsyncClient, headers: dict, case: dict, on: str) -> httpx.Response:
    return await move(client, headers, case, "closed", closure_reason="goals_met", on_date=on)


async def _supported(client: httpx.AsyncClient, token: TokenFactory) -> int:
    response = await client.get(
        "/api/v1/stats/people-supported", params=WINDOW, headers=token(Role.SERVICE)
    )
    return response.json()["total"]


async def test_casework_rule_services_of_an_archived_case_never_count(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    kept = await _case_with_service(cases_client, officer_hp, "2025-03-01")
    in_error = await _case_with_service(cases_client, officer_hp, "2025-03-01")
    assert await _supported(cases_client, token) == 2
    await _archive(cases_client, officer_hp, in_error)
    assert await _supported(cases_client, token) == 1
    children = await cases_client.get(
        "/api/v1/stats/priority-children", params=WINDOW, headers=token(Role.SERVICE)
    )
    everyone = children.json()["all_groups"]
    assert (everyone["children"], everyone["served_socialised"]) == (2, 1)
    assert kept["id"] != in_error["id"]


@pytest.mark.parametrize(
    ("record", "body"),
    [
        ("services", _service("2025-03-01")),
        ("assessments", assessment()),
        ("follow-ups", {"due_date": "2099-01-01"}),
    ],
)
async def test_casework_rule_nothing_is_added_to_an_archived_case(
    cases_client: httpx.AsyncClient, officer_hp: dict, record: str, body: dict
) -> None:
    case = await _case_with_service(cases_client, officer_hp, "2025-02-01")
    await _archive(cases_client, officer_hp, case)
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/{record}", headers=officer_hp, json=body
    )
    assert response.status_code == 422
    assert response.json()["code"] == "case_archived"
    assert response.json()["errors"][0]["loc"] == ["path", "case_id"]


@pytest.mark.parametrize(
    ("record", "body", "field"),
    [
        ("services", _service("2025-06-02"), "delivered_on"),
        (
            "assessments",
            {**assessment(), "assessed_on": "2025-06-02"},
            "assessed_on",
        ),
        ("follow-ups", {"start_date": "2025-06-02", "due_date": "2025-06-30"}, "start_date"),
        ("follow-ups", {"start_date": "2025-05-20", "due_date": "2025-06-30"}, "due_date"),
    ],
)
async def test_casework_rule_nothing_is_dated_after_the_case_closed(
    cases_client: httpx.AsyncClient, officer_hp: dict, record: str, body: dict, field: str
) -> None:
    case = await _case_with_service(cases_client, officer_hp, "2025-02-01")
    assert (await _close(cases_client, officer_hp, case, "2025-06-01")).status_code == 200
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/{record}", headers=officer_hp, json=body
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", field]


async def test_casework_rule_closing_keeps_the_services_delivered_before(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    case = await _case_with_service(cases_client, officer_hp, "2025-02-01")
    assert (await _close(cases_client, officer_hp, case, "2025-06-01")).status_code == 200
    assert await _supported(cases_client, token) == 1
    late_entry = await cases_client.post(
        f"/api/v1/cases/{case['id']}/services", headers=officer_hp, json=_service("2025-05-15")
    )
    assert late_entry.status_code == 201  # delivered before the close, recorded after it


async def test_casework_rule_a_case_cannot_close_before_what_is_recorded_on_it(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case_with_service(cases_client, officer_hp, "2025-04-10")
    response = await _close(cases_client, officer_hp, case, "2025-04-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "on_date"]


async def test_casework_rule_a_follow_up_is_not_done_after_the_case_closed(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case_with_service(cases_client, officer_hp, "2025-02-01")
    follow_up = await post_ok(
        cases_client,
        f"/api/v1/cases/{case['id']}/follow-ups",
        officer_hp,
        {"start_date": "2025-02-01", "due_date": "2025-03-01"},
    )
    assert (await _close(cases_client, officer_hp, case, "2025-06-01")).status_code == 200
    response = await cases_client.patch(
        f"/api/v1/cases/{case['id']}/follow-ups/{follow_up['id']}",
        headers={**officer_hp, "If-Match": '"1"'},
        json={"done_date": "2025-06-05"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "done_date"]


async def _counting_is_kept(session: AsyncConnection) -> list[bool]:
    """Each service's counts_for_targets, kept by the database (migration 0017), against the
    rule worked out here from its case; the flags, in delivery order."""
    query = (
        sa.select(service_t, case_t.c.archived_at, case_t.c.closed_date)
        .join(case_t, case_t.c.id == service_t.c.case_id)
        .order_by(service_t.c.delivered_on)
    )
    rows = (await session.execute(query)).all()
    for row in rows:
        closed = row.closed_date
        expected = row.archived_at is None and (closed is None or row.delivered_on <= closed)
        assert row.counts_for_targets == expected, row
    return [row.counts_for_targets for row in rows]


async def test_casework_rule_each_service_knows_whether_it_counts_through_every_write(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    first = await _case_with_service(cases_client, officer_hp, "2025-02-01")
    url = f"/api/v1/cases/{first['id']}/services"
    await post_ok(cases_client, url, officer_hp, _service("2025-05-15"))
    second = await _case_with_service(cases_client, officer_hp, "2025-03-01")
    assert await _counting_is_kept(session) == [True, True, True]
    assert (await _close(cases_client, officer_hp, first, "2025-06-01")).status_code == 200
    assert await _counting_is_kept(session) == [True, True, True]
    await _archive(cases_client, officer_hp, second)
    assert await _counting_is_kept(session) == [True, False, True]
    assert await _supported(cases_client, token) == 1
    # Writes the API does not make (a close moved earlier, a service moved to another case,
    # an archive undone) are kept too: the triggers watch the tables, whoever writes them.
    first_id, second_id = uuid.UUID(first["id"]), uuid.UUID(second["id"])
    await session.execute(
        case_t.update().where(case_t.c.id == first_id).values(closed_date=date(2025, 3, 1))
    )
    assert await _counting_is_kept(session) == [True, False, False]
    late = service_t.update().where(service_t.c.delivered_on == date(2025, 5, 15))
    await session.execute(late.values(case_id=second_id))
    assert await _counting_is_kept(session) == [True, False, False]
    await session.execute(case_t.update().where(case_t.c.id == second_id).values(archived_at=None))
    assert await _counting_is_kept(session) == [True, True, True]
    assert await _supported(cases_client, token) == 2
