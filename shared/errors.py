"""One error hierarchy for every service, rendered as RFC 9457 problem+json.

Services raise these (or subclasses in their domain `errors.py`), never HTTPException.
Each class carries a stable `code` that clients can switch on.
"""

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem_type(code: str) -> str:
    return f"urn:ctxh:problem:{code}"


class Problem(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.extensions = extensions

    def body(self, instance: str, request_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": problem_type(self.code),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "code": self.code,
        }
        if request_id:
            body["request_id"] = request_id
        body.update(self.extensions)
        return body


class BadRequest(Problem):
    status = 400
    code = "bad_request"
    title = "Bad request"


class Unauthorized(Problem):
    status = 401
    code = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str | None = None, *, error: str | None = None) -> None:
        challenge = 'Bearer realm="ctxh"'
        if error:
            # RFC 6750 §3: the error description must not contain a double quote.
            description = (detail or self.title).replace('"', "'")
            challenge += f', error="{error}", error_description="{description}"'
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class Forbidden(Problem):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class NotFound(Problem):
    status = 404
    code = "not_found"
    title = "Not found"


class MethodNotAllowed(Problem):
    status = 405
    code = "method_not_allowed"
    title = "Method not allowed"


class Conflict(Problem):
    status = 409
    code = "conflict"
    title = "Conflict"


class IdTaken(Conflict):
    code = "id_taken"
    title = "A record with that id exists already"


class FieldConflict(BaseModel):
    """One field (or one element of a list field) both sides changed, to different values."""

    field: str
    element: str | None = Field(
        default=None, description="For a list field: the element both sides changed"
    )
    base: Any = Field(default=None, description="The value in the version you edited")
    yours: Any = Field(default=None, description="The value you sent")
    theirs: Any = Field(default=None, description="The value the record holds now")
    hidden: bool = Field(
        default=False,
        description="Sensitive field: the values are left out; read the record with "
        "sensitive:read and a purpose to see them",
    )
    changed_by: str = Field(description="Who last changed the field since your version")
    changed_at: datetime
    changed_in_version: int


class EditConflict(Conflict):
    """An edit made on an older version changed fields someone else changed since
    (shared.edit_merge); the record is left as it was."""

    code = "edit_conflict"
    title = "Someone else changed the same field since your version"

    def __init__(
        self,
        detail: str,
        *,
        conflicts: list[FieldConflict],
        merged: dict[str, Any],
        base_version: int,
        current_etag: str,
    ) -> None:
        super().__init__(detail, current_etag=current_etag, base_version=base_version)
        self.conflicts = conflicts
        # The fields that did merge, as they would apply now: what a resolution applies.
        self.merged = merged
        self.base_version = base_version
        self.current_version = int(current_etag.strip('"'))

    def body(self, instance: str, request_id: str | None) -> dict[str, Any]:
        body = super().body(instance, request_id)
        body["conflicts"] = [c.model_dump(mode="json") for c in self.conflicts]
        return body


class PreconditionFailed(Problem):
    status = 412
    code = "precondition_failed"
    title = "The record changed since you read it"


class PayloadTooLarge(Problem):
    status = 413
    code = "payload_too_large"
    title = "Payload too large"


class UriTooLong(Problem):
    status = 414
    code = "uri_too_long"
    title = "URI too long"


class UnsupportedMediaType(Problem):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


class ValidationFailed(Problem):
    """422 raised by business rules; `errors` names each offending field like pydantic does."""

    status = 422
    code = "validation_failed"
    title = "The request has invalid fields"

    def __init__(self, errors: list[dict[str, Any]], detail: str | None = None) -> None:
        super().__init__(detail or _summarise(errors), errors=errors)


class PreconditionRequired(Problem):
    status = 428
    code = "precondition_required"
    title = "If-Match is required for changes"


class ServiceUnavailable(Problem):
    status = 503
    code = "service_unavailable"
    title = "A dependency is unavailable"
    retry_after = 5  # seconds: long enough for a database restart to be worth retrying

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        headers = {"Retry-After": str(self.retry_after), **extensions.pop("headers", {})}
        super().__init__(detail, headers=headers, **extensions)


class InternalError(Problem):
    pass


# What a bare status in `problem_responses` stands for.
GENERIC_PROBLEMS: tuple[type[Problem], ...] = (
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PreconditionFailed,
    PayloadTooLarge,
    UriTooLong,
    UnsupportedMediaType,
    ValidationFailed,
    PreconditionRequired,
    InternalError,
    ServiceUnavailable,
)


