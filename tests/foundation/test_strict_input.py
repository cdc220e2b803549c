"""What clients send is taken as written: dates only as `YYYY-MM-DD` (never seconds since
1970), instants only as ISO 8601 with an offset, numbers and flags only as JSON numbers and
booleans (never `true` for 1), and download names that any client can read.

The API tests walk the three OpenAPI documents, so a field or parameter added later is held to
the same rule without a new test."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from fastapi import FastAPI
from pydantic import TypeAdapter, ValidationError

from shared.access import route_policies
from shared.auth import Role
from shared.dates import Day, Instant
from shared.responses import attachment
from tests.conftest import TokenFactory

DAY = TypeAdapter(Day)
INSTANT = TypeAdapter(Instant)
NOT_A_DAY = [1700000000, "1700000000", 1.7e9, True, "2025-01-01T00:00:00", "20250101",
             "2025-1-1", "01/02/2025", "2025-01-01\n", "٢٠٢٥-٠١-٠١", None, []]  # fmt: skip


@pytest.mark.parametrize("value", NOT_A_DAY, ids=repr)
def test_a_day_is_only_written_yyyy_mm_dd(value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        DAY.validate_python(value)
    assert raised.value.errors()[0]["type"] == "date_format"


def test_a_day_that_does_not_exist_is_refused_and_a_real_one_read() -> None:
    with pytest.raises(ValidationError):
        DAY.validate_python("2025-02-30")
    assert DAY.validate_python("2024-02-29") == date(2024, 2, 29)
    assert DAY.validate_json('"2025-01-31"') == date(2025, 1, 31)
    assert DAY.validate_python(date(2025, 1, 31)) == date(2025, 1, 31)  # from our own code


@pytest.mark.parametrize(
    "value",
    [1700000000, "1700000000", "2025-01-01", "2025-01-01T00:00:00", "2025-01-01T00:00:00+7"],
    ids=repr,
)
def test_an_instant_is_only_iso_8601_with_its_offset(value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        INSTANT.validate_python(value)
    assert raised.value.errors()[0]["type"] == "datetime_format"


def test_an_instant_with_its_offset_is_read() -> None:
    assert INSTANT.validate_python("2025-01-01T07:00:00+07:00") == datetime(2025, 1, 1, tzinfo=UTC)
    assert INSTANT.validate_python("2025-01-01T00:00Z") == datetime(2025, 1, 1, tzinfo=UTC)


# --- every date a client sends, in every service ---------------------------------------

# A role each policy lets in, tried in this order; claims enough for any of them.
ROLE_ORDER = [Role.PROVINCE_OFFICER, Role.SERVICE, Role.ADMIN, Role.MINISTRY, Role.AGENCY_OFFICER]
CLAIMS = {"province_code": "31", "scopes": ["sensitive:read"]}
PURPOSE = {"X-Access-Purpose": "kiem tra"}


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


DATES = ("date", "date-time")
SCALARS = ("integer", "number", "boolean")


def _format(document: dict, schema: dict, kinds: tuple[str, ...] = DATES) -> str | None:
    """The kind ("date", "date-time", "integer", "number", "boolean") of a schema that is one
    (or one or null), among those asked for."""
    schema = _resolve(document, schema)
    for option in [schema, *schema.get("anyOf", [])]:
        option = _resolve(document, option)
        kind = option.get("format") if option.get("type") == "string" else option.get("type")
        if kind in kinds:
            return str(kind)
    return None


def _typed_fields(
    document: dict, schema: dict, kinds: tuple[str, ...] = DATES, depth: int = 0
) -> Iterator[tuple[list, str]]:
    """(path, kind) of every field of those kinds in a body schema, nested objects and lists
    included."""
    schema = _resolve(document, schema)
    for name, prop in schema.get("properties", {}).items():
        if (found := _format(document, prop, kinds)) is not None:
            yield [name], found
            continue
        if depth > 3:
            continue
        for option in [_resolve(document, prop), *prop.get("anyOf", [])]:
            option = _resolve(document, option)
            if option.get("type") == "array":
                items = option.get("items", {})
                for path, kind in _typed_fields(document, items, kinds, depth + 1):
                    yield [name, 0, *path], kind
            elif "properties" in option:
                for path, kind in _typed_fields(document, option, kinds, depth + 1):
                    yield [name, *path], kind


def _nested(path: list, value: Any) -> Any:
    if not path:
        return value
    inner = _nested(path[1:], value)
    return [inner] if isinstance(path[0], int) else {path[0]: inner}


def _url(path: str, operation: dict) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            schema = parameter.get("schema", {})
            filler = schema.get("enum", ["00000000-0000-4000-8000-000000000001"])[0]
            path = path.replace("{" + parameter["name"] + "}", str(filler))
    return path


def _date_inputs(app: FastAPI) -> list[tuple[str, str, str, list, str, dict]]:
    """(method, path, where, loc, format, operation) of every date a client may send."""
    document = app.openapi()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if (fmt := _format(document, parameter.get("schema", {}))) is not None:
                    found.append((method, path, "query", [parameter["name"]], fmt, operation))
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = content["application/json"]["schema"]
                for loc, fmt in _typed_fields(document, schema):
                    found.append((method, path, "body", loc, fmt, operation))
    return found


def test_every_service_takes_dates_from_clients(apps: dict[str, FastAPI]) -> None:
    """The walk below finds what it must: a guard against it silently testing nothing."""
    found = {
        name: {(m, p, w, tuple(loc)) for m, p, w, loc, _, _ in _date_inputs(app)}
        for name, app in apps.items()
    }
    assert ("post", "/api/v1/persons", "body", ("birth_date",)) in found["cases"]
    assert ("post", "/api/v1/cases/{case_id}/plans", "body", ("goals", 0, "target_date")) in (
        found["cases"]
    )
    assert ("get", "/api/v1/stats/workers", "query", ("on",)) in found["workforce"]
    assert ("get", "/api/v1/ministry/indicator-values", "query", ("changed_since",)) in (
        found["reporting"]
    )


async def test_no_date_from_a_client_is_read_from_a_number(
    any_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    token: TokenFactory,
    request: pytest.FixtureRequest,
) -> None:
    app = apps[request.node.callspec.params["any_client"]]
    policies = route_policies(app)
    inputs = _date_inputs(app)
    assert inputs
    for method, path, where, loc, fmt, operation in inputs:
        role = next(r for r in ROLE_ORDER if r in policies[(method, path)].roles)
        headers = {**token(role, **CLAIMS), **PURPOSE}
        url = _url(path, operation)
        for value in (1700000000, "1700000000", "2025-01-01T00:00:00"):
            if where == "query":
                response = await any_client.request(
                    method, url, params={loc[0]: value}, headers=headers
                )
            else:
                response = await any_client.request(
                    method, url, json=_nested(loc, value), headers=headers
                )
            assert response.status_code == 422, (method, path, loc, response.text)
            errors = {tuple(e["loc"]): e["type"] for e in response.json()["errors"]}
            expected = "date_format" if fmt == "date" else "datetime_format"
            assert errors.get((where, *loc)) == expected, (method, path, loc, value, errors)


def _scalar_inputs(app: FastAPI) -> list[tuple[str, str, list, str, dict]]:
    """(method, path, loc, kind, operation) of every number or flag in a JSON body."""
    document = app.openapi()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = content["application/json"]["schema"]
                for loc, kind in _typed_fields(document, schema, SCALARS):
                    found.append((method, path, loc, kind, operation))
    return found


# What lax parsing would read as the number or flag the document asks for.
WRONG_JSON_TYPE = {
    "integer": [True, False, "1", 1.5],
    "number": [True, False, "1.5"],
    "boolean": [1, 0, "true", "yes"],
}
TYPE_ERRORS = {"integer": "int_type", "number": "float_type", "boolean": "bool_type"}


def test_every_service_takes_numbers_and_flags_from_clients(apps: dict[str, FastAPI]) -> None:
    """The walk below finds what it must: a guard against it silently testing nothing."""
    found = {
        name: {(m, p, tuple(loc), kind) for m, p, loc, kind, _ in _scalar_inputs(app)}
        for name, app in apps.items()
    }
    assert ("post", "/api/v1/persons", ("birth_date_estimated",), "boolean") in found["cases"]
    assert ("put", "/api/v1/manual-values", ("participants",), "integer") in found["reporting"]
    assert ("post", "/api/v1/plans", ("targets", 0, "value"), "number") in found["reporting"]
    assert any(kind == "integer" for *_, kind in found["workforce"])


async def test_no_number_or_flag_from_a_client_is_read_from_another_json_type(
    any_client: httpx.AsyncClient,
    apps: dict[str, FastAPI],
    token: TokenFactory,
    request: pytest.FixtureRequest,
) -> None:
    """`"participants": false` once passed as 0 and reached the handler, which answered
    something other than 422: a generated client's schema would never send it."""
    app = apps[request.node.callspec.params["any_client"]]
    policies = route_policies(app)
    inputs = _scalar_inputs(app)
    assert inputs
    for method, path, loc, kind, operation in inputs:
        role = next(r for r in ROLE_ORDER if r in policies[(method, path)].roles)
        headers = {**token(role, **CLAIMS), **PURPOSE}
        for value in WRONG_JSON_TYPE[kind]:
            response = await any_client.request(
                method, _url(path, operation), json=_nested(loc, value), headers=headers
            )
            assert response.status_code == 422, (method, path, loc, value, response.text)
            errors = {tuple(e["loc"]): e["type"] for e in response.json()["errors"]}
            assert errors.get(("body", *loc), "").startswith(TYPE_ERRORS[kind]), (
                method, path, loc, value, errors,
            )  # fmt: skip


