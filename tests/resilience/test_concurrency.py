"""What holds when requests race each other through two processes of a service."""

import asyncio
import itertools
import uuid
from typing import Any

import httpx
import uuid_utils

from tests.resilience.conftest import RoundRobin, Stack, trial_plan

TRIES = 20
WARD = "10525"  # Phường Hải Dương, province 31


def _person(name: str | None = None) -> dict[str, Any]:
    return {
        "full_name": name or f"Người {uuid.uuid4().hex[:8]}",
        "sex": "female",
        "ward_code": WARD,
    }


async def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _case(cases: RoundRobin) -> dict[str, Any]:
    person = await _ok(await cases.next().post("/api/v1/persons", json=_person()))
    body = {"person_id": person["id"], "intake_source": "community", "opened_date": "2025-01-02"}
    return await _ok(await cases.next().post("/api/v1/cases", json=body))


async def test_the_changes_feed_delivers_every_record_written_concurrently(
    cases: RoundRobin,
) -> None:
    """Writers on both processes while a client polls: every acknowledged person and case
    reaches the client, none left behind its cursor."""
    written: set[str] = set()
    seen: set[str] = set()
    cursor = "0"
    feed = (await cases.next().get("/api/v1/changes")).json()
    cursor = feed["next_since"]  # start from now: only what the writers add matters

    async def writer(n: int) -> None:
        for _ in range(15):
            made = await cases.next().post("/api/v1/persons", json=_person())
            if made.status_code == 201:
                written.add(made.json()["id"])
                body = {"person_id": made.json()["id"], "intake_source": "community"}
                opened = await cases.next().post("/api/v1/cases", json=body)
                if opened.status_code == 201:
                    written.add(opened.json()["id"])

    async def poll_once() -> bool:
        nonlocal cursor
        page = await cases.next().get("/api/v1/changes", params={"since": cursor, "limit": 7})
        assert page.status_code == 200, page.text
        body = page.json()
        for change in body["items"]:
            record = change["person"] or change["case"]
            seen.add(record["id"])
        cursor = body["next_since"]
        return bool(body["has_more"])

    writers = asyncio.gather(*(writer(n) for n in range(8)))
    while not writers.done():
        await poll_once()
    await writers
    while await poll_once():
        pass
    assert written, "nothing was written"
    missed = written - seen
    assert not missed, f"{len(missed)} of {len(written)} records never reached the client"