def field_error(
    loc: tuple[str | int, ...] | list[str | int], msg: str, type_: str
) -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "type": type_}


def _summarise(errors: list[dict[str, Any]]) -> str:
    fields = [".".join(str(part) for part in e["loc"][1:] or e["loc"]) for e in errors]
    return "Invalid: " + ", ".join(fields) if fields else "The request is invalid"


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Path to the field, e.g. ['body', 'national_id']")
    msg: str
    type: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, with a stable `code` and, for 422, the fields at fault."""

    type: str = Field(examples=["urn:ctxh:problem:not_found"])
    title: str
    status: int
    detail: str
    instance: str
    code: str = Field(description="Stable machine-readable code; switch on this, not on text.")
    request_id: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="422: each field at fault, by location"
    )
    # Extension members some codes carry (RFC 9457 §3.2); the code says which.
    current_etag: str | None = Field(
        default=None, description="412: the ETag to read the record again with"
    )
    existing_id: UUID | None = Field(
        default=None, description="409: the record that already holds the value"
    )
    candidate_ids: list[UUID] | None = Field(
        default=None, description="409 possible_duplicate: likely the same person, in your scope"
    )
    current_stage: str | None = Field(
        default=None, description="409 illegal_transition: where the record is now"
    )
    allowed: list[str] | None = Field(
        default=None, description="409: the moves the record's state allows from here"
    )
    missing: str | None = Field(
        default=None, description="409: what must be recorded before this move"
    )
    missing_sources: list[str] | None = Field(
        default=None, description="409 report_incomplete: the services that did not answer"
    )
    source: str | None = Field(default=None, description="503: what is unavailable")
    base_version: int | None = Field(
        default=None, description="409 edit_conflict: the version your change was made on"
    )
    conflicts: list[FieldConflict] | None = Field(
        default=None, description="409 edit_conflict: each field both sides changed"
    )
    conflict_id: UUID | None = Field(
        default=None,
        description="409 edit_conflict: the change, queued for you to resolve "
        "(GET /api/v1/conflicts/{id})",
    )
    error: str | None = Field(
        default=None, description="401: the OAuth error code (RFC 6750), e.g. invalid_token"
    )

    model_config = {"extra": "allow"}


_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, malformed, expired or wrongly signed token",
    403: "The caller's role or scope does not allow this",
    404: "Not found, or outside the caller's scope",
    405: "Method not allowed",
    409: "Conflicts with existing data or with the record's state",
    412: "If-Match does not match the current ETag",
    413: "Payload too large",
    414: "The path and query are too long",
    415: "Unsupported media type",
    422: "Invalid fields; `errors` names each one",
    428: "If-Match header is required",
    500: "Internal error; the request id is logged with the details",
    502: "Another service answered with an error",
    503: "A dependency is unavailable",
}


def problem_classes() -> list[type[Problem]]:
    """Every problem class defined so far (each service's are imported with its routes)."""
    found: list[type[Problem]] = []
    pending = [Problem]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(current.__subclasses__())
    return found


def _generic(status: int) -> type[Problem]:
    """The shared problem answering `status` when nothing more specific is declared."""
    return next(p for p in GENERIC_PROBLEMS if p.status == status)


def problem_responses(*problems: int | type[Problem]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring the problems a route may answer, by class
    (`PersonNotFound`) or, for a shared one, by status (404 is `NotFound`). Each entry lists
    its codes in `x-problem-codes`; shared.openapi adds the ones every route shares, and
    makes the media type application/problem+json.
    """
    classes = [_generic(p) if isinstance(p, int) else p for p in problems]
    by_status: dict[int, list[str]] = {}
    for problem in classes:
        codes = by_status.setdefault(problem.status, [])
        if problem.code not in codes:
            codes.append(problem.code)
    return {
        status: {
            "model": ProblemDetails,
            "description": _DESCRIPTIONS.get(status, "Problem"),
            "x-problem-codes": sorted(codes),
            **({"headers": RETRY_AFTER} if status == 503 else {}),
        }
        for status, codes in by_status.items()
    }


# Every 503 says when to try again (ServiceUnavailable sets it).
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer", "minimum": 1},
        "required": True,
    }
}