# --- downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["bao-cao-HD-2025.xlsx", "báo-cáo-HĐ-Hải Dương-2025@2025-11-30.xlsx", "中文.csv",
     'a"b\\c/d;e%f\r\nSet-Cookie: x.csv'],
)  # fmt: skip
def test_a_download_name_is_latin_1_with_the_real_name_in_filename_star(name: str) -> None:
    header = attachment(name)["Content-Disposition"]
    header.encode("latin-1")  # what an HTTP server can send; anything else is a 500
    assert header.isascii()
    assert not {"\r", "\n"} & set(header)
    plain, star = header.removeprefix('attachment; filename="').split("\"; filename*=UTF-8''")
    assert not {'"', "\\", "/", "%"} & set(plain)
    assert unquote(star) == name.replace("\r", "_").replace("\n", "_").replace("/", "_").replace(
        "\\", "_"
    )
    assert star == quote(unquote(star), safe="")


def test_a_vietnamese_download_name_keeps_its_letters_without_marks() -> None:
    header = attachment("báo-cáo-HĐ-Hải Dương-2025.xlsx")["Content-Disposition"]
    assert header.startswith('attachment; filename="bao-cao-HD-Hai Duong-2025.xlsx"; ')


async def test_ministry_csv_downloads_under_a_name_any_client_reads(
    reporting_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await reporting_client.get(
        "/api/v1/ministry/indicator-values",
        params={"format": "csv"},
        headers=token(Role.MINISTRY),
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"ctxh-values.csv\"; filename*=UTF-8''ctxh-values.csv"
    )


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("2025-01-01", 422),  # a day is not an instant: midnight where?
        ("2025-01-01T00:00:00", 422),  # no offset: the same question
        ("1700000000", 422),
        ("2025-01-01T00:00:00+07:00", 200),
        ("2025-01-01T00:00:00Z", 200),
    ],
)
async def test_changed_since_is_an_instant_with_its_offset(
    reporting_client: httpx.AsyncClient, token: TokenFactory, since: str, status: int
) -> None:
    for path in ("/api/v1/ministry/indicator-values", "/api/v1/ministry/reports"):
        response = await reporting_client.get(
            path, params={"changed_since": since}, headers=token(Role.MINISTRY)
        )
        assert response.status_code == status, (path, response.text)


