"""What a request must satisfy before a route sees it: URI length, control characters, body
size and a token before the body; and the problems that malformed requests get."""

import asyncio
import json
import os
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from shared.auth import Role
from shared.auth.dev_keys import load_or_create_private_key
from shared.limits import RequestLimitsMiddleware
from tests.cases.factories import person_payload
from tests.conftest import TokenFactory
from tools.cli import main
from tools.processes import ServiceProcess

MIB = 1024 * 1024
PROBLEM = "application/problem+json"


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def _assert_refused_fields(response: httpx.Response, *locations: list[Any]) -> None:
    body = _assert_problem(response, 422, "validation_failed")
    assert [error["loc"] for error in body["errors"]] == list(locations)
    assert {error["type"] for error in body["errors"]} == {"control_character"}


class Exchange:
    """Calls an ASGI app directly, recording whether it ever asked for the body."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.reads = 0
        self.messages: list[Message] = []

    async def receive(self) -> Message:
        self.reads += 1
        chunk = self.chunks.pop(0) if self.chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(self.chunks)}

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.messages if m["type"] == "http.response.start")

    @property
    def headers(self) -> dict[str, str]:
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        return {k.decode(): v.decode() for k, v in start["headers"]}

    async def run(self, app: Any, method: str, path: str, headers: dict[str, str]) -> None:
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 1),
            "server": ("test", 80),
        }
        await app(scope, self.receive, self.send)


def _json(headers: dict[str, str] | None = None, **more: str) -> dict[str, str]:
    return {"content-type": "application/json", **(headers or {}), **more}


# Body size --------------------------------------------------------------------------------


async def test_declared_body_over_the_limit_is_413_without_being_read(
    probe: FastAPI, token: TokenFactory
) -> None:
    exchange = Exchange([b"x" * MIB, b"x"])
    headers = _json(token(Role.ADMIN), **{"content-length": str(MIB + 1)})
    await exchange.run(probe, "POST", "/api/v1/sink", headers)
    assert exchange.status == 413
    assert exchange.headers["content-type"] == PROBLEM
    assert exchange.reads == 0


async def test_body_at_the_limit_is_read_whole(
    probe_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await probe_client.post(
        "/api/v1/sink", content=b"x" * MIB, headers=token(Role.ADMIN)
    )
    assert response.status_code == 200
    assert response.json() == {"bytes": MIB, "verified_first": True}


async def test_streamed_body_is_413_as_soon_as_it_passes_the_limit(
    probe_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(64):  # 4 MiB in all, with no Content-Length
            sent += 1
            yield b"x" * (64 * 1024)

    response = await probe_client.post("/api/v1/sink", content=chunks(), headers=token(Role.ADMIN))
    body = _assert_problem(response, 413, "payload_too_large")
    assert str(MIB) in body["detail"]
    assert sent == 17  # the 17th chunk of 64 KiB passes 1 MiB; no more is read


async def test_streamed_body_over_the_limit_never_reaches_the_app() -> None:
    called = False

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal called
        called = True

    limited = RequestLimitsMiddleware(app, max_body_bytes=10, max_upload_bytes=10)
    exchange = Exchange([b"12345", b"67890", b"1", b"never read"])
    await exchange.run(limited, "POST", "/upload", {"transfer-encoding": "chunked"})
    assert exchange.status == 413
    assert exchange.reads == 3
    assert not called


async def test_uploads_have_their_own_larger_limit(
    probe_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    admin = token(Role.ADMIN)
    accepted = await probe_client.post(
        "/api/v1/imports/sink", content=b"x" * (5 * MIB), headers=admin
    )
    assert accepted.json() == {"bytes": 5 * MIB, "verified_first": True}
    too_big = await probe_client.post(
        "/api/v1/imports/sink", content=b"x" * (6 * MIB + 1), headers=admin
    )
    _assert_problem(too_big, 413, "payload_too_large")
    elsewhere = await probe_client.post("/api/v1/sink", content=b"x" * (2 * MIB), headers=admin)
    _assert_problem(elsewhere, 413, "payload_too_large")


# A token before the body ------------------------------------------------------------------


@pytest.mark.parametrize(
    "length", [{"content-length": "5000000"}, {"transfer-encoding": "chunked"}]
)
async def test_body_without_a_token_is_401_before_it_is_read(
    apps: dict[str, FastAPI], length: dict[str, str]
) -> None:
    exchange = Exchange([b"x" * (64 * 1024)] * 80)  # 5 MB, were anything to ask for it
    await exchange.run(apps["cases"], "POST", "/api/v1/persons", _json(**length))
    assert exchange.status == 401
    assert exchange.headers["content-type"] == PROBLEM
    assert exchange.headers["www-authenticate"].startswith('Bearer realm="ctxh"')
    assert exchange.reads == 0


async def test_body_with_an_invalid_token_is_401_before_it_is_read(
    apps: dict[str, FastAPI],
) -> None:
    exchange = Exchange([b"{}"])
    headers = _json(authorization="Bearer not-a-jwt", **{"content-length": "2"})
    await exchange.run(apps["cases"], "PATCH", f"/api/v1/persons/{'0' * 32}", headers)
    assert exchange.status == 401
    assert 'error="invalid_token"' in exchange.headers["www-authenticate"]
    assert exchange.reads == 0


async def test_missing_token_gets_the_same_problem_as_from_the_route(
    cases_client: httpx.AsyncClient,
) -> None:
    before_body = await cases_client.post("/api/v1/persons", json=person_payload())
    from_route = await cases_client.get("/api/v1/persons")
    for response in (before_body, from_route):
        body = _assert_problem(response, 401, "unauthorized")
        assert body["detail"] == "a bearer token is required"
    assert before_body.headers["www-authenticate"] == from_route.headers["www-authenticate"]


async def test_public_operation_takes_a_body_without_a_token(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.post("/api/v1/things", json={"name": "a", "count": 1})
    assert response.status_code == 200


# Control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x01", "\t", "\n", "\x1f", "\x7f"])
async def test_control_character_in_a_query_parameter_is_refused(
    probe_client: httpx.AsyncClient, character: str
) -> None:
    response = await probe_client.get(
        "/api/v1/admin-only", params={"page": "1", "note": f"a{character}b"}
    )
    _assert_refused_fields(response, ["query", "note"])


async def test_control_character_in_a_path_segment_names_the_parameter(
    cases_client: httpx.AsyncClient,
) -> None:
    response = await cases_client.get("/api/v1/persons/ab%00cd")
    _assert_refused_fields(response, ["path", "person_id"])


async def test_control_character_in_an_unknown_path_is_refused(
    probe_client: httpx.AsyncClient,
) -> None:
    _assert_refused_fields(await probe_client.get("/api/v1/no%0Dsuch"), ["path"])


async def test_nul_in_a_json_field_is_422_instead_of_reaching_the_database(
    cases_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    officer = token(Role.PROVINCE_OFFICER, province_code="31")
    payload = person_payload(full_name="Nguyễn\u0000Văn")
    response = await cases_client.post("/api/v1/persons", json=payload, headers=officer)
    _assert_refused_fields(response, ["body", "full_name"])


async def test_every_control_character_in_a_body_is_named(
    probe_client: httpx.AsyncClient,
) -> None:
    document = {
        "name": "ok",
        "count": 1,
        "extra": {"k\u0001": ["fine", "b\u007f"], "list": [{"deep": "\u001b[31m"}]},
    }
    response = await probe_client.post("/api/v1/things", json=document)
    _assert_refused_fields(
        response,
        ["body", "extra", "k\u0001"],
        ["body", "extra", "k\u0001", 1],
        ["body", "extra", "list", 0, "deep"],
    )


async def test_tab_newline_and_carriage_return_stay_allowed_in_bodies(
    probe_client: httpx.AsyncClient,
) -> None:
    name = "first line\r\nsecond\tcolumn"
    response = await probe_client.post("/api/v1/things", json={"name": name, "count": 1})
    assert response.status_code == 200
    assert response.json()["name"] == name


async def test_an_escaped_backslash_is_not_a_control_character(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.post(
        "/api/v1/things", content=rb'{"name": "\\u0000", "count": 1}', headers=_json()
    )
    assert response.status_code == 200
    assert response.json()["name"] == "\\u0000"


async def test_a_raw_delete_character_in_a_body_is_refused(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.post(
        "/api/v1/things", content=b'{"name": "a\x7f", "count": 1}', headers=_json()
    )
    _assert_refused_fields(response, ["body", "name"])


async def test_a_utf16_body_cannot_smuggle_a_control_character(
    probe_client: httpx.AsyncClient,
) -> None:
    content = '{"name": "a\\u0001", "count": 1}'.encode("utf-16")
    response = await probe_client.post("/api/v1/things", content=content, headers=_json())
    _assert_refused_fields(response, ["body", "name"])


# URI length -------------------------------------------------------------------------------


async def test_path_and_query_over_8_kib_is_414(probe_client: httpx.AsyncClient) -> None:
    allowed = await probe_client.get("/healthz", params={"q": "a" * (8192 - len("/healthz?q="))})
    assert allowed.status_code == 200
    refused = await probe_client.get("/healthz", params={"q": "a" * 8192})
    _assert_problem(refused, 414, "uri_too_long")


def _raw_get(port: int, target: bytes) -> bytes:
    """Sends the request head in small pieces, as a slow client would, so that the server
    must buffer it rather than parse it from one read."""
    head = b"GET " + target + b" HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start in range(0, len(head), 4096):
            connection.sendall(head[start : start + 4096])
            time.sleep(0.002)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.once  # the HTTP server's limit, before any database
async def test_real_server_answers_a_64_kib_url_with_the_414_problem(
    database_urls: dict[str, str], dev_key_path: Path, test_dir: Path
) -> None:
    env = {
        **os.environ,
        "CASES_DATABASE_URL": database_urls["cases"],
        "CASES_DEV_KEY_PATH": str(dev_key_path),
        "CASES_ENVIRONMENT": "test",
    }
    service = ServiceProcess("cases", env, test_dir)
    service.start()
    try:
        await service.wait_ready()
        target = b"/api/v1/persons?q=" + b"a" * (64 * 1024 - len(b"/api/v1/persons?q="))
        answer = await asyncio.to_thread(_raw_get, service.port, target)
    finally:
        service.stop()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 "), answer[:300]
    assert b"content-type: application/problem+json" in head.lower()
    assert b'"code":"uri_too_long"' in body


# 405 --------------------------------------------------------------------------------------


async def test_405_lists_every_method_the_path_supports(
    cases_client: httpx.AsyncClient,
) -> None:
    collection = await cases_client.delete("/api/v1/persons")
    _assert_problem(collection, 405, "method_not_allowed")
    assert collection.headers["allow"] == "GET, POST"
    record = await cases_client.delete(f"/api/v1/persons/{'0' * 32}")
    assert record.headers["allow"] == "GET, PATCH"


# Malformed bodies -------------------------------------------------------------------------


def _assert_invalid_json(response: httpx.Response) -> dict:
    body = _assert_problem(response, 422, "validation_failed")
    assert [(e["loc"], e["type"]) for e in body["errors"]] == [(["body"], "json_invalid")]
    return body["errors"][0]


@pytest.mark.parametrize(
    "content",
    [b'{"name": ', b'{"name": "\xff\xfe", "count": 1}', b"[" * 100_000],
    ids=["truncated", "not-utf8", "nested-too-deep"],
)
async def test_unreadable_json_is_422_json_invalid_on_the_body(
    probe_client: httpx.AsyncClient, content: bytes
) -> None:
    _assert_invalid_json(
        await probe_client.post("/api/v1/things", content=content, headers=_json())
    )


async def test_json_error_says_what_and_where_without_echoing_input(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.post(
        "/api/v1/things", content=b'{"name": "079301000123" ', headers=_json()
    )
    error = _assert_invalid_json(response)
    assert error["msg"] == "Invalid JSON: Expecting ',' delimiter at character 24"
    assert "079301000123" not in response.text


@pytest.mark.parametrize("content_type", ["text/plain", None])
async def test_json_sent_as_another_media_type_is_422_json_invalid(
    probe_client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    content = json.dumps({"name": "a", "count": 1}).encode()
    response = await probe_client.post("/api/v1/things", content=content, headers=headers)
    error = _assert_invalid_json(response)
    assert "application/json" in error["msg"]


# Roles and scope claims -------------------------------------------------------------------


def _signed(dev_key_path: Path, **claims: Any) -> dict[str, str]:
    now = int(time.time())
    base = {"iss": "ctxh-dev", "aud": "ctxh", "sub": "u1", "iat": now, "exp": now + 600}
    key = load_or_create_private_key(dev_key_path)
    return {"Authorization": f"Bearer {jwt.encode({**base, **claims}, key, algorithm='EdDSA')}"}


@pytest.mark.parametrize(
    "claims",
    [
        {"roles": "admin"},
        {"roles": ["admin", 7]},
        {"roles": None},
        {"realm_access": {"roles": "admin"}},
        {"realm_access": ["admin"]},
        {"roles": ["admin"], "scope": ["sensitive:read"]},
        {"roles": ["admin"], "scp": "sensitive:read"},
    ],
    ids=[
        "roles-string",
        "roles-not-strings",
        "roles-null",
        "realm-roles-string",
        "realm-access-list",
        "scope-list",
        "scp-string",
    ],
)
async def test_roles_or_scope_claim_of_the_wrong_shape_is_refused(
    probe_client: httpx.AsyncClient, dev_key_path: Path, claims: dict[str, Any]
) -> None:
    response = await probe_client.get("/api/v1/me", headers=_signed(dev_key_path, **claims))
    body = _assert_problem(response, 401, "unauthorized")
    assert body["detail"].endswith("is malformed")


async def test_keycloak_realm_roles_and_scope_string_are_accepted(
    probe_client: httpx.AsyncClient, dev_key_path: Path
) -> None:
    headers = _signed(
        dev_key_path,
        realm_access={"roles": ["province_officer", "offline_access"]},
        scope="openid sensitive:read",
        province_code="31",
    )
    response = await probe_client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.json()["roles"] == ["province_officer"]
    assert response.json()["scopes"] == ["openid", "sensitive:read"]


async def test_scp_list_is_accepted(probe_client: httpx.AsyncClient, dev_key_path: Path) -> None:
    headers = _signed(dev_key_path, roles=["admin"], scp=["sensitive:read"])
    response = await probe_client.get("/api/v1/me", headers=headers)
    assert response.json()["scopes"] == ["sensitive:read"]


# ctxh migrate on a fresh clone --------------------------------------------------------------


def test_migrate_creates_the_missing_var_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path / "clone" / "var"
    monkeypatch.setattr("shared.settings.VAR_DIR", var)
    monkeypatch.chdir(tmp_path)  # no .env from the working copy
    for name in ("CASES", "WORKFORCE", "REPORTING"):
        monkeypatch.delenv(f"{name}_DATABASE_URL", raising=False)
    assert main(["migrate", "all"]) == 0
    assert sorted(path.name for path in var.iterdir()) == [
        "cases.db",
        "reporting.db",
        "workforce.db",
    ]
