"""Database failures answered for what they are.

An outage (the database restarting, unreachable, out of connections, or a statement past
its timeout) is 503 with Retry-After, so clients retry instead of reporting a bug. Two
requests racing for one unique value or range is 409: the loser learns the record changed.
Any other database error is a bug, and stays a 500.
"""

import socket

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from shared.errors import Conflict, InternalError, Problem, ServiceUnavailable
from shared.problem_handlers import problem_response, request_id_of

log = structlog.get_logger("ctxh.errors")

# SQLSTATE classes and codes that mean "not now" rather than "wrong": connection exceptions,
# operator intervention (shutdown, statement timeout), insufficient resources.
_OUTAGE_CLASSES = ("08", "53", "57")
# Lock not available; a write on a node that is a standby now (a failover under way).
_OUTAGE_CODES = frozenset({"55P03", "25006"})
_CONFLICT_CODES = frozenset({"23505", "23P01"})  # unique violation, exclusion violation
_UNREACHABLE = (ConnectionError, TimeoutError, socket.gaierror)


def _driver_errors(error: BaseException) -> tuple[object, object]:
    original = getattr(error, "orig", None)
    return original, getattr(original, "__cause__", None)


def _sqlstate(error: BaseException) -> str | None:
    for candidate in _driver_errors(error):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(code, str):
            return code
    return None


def _no_primary(error: BaseException) -> bool:
    """Every node answered, and none takes writes: between losing a primary and promoting
    a standby, with a multi-host URL and target_session_attrs=read-write."""
    candidates = (error, *_driver_errors(error))
    return any(isinstance(c, asyncpg.TargetServerAttributeNotMatched) for c in candidates)


def is_outage(error: BaseException) -> bool:
    if isinstance(error, (sa_exc.TimeoutError, *_UNREACHABLE)) or _no_primary(error):
        return True  # no pooled connection in time, or the server cannot be reached
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        code = _sqlstate(error)
        if code is not None:
            return code[:2] in _OUTAGE_CLASSES or code in _OUTAGE_CODES
        # SQLite: busy beyond its timeout; asyncpg: the connection dropped mid-statement.
        text = str(error.orig).lower()
        return "database is locked" in text or "connection" in text
    return False


def is_conflict(error: sa_exc.IntegrityError) -> bool:
    """A unique or exclusion violation: another row already holds the value or range."""
    code = _sqlstate(error)
    if code is not None:
        return code in _CONFLICT_CODES
    return "unique constraint failed" in str(error.orig).lower()  # SQLite


class ConcurrentChange(Conflict):
    code = "concurrent_change"
    title = "Another request changed the same records at the same time; reload and retry"


async def _on_database_error(request: Request, error: Exception) -> JSONResponse:
    problem: Problem
    if isinstance(error, sa_exc.IntegrityError) and is_conflict(error):
        problem = ConcurrentChange()
    elif is_outage(error):
        log.warning("database_unavailable", error=type(error).__name__)
        problem = ServiceUnavailable(
            "the database is unavailable; retry shortly", source="database"
        )
    else:
        log.error("database_error", exc_info=error)
        problem = InternalError()
    return problem_response(problem, request.url.path, request_id_of(request))


def install_outage_handlers(app: FastAPI) -> None:
    for error in (sa_exc.DBAPIError, sa_exc.TimeoutError, *_UNREACHABLE):
        app.add_exception_handler(error, _on_database_error)
