"""Report events: written with the submission or review they describe, ordered, replayable
from a cursor, only in the reader's scope, and never carrying a number or a note."""

import httpx
import pytest

from shared.auth import Role
from tests.conftest import TokenFactory

# What an event may carry: ids, the period and statuses; never a number or a note.
DATA_KEYS = {
    "report_id", "plan_id", "province_code", "period_id", "period_kind", "status",
    "previous_status",
}  # fmt: skip
NOTE = "Bổ sung số liệu trẻ em"


async def events(client: httpx.AsyncClient, headers: dict, after: str = "0", **params) -> dict:
    answer = await client.get("/api/v1/events", params={"after": after, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def draft(client: httpx.AsyncClient, headers: dict, plan_id: str, period: str) -> dict:
    answer = await client.post(
        "/api/v1/reports", json={"plan_id": plan_id, "period": period}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def submit(client: httpx.AsyncClient, headers: dict, report: dict, version: int) -> None:
    answer = await client.post(
        f"/api/v1/reports/{report['id']}/submission",
        headers={**headers, "If-Match": f'"{version}"'},
    )
    assert answer.status_code == 200, answer.text


async def review(
    client: httpx.AsyncClient, ministry: dict, report: dict, version: int, decision: str
) -> None:
    answer = await client.post(
        f"/api/v1/ministry/reports/{report['id']}/review",
        json={"decision": decision, "note": NOTE},
        headers={**ministry, "If-Match": f'"{version}"'},
    )
    assert answer.status_code == 200, answer.text


@pytest.fixture
def ministry(token: TokenFactory) -> dict[str, str]:
    return token(Role.MINISTRY)


async def test_a_report_submitted_returned_and_accepted_is_four_events_in_order(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    ministry: dict,
    live_sources: None,
) -> None:
    start = (await events(reporting_client, officer_31))["next_after"]
    report = await draft(reporting_client, officer_31, plans["HD-2025"], "2025")
    assert (await events(reporting_client, officer_31, start))["items"] == []  # a draft is not
    await submit(reporting_client, officer_31, report, 1)
    await review(reporting_client, ministry, report, 2, "returned")
    await submit(reporting_client, officer_31, report, 3)
    await review(reporting_client, ministry, report, 4, "accepted")

    feed = (await events(reporting_client, officer_31, start))["items"]
    assert [e["type"] for e in feed] == [
        "report.submitted",
        "report.returned",
        "report.submitted",
        "report.accepted",
    ]
    assert [int(e["seq"]) for e in feed] == sorted(int(e["seq"]) for e in feed)
    assert [e["report_seq"] for e in feed] == [1, 2, 3, 4]
    assert {e["report_id"] for e in feed} == {report["id"]}
    assert [(e["data"]["previous_status"], e["data"]["status"]) for e in feed] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    assert feed[0]["data"] == {
        "report_id": report["id"],
        "plan_id": plans["HD-2025"],
        "province_code": "31",
        "period_id": "2025",
        "period_kind": "annual",
        "status": "submitted",
        "previous_status": "draft",
    }
    for event in feed:
        assert set(event["data"]) == DATA_KEYS
        assert NOTE not in str(event)


async def test_the_feed_pages_from_its_cursor_and_filters_by_kind(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    ministry: dict,
    live_sources: None,
) -> None:
    start = (await events(reporting_client, officer_31))["next_after"]
    report = await draft(reporting_client, officer_31, plans["HD-2025"], "2025")
    await submit(reporting_client, officer_31, report, 1)
    await review(reporting_client, ministry, report, 2, "accepted")
    first = await events(reporting_client, officer_31, start, limit=1)
    assert [e["type"] for e in first["items"]] == ["report.submitted"]
    assert first["has_more"] is True
    rest = await events(reporting_client, officer_31, first["next_after"], limit=1)
    assert [e["type"] for e in rest["items"]] == ["report.accepted"]
    accepted = await events(reporting_client, officer_31, start, type="report.accepted")
    assert [e["type"] for e in accepted["items"]] == ["report.accepted"]
    at_end = await events(reporting_client, officer_31, rest["next_after"])
    assert at_end == {"items": [], "next_after": rest["next_after"], "has_more": False}


async def test_a_refused_submission_or_review_leaves_no_event(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    ministry: dict,
    live_sources: None,
) -> None:
    report = await draft(reporting_client, officer_31, plans["HD-2025"], "2025")
    start = (await events(reporting_client, officer_31))["next_after"]
    url = f"/api/v1/reports/{report['id']}/submission"
    stale = await reporting_client.post(url, headers={**officer_31, "If-Match": '"7"'})
    assert stale.status_code == 412
    early = await reporting_client.post(
        f"/api/v1/ministry/reports/{report['id']}/review",
        json={"decision": "accepted"},
        headers={**ministry, "If-Match": '"1"'},
    )
    assert early.status_code == 404  # a draft has not left the province
    assert (await events(reporting_client, officer_31, start))["items"] == []

    await submit(reporting_client, officer_31, report, 1)
    again = await reporting_client.post(url, headers={**officer_31, "If-Match": '"2"'})
    assert again.status_code == 409
    feed = (await events(reporting_client, officer_31, start))["items"]
    assert [e["type"] for e in feed] == ["report.submitted"]


async def test_each_caller_reads_the_events_of_its_province_and_the_ministry_once_submitted(
    reporting_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    officer_52: dict,
    ministry: dict,
    token: TokenFactory,
    live_sources: None,
) -> None:
    admin = token(Role.ADMIN)
    start = (await events(reporting_client, admin))["next_after"]
    hai_phong = await draft(reporting_client, officer_31, plans["HD-2025"], "2025")
    gia_lai = await draft(reporting_client, officer_52, plans["BD-2021-2025"], "2025")
    assert (await events(reporting_client, ministry, start))["items"] == []
    await submit(reporting_client, officer_31, hai_phong, 1)
    await submit(reporting_client, officer_52, gia_lai, 1)
    await review(reporting_client, ministry, gia_lai, 2, "returned")

    async def seen(headers: dict) -> list[tuple[str, str]]:
        feed = (await events(reporting_client, headers, start))["items"]
        return [(e["report_id"], e["type"]) for e in feed]

    ours = [(hai_phong["id"], "report.submitted")]
    theirs = [(gia_lai["id"], "report.submitted"), (gia_lai["id"], "report.returned")]
    assert await seen(officer_31) == ours
    assert await seen(token(Role.INTEGRATION, subject="so-31", province_code="31")) == ours
    assert await seen(officer_52) == theirs
    assert await seen(token(Role.ADMIN, province_code="52")) == theirs
    assert await seen(token(Role.INTEGRATION, subject="he-thong")) == []
    # The ministry reads every province's from submission on, and the reviews it made.
    assert await seen(ministry) == ours + theirs
    assert await seen(admin) == ours + theirs


async def test_only_the_roles_of_the_feed_read_it(
    reporting_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    for role in (Role.SERVICE, Role.COMMUNE_WORKER, Role.FACILITY_WORKER):
        answer = await reporting_client.get("/api/v1/events", headers=token(role))
        assert answer.status_code == 403, role
