"""Merging two records of one person, and undoing the merge exactly."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.models import access_log_t
from services.cases.case.models import case_t
from services.cases.casework.models import consent_t, service_t
from services.cases.common import history
from services.cases.main import create_app
from services.cases.person.models import category_t, person_t
from shared import migrations
from shared.auth import Role
from shared.dates import today_in_vietnam
from shared.db import Database, make_engine
from shared.testing import fresh_database, server_url
from tests.cases.factories import (
    FACILITY_X,
    PURPOSE,
    WARD_A,
    WARD_B,
    WARD_GL,
    create_case,
    create_person,
    officer,
    post_ok,
    with_key,
)
from tests.conftest import TokenFactory, settings_for
from tools.services import migrations_of

TODAY = today_in_vietnam()
WINDOW = {
    "from": (TODAY - timedelta(days=300)).isoformat(),
    "to": TODAY.isoformat(),
    "province": "31",
}
# What a merge and its undo may move forward; everything else must come back as it was.
MOVING_COLUMNS = {"version", "updated_at", "change_seq"}


@pytest.fixture
def hp(token: TokenFactory) -> dict[str, str]:
    return {**officer(token, sensitive=True), **PURPOSE}


async def _merge(
    client: httpx.AsyncClient, headers: dict, survivor: str, merged: str, **keep: str
) -> httpx.Response:
    body = {"survivor_id": survivor, "merged_id": merged, "keep": keep}
    return await client.post("/api/v1/person-merges", json=body, headers=with_key(headers))


async def _merged(
    client: httpx.AsyncClient, headers: dict, survivor: str, merged: str, **keep: str
) -> dict:
    answer = await _merge(client, headers, survivor, merged, **keep)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _unmerge(client: httpx.AsyncClient, headers: dict, merge: dict) -> httpx.Response:
    return await client.post(
        f"/api/v1/person-merges/{merge['id']}/unmerge",
        headers={**headers, "If-Match": f'"{merge["version"]}"'},
    )


async def _history(client: httpx.AsyncClient, headers: dict, person_id: str) -> list[dict]:
    answer = await client.get(f"/api/v1/persons/{person_id}/history", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def _child_with_a_case(
    client: httpx.AsyncClient, headers: dict, **person: Any
) -> tuple[dict, dict]:
    """A child with a case, a consent on it and a service delivered in the window."""
    child = await create_person(client, headers, **person)
    case = await create_case(client, headers, child["id"], opened_date=WINDOW["from"])
    base = f"/api/v1/cases/{case['id']}"
    given = {"purpose": "services", "given_by": "guardian", "given_on": WINDOW["from"]}
    await post_ok(client, f"{base}/consents", headers, given)
    service = {
        "service_type": "counselling",
        "funding_source": "socialised",
        "delivered_on": TODAY.isoformat(),
    }
    await post_ok(client, f"{base}/services", headers, service)
    return child, case


async def _twins(client: httpx.AsyncClient, headers: dict) -> tuple[dict, dict, dict, dict]:
    """Two records of one child, made by two workers, each with a case."""
    survivor, kept_case = await _child_with_a_case(
        client, headers, phone="0912345678", categories=["orphan_without_support"]
    )
    merged, moved_case = await _child_with_a_case(
        client,
        headers,
        full_name="Nguyễn Văn Đức",
        phone="0987654321",
        national_id="031215000123",
        categories=["child_with_hiv"],
        hiv_status="positive",
        ward_code=WARD_B,
    )
    return survivor, kept_case, merged, moved_case


async def _rows(session: AsyncConnection, person_ids: list[str]) -> dict[str, list[dict]]:
    """Every row about these people, but the columns that only move forward."""
    ids = [uuid.UUID(i) for i in person_ids]
    cases = sa.select(case_t.c.id).where(case_t.c.person_id.in_(ids))
    case_ids = list((await session.execute(cases)).scalars())
    queries = {
        "person": sa.select(person_t).where(person_t.c.id.in_(ids)),
        "person_category": sa.select(category_t).where(category_t.c.person_id.in_(ids)),
        "case_file": sa.select(case_t).where(case_t.c.id.in_(case_ids)),
        "service_delivery": sa.select(service_t).where(service_t.c.case_id.in_(case_ids)),
        "consent": sa.select(consent_t).where(consent_t.c.case_id.in_(case_ids)),
        "access_log": sa.select(access_log_t).where(access_log_t.c.person_id.in_(ids)),
        "history_event": sa.select(history).where(
            sa.or_(history.c.entity_id.in_(ids + case_ids), history.c.parent_id.in_(ids + case_ids))
        ),
    }
    found = {}
    for name, query in queries.items():
        rows = [
            {k: v for k, v in row._asdict().items() if k not in MOVING_COLUMNS}
            for row in await session.execute(query)
        ]
        found[name] = sorted(rows, key=lambda r: str(sorted(r.items())))
    return found


async def _counts(client: httpx.AsyncClient, headers: dict) -> dict[str, Any]:
    """Every count the reporting service takes from cases for the province."""
    paths = [
        "/api/v1/stats/priority-children",
        "/api/v1/stats/people-supported",
        "/api/v1/stats/referrals",
        *(f"/api/v1/stats/people?group_by={d}" for d in ("category", "sex", "ward")),
    ]
    counts = {}
    for path in paths:
        answer = await client.get(path, params=WINDOW, headers=headers)
        assert answer.status_code == 200, answer.text
        counts[path] = {k: v for k, v in answer.json().items() if k != "as_of"}
    return counts


async def _case_total(client: httpx.AsyncClient, headers: dict) -> int:
    answer = await client.get("/api/v1/cases", params={"limit": 200}, headers=headers)
    assert answer.status_code == 200, answer.text
    return len(answer.json()["items"])


async def test_a_merge_moves_cases_consents_services_and_access_log_and_keeps_both_histories(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor, _kept_case, merged, moved_case = await _twins(cases_client, hp)
    read = await cases_client.get(f"/api/v1/persons/{merged['id']}", headers=hp)
    assert read.status_code == 200
    merged_reads = await cases_client.get(f"/api/v1/persons/{merged['id']}/access-log", headers=hp)
    read_entries = len(merged_reads.json()["items"])
    assert read_entries >= 1

    merge = await _merged(
        cases_client, hp, survivor["id"], merged["id"], national_id="merged", ward_code="merged"
    )

    assert merge["status"] == "merged"
    assert merge["moved"]["cases"] == [moved_case["id"]]
    assert len(merge["moved"]["service_deliveries"]) == 1
    assert merge["moved"]["access_log_entries"] == read_entries
    assert set(merge["changed_fields"]) == {"national_id", "ward_code"}
    case = (await cases_client.get(f"/api/v1/cases/{moved_case['id']}", headers=hp)).json()
    assert case["person"]["id"] == survivor["id"]
    consents = await cases_client.get(f"/api/v1/cases/{moved_case['id']}/consents", headers=hp)
    assert len(consents.json()["items"]) == 1
    now = (await cases_client.get(f"/api/v1/persons/{survivor['id']}", headers=hp)).json()
    assert now["national_id"] == "031215000123"
    assert now["ward_code"] == WARD_B
    assert now["phone"] == "0912345678"  # not chosen: the survivor's own
    assert now["categories"] == ["orphan_without_support"]
    assert now["sensitive"]["categories"] == ["child_with_hiv"]  # the union
    log = await cases_client.get(f"/api/v1/persons/{survivor['id']}/access-log", headers=hp)
    assert len(log.json()["items"]) >= read_entries + 1
    kept = [e["action"] for e in await _history(cases_client, hp, survivor["id"])]
    gone = await _history(cases_client, hp, merged["id"])
    assert kept[0] == "created"
    assert "absorbed" in kept
    assert next(e["action"] for e in gone) == "created"
    (into,) = [e for e in gone if e["action"] == "merged_into"]
    assert into["changes"]["survivor_id"] == survivor["id"]
    (absorbed,) = [
        e for e in await _history(cases_client, hp, survivor["id"]) if e["action"] == "absorbed"
    ]
    assert absorbed["changes"]["merged_id"] == merged["id"]
    assert absorbed["changes"]["merge_id"] == merge["id"]


async def test_the_old_id_redirects_and_writes_to_it_answer_409_naming_the_survivor(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp, national_id="031215000456")
    before = await cases_client.get(f"/api/v1/persons/{merged['id']}", headers=hp)
    await _merged(cases_client, hp, survivor["id"], merged["id"])

    log = f"/api/v1/persons/{survivor['id']}/access-log"
    reads = len((await cases_client.get(log, headers=hp)).json()["items"])
    read = await cases_client.get(f"/api/v1/persons/{merged['id']}", headers=hp)
    assert read.status_code == 307
    assert read.headers["Location"] == f"/api/v1/persons/{survivor['id']}"
    # Nothing was read, so nothing is logged.
    assert len((await cases_client.get(log, headers=hp)).json()["items"]) == reads
    archived = await cases_client.post(
        f"/api/v1/persons/{merged['id']}/archive",
        headers={**hp, "If-Match": before.headers["ETag"]},
    )
    assert archived.status_code == 409
    assert archived.json()["code"] == "person_merged"
    moving = await cases_client.post(
        f"/api/v1/persons/{merged['id']}/transfers",
        json={"ward_code": WARD_GL, "reason": "Chuyển nơi ở"},
        headers=hp,
    )
    assert moving.status_code == 409
    assert moving.json()["survivor_id"] == survivor["id"]
    patch = await cases_client.patch(
        f"/api/v1/persons/{merged['id']}",
        json={"phone": "0911111111"},
        headers={**hp, "If-Match": before.headers["ETag"]},
    )
    assert patch.status_code == 409
    assert patch.json()["code"] == "person_merged"
    assert patch.json()["survivor_id"] == survivor["id"]
    body = {"person_id": merged["id"], "intake_source": "community"}
    opened = await cases_client.post("/api/v1/cases", json=body, headers=hp)
    assert opened.status_code == 409
    assert opened.json()["survivor_id"] == survivor["id"]
    listed = await cases_client.get("/api/v1/persons", params={"limit": 200}, headers=hp)
    assert merged["id"] not in {p["id"] for p in listed.json()["items"]}
    # The alias kept its national ID: registering it again names the survivor.
    again = await cases_client.post(
        "/api/v1/persons",
        json={
            "full_name": "Ai Đó",
            "sex": "male",
            "ward_code": WARD_A,
            "national_id": "031215000456",
        },
        headers=hp,
    )
    assert again.status_code == 409
    assert again.json()["existing_id"] == survivor["id"]
    feed = await cases_client.get("/api/v1/changes", params={"limit": 200}, headers=hp)
    (alias,) = [c for c in feed.json()["items"] if (c["person"] or {}).get("id") == merged["id"]]
    assert alias["archived"] is True
    assert alias["person"]["merged_into_id"] == survivor["id"]


async def test_a_merge_then_its_undo_leaves_every_record_history_and_count_as_before(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor, _, merged, _ = await _twins(cases_client, hp)
    await cases_client.get(f"/api/v1/persons/{merged['id']}", headers=hp)  # an access-log entry
    session: AsyncConnection = cases_client.session  # type: ignore[attr-defined]
    ids = [survivor["id"], merged["id"]]
    rows_before = await _rows(session, ids)
    counts_before = await _counts(cases_client, hp)
    cases_before = await _case_total(cases_client, hp)

    merge = await _merged(
        cases_client,
        hp,
        survivor["id"],
        merged["id"],
        national_id="merged",
        full_name="merged",
        phone="merged",
        ward_code="merged",
        hiv_status="merged",
    )
    counts_merged = await _counts(cases_client, hp)
    people = "/api/v1/stats/people?group_by=sex"
    assert counts_merged[people]["total"] == counts_before[people]["total"] - 1
    supported = "/api/v1/stats/people-supported"
    assert counts_merged[supported]["total"] == counts_before[supported]["total"] - 1
    assert await _case_total(cases_client, hp) == cases_before
    assert counts_merged["/api/v1/stats/referrals"] == counts_before["/api/v1/stats/referrals"]

    undone = await _unmerge(cases_client, hp, merge)
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "unmerged"
    assert undone.json()["version"] == merge["version"] + 1

    rows_after = await _rows(session, ids)
    # Logs only grow (the reads and counts since are entries too): what was there is intact.
    for log in ("access_log", "history_event"):
        was = {e["id"]: e for e in rows_before.pop(log)}
        now = {e["id"]: e for e in rows_after.pop(log)}
        assert {k: now.get(k) for k in was} == was, log
    added = [e["action"] for k, e in now.items() if k not in was]  # the history's, last
    assert added.count("unmerged") == 2
    assert "merged_into" in added
    assert "absorbed" in added
    assert rows_after == rows_before
    assert await _counts(cases_client, hp) == counts_before
    read = await cases_client.get(f"/api/v1/persons/{merged['id']}", headers=hp)
    assert read.status_code == 200
    assert read.json()["national_id"] == "031215000123"
    again = await _unmerge(cases_client, hp, undone.json())
    assert again.status_code == 409
    assert again.json()["code"] == "merge_undone"


async def test_versions_move_forward_through_a_merge_and_its_undo(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp)
    merge = await _merged(cases_client, hp, survivor["id"], merged["id"])
    assert (await _unmerge(cases_client, hp, merge)).status_code == 200
    for person in (survivor, merged):
        now = await cases_client.get(f"/api/v1/persons/{person['id']}", headers=hp)
        # Made (1), merged (2), then undone (3): an ETag never names two states.
        assert now.json()["version"] == 3


async def test_an_undo_is_refused_once_the_survivor_changed_after_the_merge(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp)
    merge = await _merged(cases_client, hp, survivor["id"], merged["id"])
    current = await cases_client.get(f"/api/v1/persons/{survivor['id']}", headers=hp)
    changed = await cases_client.patch(
        f"/api/v1/persons/{survivor['id']}",
        json={"address_line": "Số 5 Trần Phú"},
        headers={**hp, "If-Match": current.headers["ETag"]},
    )
    assert changed.status_code == 200

    refused = await _unmerge(cases_client, hp, merge)
    assert refused.status_code == 409
    assert refused.json()["code"] == "merge_superseded"
    assert refused.json()["changed"] == ["address_line"]


async def test_a_case_opened_on_the_survivor_after_the_merge_stays_with_it_on_undo(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp)
    moved = await create_case(cases_client, hp, merged["id"])
    merge = await _merged(cases_client, hp, survivor["id"], merged["id"])
    later = await create_case(cases_client, hp, survivor["id"])
    assert (await _unmerge(cases_client, hp, merge)).status_code == 200
    owner = {
        case["id"]: (await cases_client.get(f"/api/v1/cases/{case['id']}", headers=hp)).json()
        for case in (moved, later)
    }
    assert owner[moved["id"]]["person"]["id"] == merged["id"]
    assert owner[later["id"]]["person"]["id"] == survivor["id"]


async def test_only_an_officer_of_the_peoples_province_may_merge(
    cases_client: httpx.AsyncClient, hp: dict, token: TokenFactory, commune_worker: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp)
    facility = token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)
    for headers in (commune_worker, facility, token(Role.MINISTRY)):
        answer = await _merge(cases_client, headers, survivor["id"], merged["id"])
        assert answer.status_code == 403, answer.text
    elsewhere = await _merge(
        cases_client, officer(token, province="52"), survivor["id"], merged["id"]
    )
    assert elsewhere.status_code == 404
    assert elsewhere.json()["code"] == "person_not_found"
    merge = await _merged(cases_client, hp, survivor["id"], merged["id"])
    other = officer(token, province="52")
    read = await cases_client.get(f"/api/v1/person-merges/{merge['id']}", headers=other)
    assert read.status_code == 404
    listed = await cases_client.get("/api/v1/person-merges", headers=other)
    assert merge["id"] not in {m["id"] for m in listed.json()["items"]}
    assert (await _unmerge(cases_client, other, merge)).status_code == 404


async def test_choosing_the_merged_records_sensitive_value_needs_sensitive_read(
    cases_client: httpx.AsyncClient, hp: dict, officer_hp: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp, hiv_status="positive")
    refused = await _merge(
        cases_client, officer_hp, survivor["id"], merged["id"], hiv_status="merged"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "sensitive_write_forbidden"
    kept = await _merge(cases_client, officer_hp, survivor["id"], merged["id"], phone="merged")
    assert kept.status_code == 201


async def test_a_merge_names_why_it_cannot_be_made(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    a, b, c, d = [await create_person(cases_client, hp) for _ in range(4)]
    same = await _merge(cases_client, hp, a["id"], a["id"])
    assert same.json()["code"] == "merge_same_person"
    await _merged(cases_client, hp, b["id"], a["id"])
    alias = await _merge(cases_client, hp, c["id"], a["id"])
    assert alias.status_code == 409
    assert alias.json()["code"] == "merge_alias"
    assert alias.json()["survivor_id"] == b["id"]
    chain = await _merge(cases_client, hp, c["id"], b["id"])
    assert chain.status_code == 409
    assert chain.json()["code"] == "merge_chain"
    current = await cases_client.get(f"/api/v1/persons/{d['id']}", headers=hp)
    await cases_client.post(
        f"/api/v1/persons/{d['id']}/archive", headers={**hp, "If-Match": current.headers["ETag"]}
    )
    leaving = await create_person(cases_client, hp)
    asked = {"ward_code": WARD_GL, "reason": "Chuyển nơi ở"}
    await post_ok(cases_client, f"/api/v1/persons/{leaving['id']}/transfers", hp, asked)
    pending = await _merge(cases_client, hp, c["id"], leaving["id"])
    assert pending.status_code == 409
    assert pending.json()["code"] == "merge_transfer_pending"
    archived = await _merge(cases_client, hp, c["id"], d["id"])
    assert archived.status_code == 409
    assert archived.json()["code"] == "merge_archived"


async def test_a_retried_merge_replays_its_answer(
    cases_client: httpx.AsyncClient, hp: dict
) -> None:
    survivor = await create_person(cases_client, hp)
    merged = await create_person(cases_client, hp)
    body = {"survivor_id": survivor["id"], "merged_id": merged["id"]}
    headers = with_key(hp)
    first = await cases_client.post("/api/v1/person-merges", json=body, headers=headers)
    again = await cases_client.post("/api/v1/person-merges", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    listed = await cases_client.get(
        "/api/v1/person-merges", params={"person_id": merged["id"]}, headers=hp
    )
    assert [m["id"] for m in listed.json()["items"]] == [first.json()["id"]]
    read = await cases_client.get(f"/api/v1/person-merges/{first.json()['id']}", headers=hp)
    assert read.json() == first.json()


@pytest.fixture
async def committed(test_dir: Path, dev_key_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A cases database of its own and a client whose requests commit and run at the same
    time, each on its own connection, as in production."""
    if not server_url():
        pytest.skip("concurrent transactions are proven on PostgreSQL")
    url = await fresh_database(f"ctxh_merge_{uuid.uuid4().hex[:8]}", test_dir)
    await asyncio.to_thread(migrations.upgrade, migrations_of("cases"), url)
    app = create_app(settings_for("cases", url, dev_key_path), Database(make_engine(url)))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.database.dispose()


