"""What a request must satisfy before any route sees it: a URI of sane length, no control
characters, a body of bounded size, and, for a body sent to the API, a valid token first.

Checked in an ASGI middleware, ahead of parsing, so an oversized or anonymous body is never
read into memory and a NUL byte never reaches the database (PostgreSQL refuses it in text).
"""

import email.message
import json
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl

from fastapi.routing import iter_route_contexts
from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.access import PUBLIC, policy_of
from shared.auth.principal import stash_principal
from shared.errors import (
    PayloadTooLarge,
    Problem,
    ServiceUnavailable,
    Unauthorized,
    UriTooLong,
    ValidationFailed,
    field_error,
)
from shared.problem_handlers import matching_routes, problem_response

# Path plus query; proxies and browsers commonly stop at 8 KiB too.
MAX_URI_BYTES = 8 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

# Nothing a person types into a URL needs a control character.
_URI_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Tab, LF and CR are allowed in bodies: notes and addresses span lines.
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# JSON can carry such a character only as a \u escape, or DEL raw. A NUL byte means the body
# is not UTF-8 (UTF-16 and UTF-32 JSON are still parsed by Python), so look closer too.
_BODY_CONTROL_HINT = re.compile(rb"\\u00(?:0[0-8bcef]|1[0-9a-f]|7f)|[\x00\x7f]", re.IGNORECASE)
_CONTROL_MESSAGE = "Must not contain control characters"
# Enough to find every bad field of a form; a body full of them needs no longer answer.
_MAX_REPORTED = 50

Loc = tuple[str | int, ...]
Operations = list[tuple[re.Pattern[str], frozenset[str]]]


class RequestLimitsMiddleware:
    """Runs inside RequestContextMiddleware, so its problems carry the request id."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        max_import_job_bytes: int = 64 * 1024 * 1024,
        routes: Sequence[BaseRoute] = (),
        api_prefix: str = "/api/v1",
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.max_import_job_bytes = max_import_job_bytes
        self.routes = routes
        self.api_prefix = api_prefix.rstrip("/") + "/"
        self._public: Operations | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._check_target(scope)
        if problem is None and self._needs_token_first(scope):
            problem = await _authenticate(scope)
        if problem is not None:
            await _answer(problem, scope, receive, send)
        elif declares_body(scope):
            await self._with_body(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _check_target(self, scope: Scope) -> Problem | None:
        if uri_bytes(scope) > MAX_URI_BYTES:
            return UriTooLong(f"the path and query may hold at most {MAX_URI_BYTES} bytes")
        errors = [*self._path_errors(scope["path"]), *query_errors(scope["query_string"])]
        return ValidationFailed(errors) if errors else None

    def _path_errors(self, path: str) -> list[dict[str, Any]]:
        if not _URI_CONTROL.search(path):
            return []
        # Name the route's parameter when a route matches, as a validation error would.
        for _, params in matching_routes(self.routes, path):
            names = [name for name, value in params.items() if _URI_CONTROL.search(value)]
            if names:
                return [
                    field_error(("path", name), _CONTROL_MESSAGE, "control_character")
                    for name in names
                ]
        return [field_error(("path",), _CONTROL_MESSAGE, "control_character")]

    def _needs_token_first(self, scope: Scope) -> bool:
        """Anyone may send a body to a public operation; all others need a token first."""
        path, method = scope["path"], scope["method"]
        if not path.startswith(self.api_prefix):
            return False
        if method not in BODY_METHODS and not declares_body(scope):
            return False
        return not any(
            regex.match(path) and method in methods for regex, methods in self._public_operations()
        )

    def _public_operations(self) -> Operations:
        # Built at the first request: by then every router is included.
        if self._public is None:
            self._public = _public_operations(self.routes)
        return self._public

    def _body_limit(self, scope: Scope) -> int:
        if self._streamed(scope):
            return self.max_import_job_bytes
        uploads = f"{self.api_prefix}imports/"
        return self.max_upload_bytes if scope["path"].startswith(uploads) else self.max_body_bytes

    def _streamed(self, scope: Scope) -> bool:
        """An import job's file, up to tens of MB: never read into memory here. The route
        writes it to disk as it arrives and answers 413 itself past the same limit."""
        return bool(scope["path"] == f"{self.api_prefix}import-jobs")

    async def _with_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._body_limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _answer(_too_large(limit), scope, receive, send)
            return
        if self._streamed(scope):
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive, limit)
        except _ClientGone as gone:  # let the app see the disconnect as it always has
            await self.app(scope, _replay([gone.message], receive), send)
            return
        if body is None:
            await _answer(_too_large(limit), scope, receive, send)
            return
        if errors := _body_control_errors(scope, body):
            await _answer(ValidationFailed(errors), scope, receive, send)
            return
        message = {"type": "http.request", "body": body, "more_body": False}
        await self.app(scope, _replay([message], receive), send)


def uri_bytes(scope: Scope) -> int:
    raw_path = scope.get("raw_path") or scope["path"].encode()
    query = scope["query_string"]
    return len(raw_path) + (len(query) + 1 if query else 0)


def query_errors(query_string: bytes) -> list[dict[str, Any]]:
    # Decoded as Starlette decodes it, so what is checked is what the route would get.
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return [
        field_error(("query", name), _CONTROL_MESSAGE, "control_character")
        for name, value in pairs
        if _URI_CONTROL.search(name) or _URI_CONTROL.search(value)
    ]


def _public_operations(routes: Sequence[BaseRoute]) -> Operations:
    # Walked as shared.access walks them: included routers' dependencies applied.
    found = []
    for route in iter_route_contexts(routes):
        dependant = getattr(route, "dependant", None)
        regex = getattr(route, "path_regex", None)
        if dependant is None or regex is None:
            continue
        if policy_of(dependant, route.path_format or "") is PUBLIC:
            found.append((regex, frozenset(route.methods or ())))
    return found


def declares_body(scope: Scope) -> bool:
    """HTTP/1.1 has a body exactly when Content-Length or Transfer-Encoding says so."""
    headers = Headers(scope=scope)
    return "transfer-encoding" in headers or (_content_length(scope) or 0) > 0


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length", "")
    return int(value) if value.isdigit() else None


async def _authenticate(scope: Scope) -> Problem | None:
    """The check get_principal makes, made before the body is read; the caller is kept in
    the scope's state for the route."""
    header = Headers(scope=scope).get("authorization")
    scheme, token = get_authorization_scheme_param(header)
    if not (header and scheme and token) or scheme.lower() != "bearer":
        return Unauthorized("a bearer token is required")
    try:
        principal = await scope["app"].state.token_verifier.verify(token)
    except (Unauthorized, ServiceUnavailable) as refused:  # a 503: the provider's keys are out
        return refused
    stash_principal(scope, principal)
    return None


