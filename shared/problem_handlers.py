"""Turn every error path (ours, FastAPI's and Starlette's) into problem+json."""

from collections.abc import Iterator, Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from shared.errors import (
    PROBLEM_MEDIA_TYPE,
    BadRequest,
    InternalError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Problem,
    UnsupportedMediaType,
    ValidationFailed,
    field_error,
)

log = structlog.get_logger("ctxh.errors")

_BY_STATUS: dict[int, type[Problem]] = {
    400: BadRequest,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
}


def problem_response(problem: Problem, instance: str, request_id: str | None) -> JSONResponse:
    return JSONResponse(
        problem.body(instance, request_id),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def request_id_of(request: Request) -> str | None:
    """The id the request context middleware gave this request, for its problem answer."""
    found: str | None = request.scope.get("state", {}).get("request_id")
    return found


def answer_with(problem: Problem, request: Request) -> JSONResponse:
    """A problem as the answer to `request`, from a route that answers it without raising:
    one whose transaction must still commit (a conflict it queued)."""
    return problem_response(problem, request.url.path, request_id_of(request))


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return answer_with(exc, request)


def _invalid_json(msg: str) -> dict[str, Any]:
    # Declared by every API operation (422), unlike a 400; the whole body is at fault.
    return field_error(["body"], msg, "json_invalid")


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in exc.errors()]
    if isinstance(exc.body, bytes) and exc.body:
        # FastAPI keeps the body as bytes only when its content type was not JSON, and then
        # reports the model as missing fields: say what is really wrong instead.
        not_json = _invalid_json("The body must be JSON, sent as application/json")
        errors = [e for e in errors if e["loc"][:1] != ["body"]] + [not_json]
    return problem_response(ValidationFailed(errors), request.url.path, request_id_of(request))


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    if error["type"] == "json_invalid":
        # FastAPI puts the character offset in `loc`, where clients expect field names.
        reason = error.get("ctx", {}).get("error", "")
        offset = error.get("loc", ())[1:]
        where = f" at character {offset[0]}" if offset else ""
        return _invalid_json(f"Invalid JSON: {reason}{where}" if reason else "Invalid JSON")
    # The offending input is left out on purpose: it may be personal data.
    return {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error["type"]}


# What FastAPI's "error parsing the body" (400) hides when a JSON body cannot be decoded:
# bytes that are not UTF-8, or nesting deeper than the parser's recursion allows.
_UNREADABLE_JSON = (UnicodeDecodeError, RecursionError)


def _problem_for(request: Request, exc: StarletteHTTPException) -> Problem:
    if exc.status_code == 400 and isinstance(exc.__cause__, _UNREADABLE_JSON):
        return ValidationFailed([_invalid_json("The body is not readable JSON")])
    problem_class = _BY_STATUS.get(exc.status_code, Problem)
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers or {})
    if problem_class is NotFound:
        detail = "No such route or record"
    if problem_class is MethodNotAllowed:
        headers["Allow"] = ", ".join(allowed_methods(request.app.routes, request.url.path))
    return problem_class(detail, headers=headers)


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    problem = _problem_for(request, exc)
    return problem_response(problem, request.url.path, request_id_of(request))


def matching_routes(
    routes: Sequence[BaseRoute], path: str
) -> Iterator[tuple[RouteContext, dict[str, str]]]:
    """Every route whose path template matches `path`, whatever its methods, with the values
    of the path's parameters."""
    for route in iter_route_contexts(routes):
        regex = getattr(route, "path_regex", None)
        match = regex.match(path) if regex is not None else None
        if match is not None:
            yield route, match.groupdict()


def allowed_methods(routes: Sequence[BaseRoute], path: str) -> list[str]:
    """All methods of all routes on `path`: Starlette's 405 names only the first route's."""
    methods: set[str] = set()
    for route, _ in matching_routes(routes, path):
        methods |= route.methods or set()
    return sorted(methods)


async def _on_response_validation(request: Request, exc: Exception) -> JSONResponse:
    # Our own response failed our own schema: a bug, so log everything and reveal nothing.
    log.error("response_validation_failed", path=request.url.path, errors=str(exc)[:2000])
    return problem_response(InternalError(), request.url.path, request_id_of(request))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(ResponseValidationError, _on_response_validation)