async def test_concurrent_merges_of_one_pair_let_exactly_one_win(
    committed: httpx.AsyncClient, hp: dict
) -> None:
    for _ in range(5):
        a = await create_person(committed, hp)
        b = await create_person(committed, hp)
        answers = await asyncio.gather(
            _merge(committed, hp, a["id"], b["id"]),
            _merge(committed, hp, b["id"], a["id"]),
            _merge(committed, hp, a["id"], b["id"]),
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201, 409, 409], [a.text for a in answers]
        assert {a.json()["code"] for a in answers if a.status_code == 409} == {"merge_alias"}


async def test_a_chain_merged_at_once_lets_exactly_one_win(
    committed: httpx.AsyncClient, hp: dict
) -> None:
    for _ in range(5):
        a, b, c = [await create_person(committed, hp) for _ in range(3)]
        # A into B while B into C: B would be both a survivor and an alias.
        answers = await asyncio.gather(
            _merge(committed, hp, b["id"], a["id"]), _merge(committed, hp, c["id"], b["id"])
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201, 409], [a.text for a in answers]
        (lost,) = [a for a in answers if a.status_code == 409]
        assert lost.json()["code"] in ("merge_alias", "merge_chain")


async def test_a_merge_and_an_undo_raced_leave_one_consistent_state(
    committed: httpx.AsyncClient, hp: dict
) -> None:
    a, b = [await create_person(committed, hp) for _ in range(2)]
    first = await _merged(committed, hp, a["id"], b["id"])
    answers = await asyncio.gather(_unmerge(committed, hp, first), _unmerge(committed, hp, first))
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"merge_undone"}
    read = await committed.get(f"/api/v1/persons/{b['id']}", headers=hp)
    assert read.status_code == 200
    assert read.json()["merged_into_id"] is None
