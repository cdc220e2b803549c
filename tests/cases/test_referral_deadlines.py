"""Referrals that close the loop: deadlines by risk level, the first contact, overdue lists
for each side, escalation once per deadline, a rejection's reason and a completion's outcome.
Deadlines pass by moving the clock (shared.clock), never by waiting."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from services.cases.casework.deadlines import escalate_overdue
from services.cases.main import create_app
from services.cases.settings import CasesSettings
from shared.auth import Role
from shared.db import Database, make_engine
from tests.cases.factories import HP, officer
from tests.cases.referrals import (
    at,
    events_of,
    overdue,
    refer,
    risky_case,
    step,
    step_ok,
)
from tests.conftest import MoveClock, TokenFactory, _client, settings_for

# The defaults docs/referrals.md gives, in hours: (respond, first contact).
DOCUMENTED = {"critical": (4, 8), "high": (24, 72), "medium": (72, 168), "low": (120, 336)}


async def test_each_risk_level_gives_the_documented_respond_by(
    cases_client: httpx.AsyncClient, facility_x: dict
) -> None:
    for level, (respond, _) in DOCUMENTED.items():
        case = await risky_case(cases_client, facility_x, level)
        referral = await refer(cases_client, facility_x, case)
        assert at(referral["respond_by"]) - at(referral["created_at"]) == timedelta(hours=respond)
        assert referral["first_contact_by"] is None, "its clock starts on acceptance"


async def test_first_contact_is_due_from_acceptance_at_the_case_risk_then(
    cases_client: httpx.AsyncClient, facility_x: dict, facility_y: dict
) -> None:
    case = await risky_case(cases_client, facility_x, "high")
    referral = await refer(cases_client, facility_x, case)
    current = await cases_client.get(f"/api/v1/cases/{case['id']}", headers=facility_x)
    raised = await cases_client.patch(
        f"/api/v1/cases/{case['id']}",
        json={"risk_level": "critical"},
        headers={**facility_x, "If-Match": current.headers["ETag"]},
    )
    assert raised.status_code == 200, raised.text
    accepted = await step_ok(cases_client, facility_y, referral, status="accepted")
    first_contact = at(accepted["first_contact_by"]) - at(accepted["answered_at"])
    assert first_contact == timedelta(hours=DOCUMENTED["critical"][1])


@pytest.fixture
async def province_client(
    database_urls: dict[str, str], dev_key_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """The cases app of a province that gives critical referrals 1 and 2 hours."""
    deadlines = {"critical": {"respond_hours": 1, "first_contact_hours": 2}}
    settings = settings_for(
        "cases", database_urls["cases"], dev_key_path, referral_deadlines=deadlines
    )
    app = create_app(settings, Database(make_engine(database_urls["cases"], pool_size=1)))
    async for client in _client(app):
        yield client
    await app.state.database.dispose()


async def test_a_province_sets_its_own_deadlines(
    province_client: httpx.AsyncClient, facility_x: dict, facility_y: dict
) -> None:
    critical = await refer(
        province_client, facility_x, await risky_case(province_client, facility_x, "critical")
    )
    high = await refer(
        province_client, facility_x, await risky_case(province_client, facility_x, "high")
    )
    assert at(critical["respond_by"]) - at(critical["created_at"]) == timedelta(hours=1)
    assert at(high["respond_by"]) - at(high["created_at"]) == timedelta(hours=24)
    accepted = await step_ok(province_client, facility_y, critical, status="accepted")
    assert at(accepted["first_contact_by"]) - at(accepted["answered_at"]) == timedelta(hours=2)


def test_the_deadlines_setting_is_json_by_risk_level_most_urgent_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    variable = "CASES_REFERRAL_DEADLINES"
    monkeypatch.setenv(variable, '{"low": {"respond_hours": 240, "first_contact_hours": 480}}')
    deadlines = CasesSettings().referral_deadlines
    assert (deadlines["low"].respond_hours, deadlines["critical"].respond_hours) == (240, 4)
    for refused in (
        '{"critical": {"respond_hours": 48, "first_contact_hours": 8}}',  # later than high
        '{"urgent": {"respond_hours": 1, "first_contact_hours": 2}}',  # no such level
        '{"high": {"respond_hours": 0, "first_contact_hours": 2}}',  # no time at all
        '{"high": {"respond_hours": 24}}',  # half a level
    ):
        monkeypatch.setenv(variable, refused)
        with pytest.raises(ValidationError):
            CasesSettings()


async def test_overdue_lists_show_each_side_what_waits_past_its_deadline(
    cases_client: httpx.AsyncClient,
    facility_x: dict,
    facility_y: dict,
    officer_hp: dict,
    token: TokenFactory,
    clock: MoveClock,
) -> None:
    late = await refer(
        cases_client, facility_x, await risky_case(cases_client, facility_x, "critical")
    )
    await refer(cases_client, facility_x, await risky_case(cases_client, facility_x, "medium"))
    elsewhere = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=uuid.uuid4())
    assert await overdue(cases_client, facility_y, direction="incoming") == []

    clock(hours=5)  # past critical's 4 hours, within medium's 72
    incoming = await overdue(cases_client, facility_y, direction="incoming")
    assert [(r["id"], r["deadline"]) for r in incoming] == [(late["id"], "respond_by")]
    assert incoming[0]["due_at"] == late["respond_by"]
    assert incoming[0]["escalated_at"] is None
    outgoing = await overdue(cases_client, facility_x, direction="outgoing")
    assert [r["id"] for r in outgoing] == [late["id"]]
    assert [r["id"] for r in await overdue(cases_client, officer_hp)] == [late["id"]]
    assert await overdue(cases_client, facility_y, direction="outgoing") == []
    assert await overdue(cases_client, facility_x, direction="incoming") == []
    assert await overdue(cases_client, officer(token, province="52")) == []
    assert await overdue(cases_client, elsewhere) == []

    # The answer stops the first clock and starts the second.
    await step_ok(cases_client, facility_y, late, status="accepted")
    assert await overdue(cases_client, officer_hp) == []
    clock(hours=5 + 9)  # past the 8 hours to the first contact
    incoming = await overdue(cases_client, facility_y, direction="incoming")
    assert [(r["id"], r["deadline"]) for r in incoming] == [(late["id"], "first_contact_by")]
    contacted = await step_ok(cases_client, facility_y, late, status="contacted")
    assert contacted["first_contacted_at"] is not None
    assert await overdue(cases_client, officer_hp) == []


async def test_each_deadline_escalates_once_into_the_queues_with_an_event(
    cases_client: httpx.AsyncClient,
    facility_x: dict,
    facility_y: dict,
    officer_hp: dict,
    clock: MoveClock,
) -> None:
    session = cases_client.session  # type: ignore[attr-defined]
    case = await risky_case(cases_client, facility_x, "critical")
    referral = await refer(cases_client, facility_x, case)
    assert await escalate_overdue(session) == 0, "nothing is late yet"
    clock(hours=5)
    assert await escalate_overdue(session) == 1
    assert await escalate_overdue(session) == 0, "a deadline escalates once"

    for reader, side in ((facility_y, "incoming"), (officer_hp, "all")):
        queue = await overdue(cases_client, reader, direction=side, escalated="true")
        assert [r["id"] for r in queue] == [referral["id"]]
        assert queue[0]["escalated_at"] == queue[0]["response_escalated_at"] is not None
        assert await overdue(cases_client, reader, direction=side, escalated="false") == []
    history = await cases_client.get(f"/api/v1/cases/{case['id']}/history", headers=facility_x)
    escalations = [e for e in history.json()["items"] if e["action"] == "escalated"]
    assert [(e["entity_id"], e["actor"]) for e in escalations] == [
        (referral["id"], "ctxh-referral-deadlines")
    ]

    # Escalating leaves the ETag alone: the receiving facility answers as it read it.
    accepted = await cases_client.post(
        f"/api/v1/referrals/{referral['id']}/transitions",
        json={"status": "accepted"},
        headers={**facility_y, "If-Match": '"1"'},
    )
    assert accepted.status_code == 200, accepted.text
    clock(hours=5 + 9)
    assert await escalate_overdue(session) == 1
    assert await escalate_overdue(session) == 0
    events = await events_of(cases_client, facility_y, "referral.overdue")
    assert [(e["record_id"], e["data"]["deadline"]) for e in events] == [
        (referral["id"], "respond_by"),
        (referral["id"], "first_contact_by"),
    ]
    assert at(events[0]["data"]["due_at"]) == at(referral["respond_by"])
    assert at(events[1]["data"]["due_at"]) == at(accepted.json()["first_contact_by"])


async def test_rejecting_needs_a_reason_the_sender_then_reads(
    cases_client: httpx.AsyncClient, facility_x: dict, facility_y: dict
) -> None:
    referral = await refer(
        cases_client, facility_x, await risky_case(cases_client, facility_x, "high")
    )
    for note in ({}, {"note": "   "}):
        refused = await step(cases_client, facility_y, referral, status="rejected", **note)
        assert refused.status_code == 422
        assert refused.json()["code"] == "reason_required"
        assert refused.json()["errors"][0]["loc"] == ["body", "note"]
    unknown = await cases_client.post(
        f"/api/v1/referrals/{uuid.uuid4()}/transitions",
        json={"status": "rejected"},
        headers={**facility_y, "If-Match": '"1"'},
    )
    assert unknown.json()["code"] == "reason_required", "the body is judged before the record"
    reason = "Cơ sở đã hết chỗ, đề nghị chuyển Trung tâm CTXH tỉnh"
    await step_ok(cases_client, facility_y, referral, status="rejected", note=reason)
    read = await cases_client.get(f"/api/v1/referrals/{referral['id']}", headers=facility_x)
    assert (read.json()["status"], read.json()["response_note"]) == ("rejected", reason)
    assert read.json()["answered_at"] is not None
    rejected = await events_of(cases_client, facility_x, "referral.rejected")
    assert reason not in str(rejected)


async def test_the_outcome_flows_back_to_the_referring_side_as_codes(
    cases_client: httpx.AsyncClient, facility_x: dict, facility_y: dict
) -> None:
    referral = await refer(
        cases_client, facility_x, await risky_case(cases_client, facility_x, "medium")
    )
    await step_ok(cases_client, facility_y, referral, status="accepted")
    sender_contacts = await step(cases_client, facility_x, referral, status="contacted")
    assert sender_contacts.status_code == 403
    too_early = await step(cases_client, facility_y, referral, status="contacted", outcome="x")
    assert too_early.status_code == 422
    await step_ok(cases_client, facility_y, referral, status="contacted")
    for body, field in (
        ({}, "outcome"),
        ({"outcome": "services_delivered"}, "services_delivered"),
    ):
        refused = await step(cases_client, facility_y, referral, status="completed", **body)
        assert refused.status_code == 422
        assert refused.json()["code"] == "outcome_required"
        assert refused.json()["errors"][0]["loc"] == ["body", field]
    note = "Cháu tiến bộ rõ sau 10 buổi trị liệu"
    await step_ok(
        cases_client,
        facility_y,
        referral,
        status="completed",
        outcome="partially_delivered",
        services_delivered=["rehabilitation"],
        note=note,
    )

    read = await cases_client.get(f"/api/v1/referrals/{referral['id']}", headers=facility_x)
    assert (read.json()["outcome"], read.json()["services_delivered"]) == (
        "partially_delivered",
        ["rehabilitation"],
    )
    sent = await cases_client.get("/api/v1/referrals?direction=outgoing", headers=facility_x)
    (listed,) = [r for r in sent.json()["items"] if r["id"] == referral["id"]]
    assert listed["outcome"] == "partially_delivered"
    (completed,) = await events_of(cases_client, facility_x, "referral.completed")
    assert completed["data"]["outcome"] == "partially_delivered"
    assert completed["data"]["services_delivered"] == ["rehabilitation"]
    every = await cases_client.get("/api/v1/events", headers=facility_x)
    mine = [e for e in every.json()["items"] if e["record_id"] == referral["id"]]
    assert [e["type"] for e in mine] == [
        "referral.made",
        "referral.accepted",
        "referral.contacted",
        "referral.completed",
    ]
    assert note not in str(mine)
    assert "phục hồi chức năng" not in str(mine).lower(), "the referral's reason stays out"
    history = await cases_client.get(
        f"/api/v1/cases/{referral['case_id']}/history", headers=facility_x
    )
    steps = [e["action"] for e in history.json()["items"] if e["entity_id"] == referral["id"]]
    assert steps == ["created", "accepted", "contacted", "completed"]


async def test_referral_counts_for_reporting_per_window_and_province(
    cases_client: httpx.AsyncClient,
    facility_y: dict,
    officer_hp: dict,
    token: TokenFactory,
    clock: MoveClock,
) -> None:
    gia_lai = officer(token, province="52")
    made = [
        await refer(
            cases_client, officer_hp, await risky_case(cases_client, officer_hp, "critical")
        )
        for _ in range(4)
    ]
    await refer(
        cases_client,
        gia_lai,
        await risky_case(cases_client, gia_lai, "critical", ward_code="21583"),
    )
    on_time, rejected, waiting, late = made
    clock(hours=1)
    await step_ok(cases_client, facility_y, on_time, status="accepted")
    await step_ok(cases_client, facility_y, rejected, status="rejected", note="hết chỗ")
    clock(hours=5)
    await step_ok(cases_client, facility_y, late, status="accepted")

    day = at(on_time["created_at"]).date()
    window = {"from": str(day - timedelta(days=1)), "to": str(day + timedelta(days=1))}
    answer = await cases_client.get(
        "/api/v1/stats/referrals", params={**window, "province": HP}, headers=officer_hp
    )
    assert answer.status_code == 200, answer.text
    counts = {"made": 4, "accepted": 2, "responded_on_time": 2, "overdue": 2}
    assert answer.json()["totals"] == counts
    assert [(w["key"], w["made"]) for w in answer.json()["by_ward"]] == [("10525", 4)]
    before = {"from": "2025-01-01", "to": "2025-01-31", "province": HP}
    earlier = await cases_client.get("/api/v1/stats/referrals", params=before, headers=officer_hp)
    assert earlier.json()["totals"]["made"] == 0
    assert waiting["id"] not in str(answer.json()), "counts, not records"


async def test_the_first_contact_comes_only_after_acceptance(
    cases_client: httpx.AsyncClient, facility_x: dict, facility_y: dict
) -> None:
    referral = await refer(
        cases_client, facility_x, await risky_case(cases_client, facility_x, "low")
    )
    not_yet = await step(cases_client, facility_y, referral, status="contacted")
    assert not_yet.status_code == 409
    assert not_yet.json()["allowed"] == ["accepted", "rejected", "cancelled"]