class _ClientGone(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message["type"])
        self.message = message


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise _ClientGone(message)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Callable[[], Awaitable[Message]]:
    """Hands the app the messages already read, then the connection's own (a disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the body may hold at most {limit} bytes")


def _is_json(scope: Scope) -> bool:
    # The media types FastAPI parses as JSON.
    content_type = Headers(scope=scope).get("content-type")
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _body_control_errors(scope: Scope, body: bytes) -> list[dict[str, Any]]:
    # Parsing twice costs little, and only bodies with a hint of a control character pay it.
    if not _is_json(scope) or not _BODY_CONTROL_HINT.search(body):
        return []
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []  # the route answers that the JSON is invalid
    return list(islice(_control_characters(document), _MAX_REPORTED))


def _control_characters(document: Any) -> Iterator[dict[str, Any]]:
    """Where in the document a string or key holds a forbidden character, in document order.

    Walked with a stack rather than recursion: the parser accepts deeper nesting than a
    recursive walk would survive."""
    stack: list[tuple[Loc, Any]] = [(("body",), document)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str) and _BODY_CONTROL.search(value):
            yield field_error(loc, _CONTROL_MESSAGE, "control_character")
        elif isinstance(value, dict):
            for key in [key for key in value if _BODY_CONTROL.search(key)]:
                yield field_error(
                    (*loc, key), "Key " + _CONTROL_MESSAGE.lower(), "control_character"
                )
            stack.extend(((*loc, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in reversed(list(enumerate(value))))


async def _answer(problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
    request_id = scope.get("state", {}).get("request_id")
    await problem_response(problem, scope["path"], request_id)(scope, receive, send)