async def test_the_events_feed_gives_every_event_once_while_cases_open_concurrently(
    cases: RoundRobin,
) -> None:
    """Cases opened on both processes while an integrator pages the events feed: each
    opening reaches it exactly once, none behind its cursor, none twice."""
    opened: set[str] = set()
    seen: list[str] = []
    cursor = (await cases.next().get("/api/v1/events")).json()["next_after"]

    async def writer() -> None:
        for _ in range(10):
            made = await cases.next().post("/api/v1/persons", json=_person())
            if made.status_code != 201:
                continue
            body = {"person_id": made.json()["id"], "intake_source": "community"}
            case = await cases.next().post("/api/v1/cases", json=body)
            if case.status_code == 201:
                opened.add(case.json()["id"])

    async def poll_once() -> bool:
        nonlocal cursor
        params = {"after": cursor, "limit": 7, "type": "case.opened"}
        page = await cases.next().get("/api/v1/events", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        seen.extend(event["case_id"] for event in body["items"])
        cursor = body["next_after"]
        return bool(body["has_more"])

    writers = asyncio.gather(*(writer() for _ in range(8)))
    while not writers.done():
        await poll_once()
    await writers
    while await poll_once():
        pass
    assert opened, "nothing was written"
    assert len(seen) == len(set(seen)), "an event came twice"
    assert opened - set(seen) == set(), "events left behind the cursor"


async def test_one_plan_is_approved_and_one_withdrawal_recorded(cases: RoundRobin) -> None:
    case = await _case(cases)
    base = f"/api/v1/cases/{case['id']}"
    plans = [
        await _ok(
            await cases.next().post(
                f"{base}/plans",
                json={"drafted_on": "2025-01-03", "goals": [{"description": f"Mục tiêu {n}"}]},
            )
        )
        for n in range(TRIES)
    ]
    approval = {
        "approved_by": "Chủ tịch",
        "approver_title": "Chủ tịch UBND",
        "approved_on": "2025-01-04",
    }
    same = await asyncio.gather(
        *(
            cases.next().post(f"{base}/plans/{plans[0]['id']}/approval", json=approval)
            for _ in range(TRIES)
        )
    )
    assert sorted(r.status_code for r in same) == [200] * 1 + [409] * (TRIES - 1), [
        r.text for r in same
    ]
    await asyncio.gather(
        *(cases.next().post(f"{base}/plans/{p['id']}/approval", json=approval) for p in plans[1:])
    )
    in_force = [
        p
        for p in (await cases.next().get(f"{base}/plans")).json()["items"]
        if p["status"] == "approved"
    ]
    assert len(in_force) == 1

    consent = await _ok(
        await cases.next().post(
            f"{base}/consents",
            json={"purpose": "sharing", "given_by": "both", "given_on": "2025-01-03"},
        )
    )
    withdrawals = await asyncio.gather(
        *(
            cases.next().post(
                f"{base}/consents/{consent['id']}/withdrawal", json={"withdrawn_on": "2025-02-01"}
            )
            for _ in range(TRIES)
        )
    )
    assert sorted(r.status_code for r in withdrawals) == [200] + [409] * (TRIES - 1)
    history = (await cases.next().get(f"{base}/history")).json()["items"]
    assert sum(e["action"] == "withdrawn" for e in history) == 1


async def test_posts_and_allowances_never_overlap(workforce: RoundRobin) -> None:
    facility = {
        "code": f"R-{uuid.uuid4().hex[:6]}",
        "name": "Trung tâm",
        "kind": "social_assistance",
        "sector": "social",
        "ward_code": WARD,
    }
    place = await _ok(await workforce.next().post("/api/v1/facilities", json=facility))
    someone = await _ok(
        await workforce.next().post("/api/v1/workers", json={"full_name": "Cán bộ", "sex": "male"})
    )
    url = f"/api/v1/workers/{someone['id']}/assignments"
    body = {"facility_id": place["id"], "position_kind": "full_time", "start_date": "2024-01-01"}
    posts = await asyncio.gather(*(workforce.next().post(url, json=body) for _ in range(TRIES)))
    assert sorted(p.status_code for p in posts) == [201] + [409] * (TRIES - 1), [
        p.text for p in posts
    ]
    post_id = next(p.json()["id"] for p in posts if p.status_code == 201)
    changes = await asyncio.gather(
        *(
            workforce.next().post(
                f"/api/v1/assignments/{post_id}/allowances",
                json={
                    "amount_vnd": 5_000_000 + n,
                    "start_date": f"2024-{1 + n % 12:02d}-{1 + n // 12:02d}",
                },
            )
            for n in range(TRIES)
        )
    )
    assert {c.status_code for c in changes} <= {200, 201, 422}, [c.text for c in changes]
    held = (await workforce.next().get(f"/api/v1/assignments/{post_id}")).json()
    periods = sorted((a["start_date"], a["end_date"] or "9999-12-31") for a in held["allowances"])
    assert periods
    assert all(a[1] < b[0] for a, b in itertools.pairwise(periods)), periods
    assert sum(a["end_date"] is None for a in held["allowances"]) == 1


async def test_a_unique_value_raced_is_one_record_and_409s(workforce: RoundRobin) -> None:
    body = {
        "full_name": "Cán bộ trùng",
        "sex": "male",
        "national_id": f"0311{uuid.uuid4().int % 10**8:08d}",
    }
    answers = await asyncio.gather(
        *(workforce.next().post("/api/v1/workers", json=body) for _ in range(TRIES))
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * (TRIES - 1), [
        a.text for a in answers
    ]


async def test_an_offline_id_sent_at_once_is_one_person_and_409s(cases: RoundRobin) -> None:
    """Two phones (or one retrying without a key) send a person with the same chosen id."""
    chosen = str(uuid_utils.uuid7())
    answers = await asyncio.gather(
        *(
            cases.next().post(
                "/api/v1/persons",
                json={**_person(f"Người {n}"), "id": chosen},
                params={"allow_duplicate": "true"},
            )
            for n in range(TRIES)
        )
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * (TRIES - 1), [
        a.text for a in answers
    ]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"id_taken"}


async def test_if_match_and_idempotency_keys_hold_across_the_two_processes(
    cases: RoundRobin,
) -> None:
    person = await _ok(await cases.next().post("/api/v1/persons", json=_person()))
    url = f"/api/v1/persons/{person['id']}"
    changes = await asyncio.gather(
        *(
            cases.next().patch(url, json={"address_line": f"Số {n}"}, headers={"If-Match": '"1"'})
            for n in range(TRIES)
        )
    )
    # Each waits for the one before it, then finds the field changed since its version 1.
    assert sorted(c.status_code for c in changes) == [200] + [409] * (TRIES - 1), [
        c.text for c in changes
    ]
    assert {c.json()["code"] for c in changes if c.status_code == 409} == {"edit_conflict"}
    [winner] = [c.json()["address_line"] for c in changes if c.status_code == 200]
    assert (await cases.next().get(url)).json()["address_line"] == winner

    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = _person("Người gửi lại")
    retries = await asyncio.gather(
        *(cases.next().post("/api/v1/persons", json=body, headers=key) for _ in range(TRIES))
    )
    assert {r.status_code for r in retries} == {201}, [r.text for r in retries]
    assert len({r.json()["id"] for r in retries}) == 1


async def test_twins_sent_at_once_without_a_key_are_one_person(cases: RoundRobin) -> None:
    """A person registered twice at once (a double tap, no Idempotency-Key) is one person:
    the others are told of the likely duplicate, as they would be one after another."""
    body = {**_person(f"Người {uuid.uuid4().hex[:8]}"), "birth_date": "2015-03-04"}
    answers = await asyncio.gather(
        *(cases.next().post("/api/v1/persons", json=body) for _ in range(TRIES))
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * (TRIES - 1), [
        a.text for a in answers
    ]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"possible_duplicate"}


async def test_one_report_per_plan_and_period_when_drafted_at_once(
    stack: Stack, officer: dict[str, str]
) -> None:
    """Drafting one period of one plan from several screens at once makes one report; the
    others get a 409, as they would one after another, never a 500."""
    async with httpx.AsyncClient(base_url=stack.urls("reporting")[0], timeout=60) as reporting:
        created = await reporting.post(
            "/api/v1/plans", json=trial_plan(), headers=stack.token("--role", "admin")
        )
        assert created.status_code == 201, created.text
        body = {"plan_id": created.json()["id"], "period": "2025"}
        answers = await asyncio.gather(
            *(reporting.post("/api/v1/reports", json=body, headers=officer) for _ in range(10))
        )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9, [a.text for a in answers]


async def _open_pairs(cases: RoundRobin, status: str = "open") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"status": status, "limit": 200}
    while True:
        page = await _ok(await cases.next().get("/api/v1/duplicates", params=params))
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        params["cursor"] = page["next_cursor"]


async def test_scans_raced_on_both_processes_queue_each_pair_once_and_keep_a_dismissal(
    cases: RoundRobin,
) -> None:
    """Officers scanning the province at once, on both processes, while one dismisses a
    pair: every pair is queued once, and the dismissal stands."""
    pairs = []
    for given in ("Khang", "Ngọc Ánh", "Đức Huy"):
        name = f"Phan Văn {given} {uuid.uuid4().hex[:6]}"
        body = {**_person(name), "birth_date": "2014-07-09"}
        first = await _ok(await cases.next().post("/api/v1/persons", json=body))
        twin = {**body, "full_name": name.upper(), "birth_date": "2014-09-07"}
        params = {"allow_duplicate": "true"}
        second = await _ok(await cases.next().post("/api/v1/persons", json=twin, params=params))
        pairs.append(frozenset((first["id"], second["id"])))

    scans = await asyncio.gather(*(cases.next().post("/api/v1/duplicates/scan") for _ in range(8)))
    assert {s.status_code for s in scans} == {200}, [s.text for s in scans]
    found = [
        (i, frozenset((i["person_a"]["id"], i["person_b"]["id"]))) for i in await _open_pairs(cases)
    ]
    ours = [item for item, pair in found if pair in pairs]
    assert len(ours) == len(pairs)  # each pair once
    assert {pair for _, pair in found if pair in pairs} == set(pairs)
    assert sum(s.json()["created"] for s in scans) >= len(pairs)

    dismissed = ours[0]
    dismissal = cases.next().post(
        f"/api/v1/duplicates/{dismissed['id']}/dismiss",
        json={"note": "Hai người khác nhau"},
        headers={"If-Match": f'"{dismissed["version"]}"'},
    )
    raced = await asyncio.gather(
        dismissal, *(cases.next().post("/api/v1/duplicates/scan") for _ in range(6))
    )
    assert {r.status_code for r in raced} == {200}, [r.text for r in raced]
    await _ok(await cases.next().post("/api/v1/duplicates/scan"))
    still_open = {i["id"] for i in await _open_pairs(cases)}
    assert dismissed["id"] not in still_open
    assert {i["id"] for i in ours[1:]} <= still_open
    kept = {i["id"] for i in await _open_pairs(cases, "not_duplicate")}
    assert dismissed["id"] in kept
