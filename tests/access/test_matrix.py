"""Every operation of the three OpenAPI documents, called by every role, from inside and
outside the records' unit, with and without sensitive:read and a purpose.

For each answer: no server error; a role outside the operation's policy gets 403; a caller
outside the unit gets 403 or 404 for the unit's records and never sees them in a list; no
sensitive value reaches a caller without the scope and a purpose, and each one that does
leaves an access-log entry; what the ministry receives has its small counts withheld.
"""

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.models import access_log_t
from services.reporting.indicators.catalogue import CATALOGUE
from shared.auth import Role
from tests.access import requests
from tests.access.world import (
    OTHER_PROVINCE,
    OTHER_WARD,
    PROVINCE,
    PURPOSE,
    SENSITIVE_MARKERS,
    TARGET_NAME,
    TARGET_NATIONAL_ID,
    WARD,
    WORKER_NAME,
    World,
    build,
)
from tests.conftest import TokenFactory

RECIPES = {
    "cases": requests.CASES,
    "workforce": requests.WORKFORCE,
    "reporting": requests.REPORTING,
}
OPEN_POLICIES = ("public", "any_caller")  # nothing in the answer is anyone's
TARGET_MARKERS = (TARGET_NAME, TARGET_NATIONAL_ID, WORKER_NAME)
SMALL = range(1, 5)


@dataclass(frozen=True)
class Caller:
    role: Role
    inside: bool | None  # None: a role bound to no unit (ministry, service, admin)
    sensitive: bool
    purpose: bool
    headers: dict[str, str]

    @property
    def sees_sensitive(self) -> bool:
        return self.sensitive and self.purpose

    def __str__(self) -> str:
        where = {True: "inside", False: "outside", None: "national"}[self.inside]
        scope = "+sensitive" if self.sensitive else ""
        return f"{self.role.value}/{where}{scope}{'+purpose' if self.purpose else ''}"


def _units(world: World) -> dict[Role, tuple[dict[str, Any], dict[str, Any]]]:
    """For each role bound to a unit: the claims inside the world's unit, and outside it."""
    facility = {"subject": str(uuid.uuid4()), "facility_id": world["facility"]}
    elsewhere = {"subject": str(uuid.uuid4()), "facility_id": str(uuid.uuid4())}
    return {
        Role.PROVINCE_OFFICER: ({"province_code": PROVINCE}, {"province_code": OTHER_PROVINCE}),
        Role.COMMUNE_WORKER: (
            {"subject": str(uuid.uuid4()), "province_code": PROVINCE, "commune_code": WARD},
            {
                "subject": str(uuid.uuid4()),
                "province_code": OTHER_PROVINCE,
                "commune_code": OTHER_WARD,
            },
        ),
        Role.AGENCY_OFFICER: (
            {"province_code": PROVINCE, "agency_id": world["agency"]},
            {"province_code": OTHER_PROVINCE, "agency_id": str(uuid.uuid4())},
        ),
        Role.FACILITY_WORKER: (facility, elsewhere),
        Role.INTEGRATION: (facility, elsewhere),
    }


def callers(token: TokenFactory, world: World) -> Iterator[Caller]:
    units = _units(world)
    for role in Role:
        places = (
            [(False, units[role][1]), (True, units[role][0])] if role in units else [(None, {})]
        )
        for inside, claims in places:
            for sensitive, purpose in ((False, False), (True, False), (True, True)):
                headers = token(role, scopes=["sensitive:read"] if sensitive else [], **claims)
                if purpose:
                    headers = {**headers, **PURPOSE}
                yield Caller(role, inside, sensitive, purpose, headers)


@dataclass(frozen=True)
class Operation:
    service: str
    operation_id: str
    method: str
    policy: dict[str, Any]
    responses: dict[str, Any] = field(hash=False, compare=False, default_factory=dict)

    @property
    def order(self) -> int:
        """Reads first, then creates and changes; what ends a record's life last."""
        if self.method == "GET":
            return 0
        ending = ("archive", "review", "submit", "step_", "transition", "withdraw", "approve")
        return 2 if any(word in self.operation_id for word in ending) else 1


