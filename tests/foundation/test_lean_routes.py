"""Lean routes answer exactly as FastAPI would: the same request, served both ways, gets the
same status, headers that matter and body (shared.lean)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.routing import iter_route_contexts
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel

from shared.auth import Role
from shared.db import SessionDep
from shared.lean import LeanRoute, check_lean_routes, lean_get
from tests.cases.factories import create_case, create_person, officer
from tests.conftest import TokenFactory

PURPOSE = "X-Access-Purpose"
TOO_LONG = "x" * 301


@contextmanager
def served_the_ordinary_way(app: FastAPI) -> Iterator[None]:
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"lean_routes": False})
    try:
        yield
    finally:
        app.state.settings = settings


def _comparable(answer: httpx.Response) -> tuple[int, str | None, str | None, Any]:
    body = answer.json()
    if isinstance(body, dict):
        body.pop("request_id", None)  # each request has its own
    return answer.status_code, answer.headers.get("ETag"), answer.headers["content-type"], body


Request_ = tuple[str, dict[str, str], dict[str, str]]  # path, headers, query


def _requests(record: str, token: TokenFactory) -> list[Request_]:
    mine, sensitive = officer(token), officer(token, sensitive=True)
    elsewhere = officer(token, province="01")
    ministry = token(Role.MINISTRY)
    unknown = "/api/v1/persons/00000000-0000-7000-8000-000000000000"
    return [
        (record, mine, {}),
        (record, {**sensitive, PURPOSE: "r%C3%A0%20so%C3%A1t"}, {}),  # "rà soát", encoded
        (record, sensitive, {"purpose": "  "}),
        (record, mine, {"purpose": TOO_LONG}),
        (record, {**mine, PURPOSE: TOO_LONG}, {}),
        (record, {**mine, PURPOSE: TOO_LONG}, {"purpose": TOO_LONG}),
        (record, {}, {}),
        (record, {"Authorization": "Basic dXNlcjpwYXNz"}, {}),
        (record, {"Authorization": "Bearer not-a-token"}, {}),
        (record, {}, {"purpose": TOO_LONG}),
        (record, ministry, {}),
        (record, elsewhere, {}),
        (unknown, mine, {}),
        ("/api/v1/persons/not-a-uuid", mine, {}),
        ("/api/v1/persons/not-a-uuid", {}, {}),
        ("/api/v1/persons/not-a-uuid", mine, {"purpose": TOO_LONG}),
        ("/api/v1/cases/12345", {**mine, PURPOSE: TOO_LONG}, {}),
    ]


async def _both_ways(
    client: httpx.AsyncClient, app: FastAPI, requests: list[Request_]
) -> tuple[list[Any], list[Any]]:
    lean = [_comparable(await client.get(p, headers=h, params=q)) for p, h, q in requests]
    with served_the_ordinary_way(app):
        ordinary = [_comparable(await client.get(p, headers=h, params=q)) for p, h, q in requests]
    return lean, ordinary


async def test_a_person_read_answers_alike_both_ways(
    apps: dict[str, FastAPI], cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    person = await create_person(
        cases_client, officer(token, sensitive=True), hiv_status="positive"
    )
    requests = _requests(f"/api/v1/persons/{person['id']}", token)
    lean, ordinary = await _both_ways(cases_client, apps["cases"], requests)
    for request, one, other in zip(requests, lean, ordinary, strict=True):
        assert one == other, request
    # The cases the table is for: found, the sensitive part, each kind of refusal.
    statuses = [status for status, *_ in lean]
    assert statuses == [
        200,
        200,
        200,
        *[422] * 3,
        *[401] * 3,
        422,
        403,
        404,
        404,
        422,
        401,
        422,
        422,
    ]
    assert lean[1][3]["sensitive"]["hiv_status"] == "positive"
    assert lean[2][3]["sensitive"] is None  # a blank purpose is none
    # Errors come in FastAPI's order: the reader's query and header, then the route's path.
    assert [e["loc"] for e in lean[5][3]["errors"]] == [["query", "purpose"], ["header", PURPOSE]]
    assert [e["loc"] for e in lean[15][3]["errors"]] == [
        ["query", "purpose"],
        ["path", "person_id"],
    ]


async def test_a_case_read_answers_alike_both_ways(
    apps: dict[str, FastAPI], cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    person = await create_person(cases_client, officer(token))
    case = await create_case(cases_client, officer(token), person["id"])
    requests = _requests(f"/api/v1/cases/{case['id']}", token)
    lean, ordinary = await _both_ways(cases_client, apps["cases"], requests)
    for request, one, other in zip(requests, lean, ordinary, strict=True):
        assert one == other, request
    assert lean[0][0] == 200
    assert lean[0][3]["case_number"] == case["case_number"]


async def test_both_ways_log_the_same_read_and_a_refused_read_logs_nothing(
    apps: dict[str, FastAPI], cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    sensitive = officer(token, sensitive=True)
    person = await create_person(cases_client, sensitive)
    url = f"/api/v1/persons/{person['id']}"
    await cases_client.get(url, headers=officer(token, province="01"))  # 404: not theirs
    await cases_client.get(url, headers=sensitive, params={"purpose": "lean"})
    with served_the_ordinary_way(apps["cases"]):
        await cases_client.get(url, headers=sensitive, params={"purpose": "ordinary"})
    log = (await cases_client.get(f"{url}/access-log", headers=officer(token))).json()["items"]
    reads = [(e["record_type"], e["sensitive"], e["purpose"]) for e in log]
    registered = ("person", False, None)  # the answer to the registration is a read too
    assert reads == [("person", True, "ordinary"), ("person", True, "lean"), registered]


class _Body(BaseModel):
    name: str


async def _a_session_user(connection: SessionDep) -> None:
    return None


@pytest.mark.parametrize(
    "endpoint",
    [
        pytest.param(lambda: _returns_a_model, id="returns a model"),
        pytest.param(lambda: _takes_a_body, id="takes a body"),
        pytest.param(lambda: _takes_a_session, id="a dependency that yields"),
        pytest.param(lambda: _takes_one_dependency_twice, id="one dependency twice"),
    ],
)
def test_what_a_lean_route_cannot_serve_is_refused_when_declared(
    endpoint: Callable[[], Callable[..., Any]],
) -> None:
    with pytest.raises(TypeError):
        lean_get(APIRouter(), "/things/{thing_id}")(endpoint())


async def _returns_a_model(thing_id: int) -> _Body:
    return _Body(name=str(thing_id))


async def _takes_a_body(thing_id: int, body: _Body) -> Response:
    return Response()


async def _takes_a_session(
    thing_id: int, user: Annotated[None, Depends(_a_session_user)]
) -> Response:
    return Response()


async def _the_request_again(request: Request) -> Request:
    return request


async def _takes_one_dependency_twice(
    thing_id: int,
    first: Annotated[Request, Depends(_the_request_again)],
    second: Annotated[Request, Depends(_the_request_again)],
) -> Response:
    return Response()


async def _served(thing_id: int, request: Request) -> Response:
    return Response(str(thing_id))


def test_a_lean_route_takes_no_dependencies_from_its_router() -> None:
    router = APIRouter()
    lean_get(router, "/things/{thing_id}")(_served)
    app = FastAPI()
    app.include_router(router, dependencies=[Depends(_a_session_user)])
    assert any(isinstance(r.original_route, LeanRoute) for r in iter_route_contexts(app.routes))
    with pytest.raises(TypeError, match="no dependencies from its router"):
        check_lean_routes(app.routes)


def _scope(path: str, query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None) -> dict:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": headers or [],
    }


def test_the_fast_lane_takes_only_what_the_stack_would_pass_untouched(
    apps: dict[str, FastAPI],
) -> None:
    lane = apps["cases"].fast_lane
    assert lane is not None
    person = "/api/v1/persons/01234567-89ab-7def-8123-456789abcdef"
    assert lane.lane_for(_scope(person)) is not None
    assert lane.lane_for(_scope("/api/v1/cases/anything")) is not None  # its 422 is the route's
    assert lane.lane_for(_scope(f"{person}/history")) is None
    assert lane.lane_for(_scope(person, b"purpose=%01")) is None  # the limits answer that
    assert lane.lane_for(_scope(person, b"q=" + b"x" * 9000)) is None
    assert lane.lane_for(_scope(person, headers=[(b"content-length", b"2")])) is None
    with served_the_ordinary_way(apps["cases"]):
        assert lane.lane_for(_scope(person)) is None


async def _person_reads_counted(client: httpx.AsyncClient) -> float:
    metrics = await client.get("/metrics")
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics.text)
        if family.name == "http_requests"
        for sample in family.samples
        if sample.name == "http_requests_total"
        and sample.labels["route"] == "/api/v1/persons/{person_id}"
        and sample.labels["status"] == "200"
    )


async def test_a_read_in_the_fast_lane_is_counted_and_named_like_any_other(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    person = await create_person(cases_client, officer(token))
    before = await _person_reads_counted(cases_client)
    read = await cases_client.get(f"/api/v1/persons/{person['id']}", headers=officer(token))
    assert read.status_code == 200
    assert read.headers["x-request-id"]
    assert await _person_reads_counted(cases_client) == before + 1