# --- statistics windows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "path", "extra"),
    [
        ("cases", "/api/v1/stats/people-supported", {}),
        ("workforce", "/api/v1/stats/workers", {"on": "2025-06-30"}),
    ],
)
@pytest.mark.parametrize(
    ("window", "loc"),
    [
        ({"from": "2025-01-01", "to": "0016-01-01"}, "to"),  # once a 500
        ({"from": "0016-01-01", "to": "2025-01-01"}, "from"),
        ({"from": "2025-01-01", "to": "2101-01-01"}, "to"),
        ({"from": "2025-06-01", "to": "2025-01-01"}, "to"),  # ends before it starts
        ({"from": "2025-01-01", "to": "1700000000"}, "to"),
    ],
)
async def test_a_stats_window_lies_within_1900_to_2100_in_order(
    cases_client: httpx.AsyncClient,
    workforce_client: httpx.AsyncClient,
    token: TokenFactory,
    service: str,
    path: str,
    extra: dict,
    window: dict,
    loc: str,
) -> None:
    client = cases_client if service == "cases" else workforce_client
    response = await client.get(path, params={**window, **extra}, headers=token(Role.SERVICE))
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["query", loc]]


@pytest.mark.parametrize("on", ["0016-01-01", "2101-01-01", "1700000000"])
async def test_a_workforce_stats_day_lies_within_1900_to_2100(
    workforce_client: httpx.AsyncClient, token: TokenFactory, on: str
) -> None:
    response = await workforce_client.get(
        "/api/v1/stats/facilities", params={"on": on}, headers=token(Role.SERVICE)
    )
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["query", "on"]]


async def test_a_stats_window_within_bounds_is_answered(
    cases_client: httpx.AsyncClient, workforce_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    window = {"from": "1900-01-01", "to": "2100-12-31"}
    for client, path, extra in [
        (cases_client, "/api/v1/stats/people-supported", {}),
        (workforce_client, "/api/v1/stats/workers", {"on": "2100-12-31"}),
    ]:
        response = await client.get(path, params={**window, **extra}, headers=token(Role.SERVICE))
        assert response.status_code == 200, response.text