def operations(apps: dict[str, FastAPI]) -> list[Operation]:
    found = []
    for service, app in apps.items():
        for item in app.openapi()["paths"].values():
            for method, operation in item.items():
                found.append(
                    Operation(
                        service,
                        operation["operationId"],
                        method.upper(),
                        operation["x-access-policy"],
                        operation["responses"],
                    )
                )
    return sorted(found, key=lambda o: (o.order, o.service, o.operation_id))


def test_every_operation_declares_a_policy_and_has_a_request_here(apps: dict[str, FastAPI]) -> None:
    """A route added without a policy stops the app from starting; one added without an entry
    in tests/access/requests.py fails here, so the matrix below always walks everything."""
    for service, app in apps.items():
        document = app.openapi()
        declared = {
            operation["operationId"]
            for item in document["paths"].values()
            for operation in item.values()
        }
        assert declared == set(RECIPES[service]), service
        for item in document["paths"].values():
            for operation in item.values():
                assert operation["x-access-policy"]["name"], operation["operationId"]


async def _sensitive_reads(session: AsyncConnection) -> int:
    query = sa.select(sa.func.count()).select_from(access_log_t).where(access_log_t.c.sensitive)
    return (await session.execute(query)).scalar_one()


def _small_counts_shown(response: httpx.Response) -> list[str]:
    """Counts of people of 1–4 in a ministry answer, whatever its format."""
    shown: list[str] = []
    kind = response.headers.get("content-type", "")
    if kind.startswith("text/csv"):
        rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        values: list[dict[str, Any]] = list(rows)
    elif "json" in kind:
        values = list(_dicts(response.json()))
    else:  # metrics, probes: no counts of people
        return shown
    for value in values:
        if "dataElement" in value:  # DHIS2: CTXH_<indicator>..._<NUM|DEN>
            indicator, part = value["dataElement"].split("_")[1], value["dataElement"][-3:]
            counted = part in ("NUM", "DEN") and CATALOGUE[indicator].about_people
            if counted and int(value["value"]) in SMALL:
                shown.append(f"{value['dataElement']}={value['value']}")
            continue
        indicator = CATALOGUE.get(str(value.get("indicator")))
        if indicator is None or not indicator.about_people:
            continue
        for measure in ("numerator", "denominator"):
            if str(value.get(measure, "")) in {str(n) for n in SMALL}:
                shown.append(f"{value['indicator']}.{measure}={value[measure]}")
    return shown


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _dicts(child)
    elif isinstance(node, list):
        for child in node:
            yield from _dicts(child)


# Headers clients act on: each is declared where it is sent, and sent where it is required.
CONTRACT_HEADERS = ("ETag", "Location", "Idempotent-Replayed")


def _header_problems(operation: Operation, response: httpx.Response) -> list[str]:
    declared = operation.responses.get(str(response.status_code))
    if declared is None:
        return [f"answered {response.status_code}, which the document does not declare"]
    problems = []
    is_problem = response.headers.get("content-type", "").startswith("application/problem+json")
    if is_problem and response.json().get("code") not in declared.get("x-problem-codes", []):
        problems.append(f"answered code {response.json().get('code')}, undeclared")
    headers = declared.get("headers", {})
    sent = [name for name in CONTRACT_HEADERS if name in response.headers]
    missing = [name for name, h in headers.items() if h.get("required") and name not in sent]
    return (
        problems
        + [f"sent {name}, undeclared" for name in sent if name not in headers]
        + [f"did not send the required {name}" for name in missing]
    )


