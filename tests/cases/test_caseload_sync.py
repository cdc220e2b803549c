"""`GET /changes?scope=caseload`: a commune worker's phone syncs only its own caseload, and
never misses a record of it, whatever is assigned, reassigned or written meanwhile."""

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from shared.auth import Role
from shared.testing import server_url
from tests.cases.factories import HP, WARD_A, create_case, create_person, officer
from tests.cases.referrals import refer, step_ok
from tests.conftest import TokenFactory

Key = tuple[str, str]


def _key(change: dict[str, Any]) -> Key:
    """What a change is about: (type, id)."""
    if change["type"] == "left_caseload":
        return ("left_caseload", change["case_id"])
    return (change["type"], change[change["type"]]["id"])


async def _page(
    client: httpx.AsyncClient, headers: dict, since: str = "0", limit: int = 100
) -> dict[str, Any]:
    params = {"scope": "caseload", "since": since, "limit": limit}
    answer = await client.get("/api/v1/changes", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def _sync(
    client: httpx.AsyncClient, headers: dict, since: str = "0", limit: int = 100
) -> tuple[list[dict[str, Any]], str]:
    """Every change after `since`, following `has_more`; and the cursor to keep."""
    items: list[dict[str, Any]] = []
    while True:
        page = await _page(client, headers, since, limit)
        items += page["items"]
        since = page["next_since"]
        if not page["has_more"]:
            return items, since


async def _reassign(
    client: httpx.AsyncClient, headers: dict, case_id: str, worker: uuid.UUID | None
) -> httpx.Response:
    url = f"/api/v1/cases/{case_id}"
    current = await client.get(url, headers=headers)
    assert current.status_code == 200, current.text
    body = {"assigned_worker_id": None if worker is None else str(worker)}
    return await client.patch(
        url, json=body, headers={**headers, "If-Match": current.headers["ETag"]}
    )


async def _assign(
    client: httpx.AsyncClient, headers: dict, case_id: str, worker: uuid.UUID | None
) -> None:
    changed = await _reassign(client, headers, case_id, worker)
    assert changed.status_code == 200, changed.text


async def _assigned_case(
    client: httpx.AsyncClient, headers: dict, worker: uuid.UUID | None, **person: Any
) -> tuple[dict, dict]:
    made = await create_person(client, headers, **person)
    assigned = {} if worker is None else {"assigned_worker_id": str(worker)}
    return made, await create_case(client, headers, made["id"], **assigned)


@pytest.fixture
def colleague_id() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def colleague(token: TokenFactory, colleague_id: uuid.UUID) -> dict[str, str]:
    """Another commune worker of the same ward."""
    return token(
        Role.COMMUNE_WORKER, subject=str(colleague_id), province_code=HP, commune_code=WARD_A
    )


async def test_the_caseload_is_exactly_my_cases_their_people_and_referrals(
    cases_client: httpx.AsyncClient,
    officer_hp: dict,
    commune_worker: dict,
    worker_id: uuid.UUID,
    colleague_id: uuid.UUID,
    facility_y: dict,
) -> None:
    mine, my_case = await _assigned_case(cases_client, officer_hp, worker_id)
    sent = await refer(cases_client, officer_hp, my_case)
    theirs, their_case = await _assigned_case(cases_client, officer_hp, colleague_id)
    await refer(cases_client, officer_hp, their_case)
    await _assigned_case(cases_client, officer_hp, None, full_name="Chưa ai nhận")
    await create_person(cases_client, officer_hp, full_name="Không có hồ sơ")

    items, cursor = await _sync(cases_client, commune_worker)
    assert sorted(_key(c) for c in items) == sorted(
        [("person", mine["id"]), ("case", my_case["id"]), ("referral", sent["id"])]
    )
    # The same worker's unit feed has the whole ward: the caseload is a real filter.
    unit = await cases_client.get("/api/v1/changes", headers=commune_worker)
    assert ("person", theirs["id"]) in {_key(c) for c in unit.json()["items"]}

    # The receiving facility's answer to my referral is a change of my caseload too.
    await step_ok(cases_client, facility_y, sent, status="accepted")
    later, _ = await _sync(cases_client, commune_worker, cursor)
    # The case too: something inside it changed.
    assert sorted(_key(c) for c in later) == [("case", my_case["id"]), ("referral", sent["id"])]
    assert later[-1]["referral"]["status"] == "accepted"


async def test_a_case_assigned_to_me_brings_its_older_person_and_referrals(
    cases_client: httpx.AsyncClient,
    officer_hp: dict,
    commune_worker: dict,
    worker_id: uuid.UUID,
    colleague_id: uuid.UUID,
) -> None:
    theirs, their_case = await _assigned_case(cases_client, officer_hp, colleague_id)
    referral = await refer(cases_client, officer_hp, their_case)
    await _assigned_case(cases_client, officer_hp, worker_id)
    _, cursor = await _sync(cases_client, commune_worker)

    await _assign(cases_client, officer_hp, their_case["id"], worker_id)
    items, _ = await _sync(cases_client, commune_worker, cursor)
    assert sorted(_key(c) for c in items) == sorted(
        [("person", theirs["id"]), ("case", their_case["id"]), ("referral", referral["id"])]
    )
    assert all(c["change_seq"] > int(cursor) for c in items)


async def test_a_reassigned_case_tells_me_to_drop_it(
    cases_client: httpx.AsyncClient,
    officer_hp: dict,
    commune_worker: dict,
    colleague: dict,
    worker_id: uuid.UUID,
    colleague_id: uuid.UUID,
) -> None:
    alone, alone_case = await _assigned_case(cases_client, officer_hp, worker_id)
    twice, first = await _assigned_case(cases_client, officer_hp, worker_id)
    second = await create_case(
        cases_client, officer_hp, twice["id"], assigned_worker_id=str(worker_id)
    )
    _, cursor = await _sync(cases_client, commune_worker)
    _, their_cursor = await _sync(cases_client, colleague)

    await _assign(cases_client, officer_hp, alone_case["id"], colleague_id)
    await _assign(cases_client, officer_hp, first["id"], None)
    items, _ = await _sync(cases_client, commune_worker, cursor)
    # The person of the first goes with it; the other is still held by my second case.
    assert [(c["type"], c["case_id"], c["person_id"]) for c in items] == [
        ("left_caseload", alone_case["id"], alone["id"]),
        ("left_caseload", first["id"], None),
    ]
    theirs, _ = await _sync(cases_client, colleague, their_cursor)
    assert sorted(_key(c) for c in theirs) == [("case", alone_case["id"]), ("person", alone["id"])]

    await _assign(cases_client, officer_hp, second["id"], colleague_id)
    last, _ = await _sync(cases_client, commune_worker, str(items[-1]["change_seq"]))
    assert [(c["type"], c["case_id"], c["person_id"]) for c in last] == [
        ("left_caseload", second["id"], twice["id"])
    ]


async def test_a_case_moved_to_another_province_leaves_my_caseload(
    cases_client: httpx.AsyncClient,
    officer_hp: dict,
    commune_worker: dict,
    worker_id: uuid.UUID,
    token: TokenFactory,
) -> None:
    person, case = await _assigned_case(cases_client, officer_hp, worker_id)
    _, cursor = await _sync(cases_client, commune_worker)
    asked = await cases_client.post(
        f"/api/v1/persons/{person['id']}/transfers",
        json={"ward_code": "21583", "reason": "Gia đình chuyển về Quy Nhơn"},
        headers=officer_hp,
    )
    assert asked.status_code == 201, asked.text
    accepted = await cases_client.post(
        f"/api/v1/transfers/{asked.json()['id']}/transitions",
        json={"status": "accepted"},
        headers={**officer(token, province="52"), "If-Match": '"1"'},
    )
    assert accepted.status_code == 200, accepted.text
    items, _ = await _sync(cases_client, commune_worker, cursor)
    assert [(c["type"], c["case_id"], c["person_id"]) for c in items] == [
        ("left_caseload", case["id"], person["id"])
    ]


@pytest.mark.parametrize("limit", [1, 2, 5])
async def test_a_first_sync_pages_every_record_once(
    cases_client: httpx.AsyncClient,
    officer_hp: dict,
    commune_worker: dict,
    worker_id: uuid.UUID,
    colleague_id: uuid.UUID,
    limit: int,
) -> None:
    expected: list[Key] = []
    for n in range(6):
        person, case = await _assigned_case(cases_client, officer_hp, worker_id)
        expected += [("person", person["id"]), ("case", case["id"])]
        if n % 2:
            referral = await refer(cases_client, officer_hp, case)
            expected.append(("referral", referral["id"]))
        await _assigned_case(cases_client, officer_hp, colleague_id)
    # Entered late: the case, its older person and referral share the assignment's number.
    theirs, their_case = await _assigned_case(cases_client, officer_hp, colleague_id)
    referral = await refer(cases_client, officer_hp, their_case)
    await _assign(cases_client, officer_hp, their_case["id"], worker_id)
    expected += [("person", theirs["id"]), ("case", their_case["id"]), ("referral", referral["id"])]

    items, _ = await _sync(cases_client, commune_worker, limit=limit)
    assert sorted(_key(c) for c in items) == sorted(expected)  # each once, nothing else
    numbers = [c["change_seq"] for c in items]
    assert numbers == sorted(numbers)


async def test_a_page_never_ends_inside_one_number(
    cases_client: httpx.AsyncClient,
    officer_hp: dict,
    commune_worker: dict,
    worker_id: uuid.UUID,
    colleague_id: uuid.UUID,
) -> None:
    _, case = await _assigned_case(cases_client, officer_hp, colleague_id)
    for _ in range(3):
        await refer(cases_client, officer_hp, case)
    await _assign(cases_client, officer_hp, case["id"], worker_id)
    page = await _page(cases_client, commune_worker, limit=2)
    # Five records entered at one number: a page of two would have lost the other three.
    assert len(page["items"]) == 5
    assert {c["change_seq"] for c in page["items"]} == {int(page["next_since"])}


async def test_a_caller_without_a_worker_identity_has_no_caseload(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    nameless = token(Role.COMMUNE_WORKER, subject="ctxh-kiosk", commune_code=WARD_A)
    for headers in (officer_hp, nameless):
        answer = await cases_client.get(
            "/api/v1/changes", params={"scope": "caseload"}, headers=headers
        )
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "no_caseload"


class Phone:
    """What a phone keeps: records by (type, id), as the feed last sent them."""

    def __init__(self) -> None:
        self.records: dict[Key, dict[str, Any]] = {}
        self.cursor = "0"

    def apply(self, change: dict[str, Any]) -> None:
        if change["type"] == "left_caseload":
            self.records.pop(("case", change["case_id"]), None)
            for key, record in list(self.records.items()):
                if key[0] == "referral" and record["case_id"] == change["case_id"]:
                    del self.records[key]
            if change["person_id"] is not None:
                self.records.pop(("person", change["person_id"]), None)
        else:
            self.records[_key(change)] = change[change["type"]]

    async def poll(self, client: httpx.AsyncClient, headers: dict, limit: int) -> bool:
        page = await _page(client, headers, self.cursor, limit)
        for change in page["items"]:
            self.apply(change)
        self.cursor = page["next_since"]
        return bool(page["has_more"])


async def _truth(client: httpx.AsyncClient, headers: dict, worker: uuid.UUID) -> dict[Key, int]:
    """My caseload as the ordinary reads see it: each record and its version."""
    answer = await client.get(
        "/api/v1/cases", params={"worker_id": str(worker), "limit": 200}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    truth: dict[Key, int] = {}
    for case in answer.json()["items"]:
        truth[("case", case["id"])] = case["version"]
        person = await client.get(f"/api/v1/persons/{case['person']['id']}", headers=headers)
        truth[("person", person.json()["id"])] = person.json()["version"]
        referrals = await client.get(f"/api/v1/cases/{case['id']}/referrals", headers=headers)
        for referral in referrals.json()["items"]:
            truth[("referral", referral["id"])] = referral["version"]
    return truth


@pytest.mark.skipif(not server_url(), reason="concurrent writers need PostgreSQL")
async def test_writers_during_a_sync_never_make_the_phone_miss_a_record(
    committed: tuple[str, httpx.AsyncClient], token: TokenFactory
) -> None:
    """Writers assign cases to me, take them away, refer them and change their people while
    my phone polls in small pages; afterwards the phone holds exactly my caseload, each
    record as it is now."""
    _, client = committed
    me, other = uuid.uuid4(), uuid.uuid4()
    boss = officer(token)
    worker = token(Role.COMMUNE_WORKER, subject=str(me), province_code=HP, commune_code=WARD_A)
    pool = [await _assigned_case(client, boss, other) for _ in range(12)]
    phone = Phone()
    while await phone.poll(client, worker, 3):
        pass

    async def writer(n: int) -> None:
        for i in range(6):
            person, case = pool[(n * 6 + i) % len(pool)]
            if i % 3 == 0:
                await _assigned_case(client, boss, me, full_name=f"Mới {n}-{i}")
            elif i % 3 == 1:
                # Two writers may race for one case: the loser's 412 is fine here.
                await _reassign(client, boss, case["id"], me if (n + i) % 2 else other)
                await refer(client, boss, case)
            else:
                current = await client.get(f"/api/v1/persons/{person['id']}", headers=boss)
                await client.patch(
                    f"/api/v1/persons/{person['id']}",
                    json={"address_line": f"Số {n}-{i}"},
                    headers={**boss, "If-Match": current.headers["ETag"]},
                )

    writers = asyncio.gather(*(writer(n) for n in range(4)))
    polls = 0
    while not writers.done():
        await phone.poll(client, worker, 3)
        polls += 1
    await writers
    assert polls > 5, "the phone hardly polled while the writers ran"
    while await phone.poll(client, worker, 3):
        pass
    truth = await _truth(client, boss, me)
    assert truth, "nothing was assigned to me"
    held = {key: record["version"] for key, record in phone.records.items()}
    assert held == truth
