"""The lean routes' requests, served beside FastAPI's stack rather than inside it.

FastAPI's app middleware, its router and handler wrappers, and our own middleware cost
about a third of a primary-key read (bench/README.md). `ServiceApp` hands a request to the
fast lane only when the whole stack would have let it through untouched and routed it to a
lean route: a GET whose path matches that route's template, with nothing for the limits to
refuse. Everything else, edge cases included, takes the ordinary way.

The lane keeps what a client or an operator sees of a request: its request id (header and
log lines), its metrics and log line (RequestContextMiddleware itself), and every error
answered by the app's own exception handlers. It leaves out watching for a disconnect: a
lean read is one statement, bounded by the statement timeout. It stands aside when
`lean_routes` is off or tracing is on, and tests/foundation/test_lean_routes.py sends the
same requests both ways.
"""

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.lean import LeanRoute
from shared.limits import MAX_URI_BYTES, declares_body, query_errors, uri_bytes
from shared.middleware import RequestContextMiddleware

Handler = Callable[[Request], Awaitable[Response]]
# A UUID, for the sample path that checks no earlier route would take a lane's requests.
_SAMPLE = "01234567-89ab-7def-8123-456789abcdef"


class _Lane:
    """One lean route: its full path, its handler, and what the metrics call it."""

    def __init__(self, context: Any) -> None:
        self.pattern: re.Pattern[str] = context.path_regex
        self.route = context
        self.handler: Handler = context.original_route.get_route_handler()


def _lanes(app: FastAPI) -> list[_Lane]:
    """The lean routes, each checked to be the first GET route its paths reach."""
    lanes: list[_Lane] = []
    earlier: list[tuple[re.Pattern[str], frozenset[str]]] = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, LeanRoute):
            sample = re.sub(r"\{[^}]+\}", _SAMPLE, context.path_format or "")
            for pattern, methods in earlier:
                if "GET" in methods and pattern.match(sample):
                    raise TypeError(f"{context.path}: an earlier route takes its paths")
            lanes.append(_Lane(context))
        regex = getattr(context, "path_regex", None)
        if regex is not None:
            earlier.append((regex, frozenset(getattr(context, "methods", None) or ())))
    return lanes


class FastLane:
    def __init__(self, app: FastAPI, lanes: list[_Lane]) -> None:
        self.app = app
        self.lanes = lanes
        self._serve: ASGIApp = RequestContextMiddleware(self._answer, metrics=app.state.metrics)

    def lane_for(self, scope: Scope) -> _Lane | None:
        if scope["method"] != "GET" or not self.app.state.settings.lean_routes:
            return None
        path: str = scope["path"]
        for lane in self.lanes:
            if (match := lane.pattern.match(path)) is not None:
                # Whatever the limits would refuse takes the ordinary way to its answer.
                if uri_bytes(scope) > MAX_URI_BYTES or query_errors(scope["query_string"]):
                    return None
                if declares_body(scope):
                    return None
                if any(not value.isprintable() for value in match.groupdict().values()):
                    return None
                scope["path_params"] = match.groupdict()
                return lane
        return None

    async def serve(self, lane: _Lane, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self.app
        scope["route"] = lane.route  # its template names the metrics and the log line
        scope["fast_lane"] = lane
        await self._serve(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        lane: _Lane = scope["fast_lane"]
        request = Request(scope, receive)
        try:
            response = await lane.handler(request)
        except Exception as error:
            handler = _handler_for(self.app, error)
            if handler is None:
                raise  # RequestContextMiddleware answers 500 and logs it
            answered = handler(request, error)
            response = await answered if inspect.isawaitable(answered) else answered
        await response(scope, receive, send)


def _handler_for(app: FastAPI, error: Exception) -> Callable[..., Any] | None:
    """The app's own handler for `error`, found as Starlette finds it: by class, nearest
    first."""
    for kind in type(error).__mro__:
        if kind in app.exception_handlers:
            return app.exception_handlers[kind]
    return None


def fast_lane(app: FastAPI) -> FastLane | None:
    """The app's fast lane, or None when it has no lean route or traces requests (a trace
    would miss the spans of the stack the lane leaves out)."""
    if app.state.tracer_provider:
        return None
    lanes = _lanes(app)
    return FastLane(app, lanes) if lanes else None
