"""Turn every error path (ours, FastAPI's and Starlette's) into problem+json."""

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def _request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc, request.url.path, _request_id(request))


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in exc.errors()]
    return problem_response(ValidationFailed(errors), request.url.path, _request_id(request))


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    # The offending input is left out on purpose: it may be personal data.
    return {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error["type"]}


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    problem_class = _BY_STATUS.get(exc.status_code, Problem)
    detail = exc.detail if isinstance(exc.detail, str) else None
    if problem_class is NotFound:
        detail = "No such route or record"
    problem = problem_class(detail, headers=dict(exc.headers or {}))
    return problem_response(problem, request.url.path, _request_id(request))


async def _on_response_validation(request: Request, exc: Exception) -> JSONResponse:
    # Our own response failed our own schema: a bug, so log everything and reveal nothing.
    log.error("response_validation_failed", path=request.url.path, errors=str(exc)[:2000])
    return problem_response(InternalError(), request.url.path, _request_id(request))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(ResponseValidationError, _on_response_validation)
