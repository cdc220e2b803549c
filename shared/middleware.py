"""The outermost middleware: request id, access log, metrics, and the last guard against leaks."""

import random
import re
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import InternalError
from shared.metrics import Metrics
from shared.problem_handlers import problem_response

log = structlog.get_logger("ctxh.http")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _SAFE_REQUEST_ID.match(candidate) else None
    return None


def _route_template(scope: Scope) -> str:
    # FastAPI keeps included routers nested, so the matched route knows only its own suffix;
    # the full template ("/api/v1/cases/{case_id}") lives in its effective route context.
    context = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path", None) or getattr(scope.get("route"), "path", None)
    # Unknown paths share one label so scanners cannot blow up the metric's cardinality.
    return template or "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # 128 random bits, as a uuid4 would carry; an id to find a request's log lines by,
        # not a secret, so without the system call that a uuid4 costs on every request.
        request_id = _incoming_request_id(scope) or f"{random.getrandbits(128):032x}"
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        header = (b"x-request-id", request_id.encode("latin-1"))
        status = 500
        started = False
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled_error", path=scope["path"], method=scope["method"])
            if not started:
                response = problem_response(InternalError(), scope["path"], request_id)
                await response(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - start)
            structlog.contextvars.clear_contextvars()

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = _route_template(scope)
        self.metrics.observe(scope["method"], route, status, seconds)
        if route not in _QUIET_ROUTES:
            log.info(
                "request",
                method=scope["method"],
                route=route,
                status=status,
                duration_ms=round(seconds * 1000, 2),
            )