def _problems(
    operation: Operation,
    call: requests.Call,
    caller: Caller,
    response: httpx.Response,
    logged: bool,
) -> list[str]:
    problems = _header_problems(operation, response)
    status, text = response.status_code, response.text
    allowed = operation.policy["name"] == "public" or caller.role.value in operation.policy["roles"]
    if status >= 500 or status == 401:
        problems.append(f"answered {status}")
    if not allowed and status != 403:
        problems.append(f"role outside the policy answered {status}, not 403")
    outside = allowed and caller.inside is False and caller.role not in call.unbounded
    if outside and call.kind == "one" and status not in call.outside:
        problems.append(f"outside the unit answered {status}, not one of {call.outside}")
    reads_own = allowed and caller.inside is True and call.kind == "one"
    if reads_own and operation.method == "GET" and status != 200:
        problems.append(f"inside the unit answered {status}, not 200")
    if caller.inside is not True and any(marker in text for marker in TARGET_MARKERS):
        problems.append("a record of another unit is in the answer")
    # The reporting service counts every category (it publishes nothing itself): its counts
    # are not reads of anyone's record.
    counting = caller.role == Role.SERVICE and operation.policy["name"] == "aggregates"
    if operation.policy["name"] not in OPEN_POLICIES and not counting:
        seen = [marker for marker in SENSITIVE_MARKERS if marker in text]
        if seen and not caller.sees_sensitive:
            problems.append(f"sensitive values without scope and purpose: {seen}")
        if seen and status < 300 and operation.service == "cases" and not logged:
            problems.append(f"sensitive values read without an access-log entry: {seen}")
    entitled = allowed and caller.inside and caller.sees_sensitive
    officer = caller.role == Role.PROVINCE_OFFICER
    shown = any(marker in text for marker in SENSITIVE_MARKERS)
    if call.shows_sensitive and entitled and officer and not shown:
        problems.append("the sensitive part is missing for a reader entitled to it")
    if caller.role == Role.MINISTRY and status < 300 and (small := _small_counts_shown(response)):
        problems.append(f"small counts left the province: {small[:5]}")
    return problems


async def _current_etag(
    client: httpx.AsyncClient, call: requests.Call, world: World, readers: dict[Role, dict]
) -> dict[str, str]:
    """If-Match for a change: the ETag its record has right now, read by someone who may."""
    if call.etag_from is None:
        return {}
    read = await client.get(call.etag_from.format(**world.ids), headers=readers[call.etag_reader])
    return {"If-Match": read.headers.get("ETag", '"0"')}


async def _send(
    client: httpx.AsyncClient,
    call: requests.Call,
    world: World,
    caller: Caller,
    etag: dict[str, str],
    **params: str,
) -> httpx.Response:
    return await client.request(
        call.method,
        call.path.format(**world.ids),
        params={**call.params, **params},
        json=call.json(world) if call.json else None,
        content=call.content(world) if call.content else None,
        headers={**caller.headers, **call.headers, **etag},
    )


@pytest.fixture
def clients(
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    reporting_client: httpx.AsyncClient,
) -> dict[str, httpx.AsyncClient]:
    return {"cases": cases_client, "workforce": workforce_client, "reporting": reporting_client}


async def test_who_sees_what_for_every_operation_role_and_unit(
    apps: dict[str, FastAPI],
    clients: dict[str, httpx.AsyncClient],
    token: TokenFactory,
    plans: dict[str, str],
    live_sources: None,
) -> None:
    world = await build(clients, token, plans)
    everyone = list(callers(token, world))
    readers = {
        Role.PROVINCE_OFFICER: {
            **token(Role.PROVINCE_OFFICER, province_code=PROVINCE, scopes=["sensitive:read"]),
            **PURPOSE,
        },
        Role.MINISTRY: token(Role.MINISTRY),
    }
    cases_session: AsyncConnection = clients["cases"].session  # type: ignore[attr-defined]
    failures: list[str] = []
    withheld_seen = False
    for operation in operations(apps):
        call = RECIPES[operation.service][operation.operation_id]
        client = clients[operation.service]
        formats = (
            requests.MINISTRY_FORMATS
            if operation.operation_id == "list_indicator_values"
            else (None,)
        )
        for caller in everyone:
            for fmt in formats:
                # Read first: the reader's own (logged) read must not count as this call's.
                etag = await _current_etag(client, call, world, readers)
                before = await _sensitive_reads(cases_session)
                extra = {"format": fmt} if fmt else {}
                response = await _send(client, call, world, caller, etag, **extra)
                logged = await _sensitive_reads(cases_session) > before
                for problem in _problems(operation, call, caller, response, logged):
                    failures.append(
                        f"{operation.service} {operation.operation_id} {fmt or ''} {caller}: "
                        f"{problem}"
                    )
                if caller.role == Role.MINISTRY and fmt == "json" and response.status_code == 200:
                    withheld_seen |= any(v["suppressed"] for v in response.json()["items"])
    assert not failures, "\n".join(failures[:80]) + f"\n({len(failures)} in all)"
    # The world holds a count of one child: had nothing been withheld, the check above would
    # have proved nothing.
    assert withheld_seen
