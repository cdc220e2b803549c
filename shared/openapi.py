"""Make the generated OpenAPI document say exactly what the services answer."""

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.access import publish_policies, route_policies
from shared.concurrency import REQUIRED_IN_DOCUMENT
from shared.errors import (
    PROBLEM_MEDIA_TYPE,
    Conflict,
    Forbidden,
    InternalError,
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    ServiceUnavailable,
    Unauthorized,
    UriTooLong,
    ValidationFailed,
    problem_responses,
)
from shared.outages import ConcurrentChange


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter is a string in the URL or a header, never JSON null: an optional one is
    left out (`required: false`), and a client typed `string | null` would send "None"."""
    variants = schema.get("anyOf", [])
    kept = [v for v in variants if v.get("type") != "null"]
    if len(kept) == len(variants) or not kept:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if rest.get("default", "") is None:
        del rest["default"]
    return {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}


HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "The record's version; send it back in If-Match to change the record",
        "schema": {"type": "string", "example": '"3"'},
        "required": True,
    },
    "Location": {
        "description": "Where the record just created is read, when it has a URL of its own",
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Idempotent-Replayed": {
        "description": "Present when this is the stored answer to an earlier request that "
        "had the same Idempotency-Key: nothing was done again",
        "schema": {"type": "string", "enum": ["true"]},
    },
}


def _is_versioned(response: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """A record with a `version` is answered with its ETag (shared.concurrency.etag)."""
    reference = response.get("content", {}).get("application/json", {}).get("schema", {})
    name = reference.get("$ref", "").rpartition("/")[2]
    return "version" in schemas.get(name, {}).get("properties", {})


def _declare_headers(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    replayable = any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    for status, response in operation.get("responses", {}).items():
        if not status.startswith("2"):
            continue
        headers = response.setdefault("headers", {})
        if _is_versioned(response, schemas):
            headers["ETag"] = HEADERS["ETag"]
        if status == "201":
            headers["Location"] = HEADERS["Location"]
        if replayable:
            headers["Idempotent-Replayed"] = HEADERS["Idempotent-Replayed"]
        if not headers:
            del response["headers"]


def _implied_problems(path: str, method: str, operation: dict[str, Any]) -> list[type[Problem]]:
    """Problems an operation may answer because of what it is, whatever its route declares:
    shared middleware and dependencies raise these before or around any route's own code."""
    if not path.startswith("/api/"):
        return []
    headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
    implied: list[type[Problem]] = [
        Unauthorized,  # shared.auth
        Forbidden,  # a role the route does not allow
        PayloadTooLarge,  # shared.limits
        UriTooLong,
        ValidationFailed,
        InternalError,
        ServiceUnavailable,  # shared.outages: the database is away
    ]
    if method != "get":
        implied.append(ConcurrentChange)  # a constraint lost to a concurrent writer
    if "If-Match" in headers:
        implied += [PreconditionFailed, PreconditionRequired]
    if "Idempotency-Key" in headers:
        implied.append(Conflict)  # the same key is still being processed
    return implied


def _declare_problem_codes(path: str, method: str, operation: dict[str, Any]) -> None:
    """Each error answer lists the `code`s it may carry, in `x-problem-codes` and in its
    description (generators copy descriptions into docstrings): the route's own, declared
    with shared.errors.problem_responses, and those every operation of its kind shares."""
    responses = operation.setdefault("responses", {})
    for status, entry in problem_responses(*_implied_problems(path, method, operation)).items():
        response = responses.setdefault(str(status), {})
        # FastAPI's own 422 (HTTPValidationError) is not what shared.problem_handlers sends.
        fresh = _problem_response(entry)
        headers = {**fresh.pop("headers", {}), **response.get("headers", {})}
        response.update(fresh, **({"headers": headers} if headers else {}))
        declared = response.get("x-problem-codes", [])
        response["x-problem-codes"] = sorted({*declared, *entry["x-problem-codes"]})
    for status, response in responses.items():
        if status[0] in "45" and response.get("x-problem-codes"):
            listed = ", ".join(f"`{code}`" for code in response["x-problem-codes"])
            response["description"] = f"{response.get('description', '')}. Codes: {listed}"


def _drop_fastapi_validation_schemas(document: dict[str, Any]) -> None:
    """Every 422 is a ProblemDetails now; FastAPI's schemas for its own 422 stay unused."""
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{name}"' not in json.dumps(document.get("paths", {})):
            schemas.pop(name, None)


def _problem_response(entry: dict[str, Any]) -> dict[str, Any]:
    """A response entry as the document spells it, for a status the route did not declare."""
    content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    response = {"description": entry["description"], "content": content}
    if "headers" in entry:
        response["headers"] = entry["headers"]
    return response


def _polish_operation(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        parameter["schema"] = _without_null(parameter.get("schema", {}))
        if parameter["schema"].pop(REQUIRED_IN_DOCUMENT, False):
            parameter["required"] = True
    # The route function's docstring: its first line is the summary clients show.
    description = operation.get("description", "").strip()
    if description:
        operation["summary"] = description.splitlines()[0].rstrip(".")
    # Errors are sent as application/problem+json, so document them under that media type.
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        if status[0] in "45" and "application/json" in content:
            content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def _polish_webhook(operation: dict[str, Any]) -> None:
    """A request we send: the receiver's answer has no body we read, and FastAPI's 422 for
    its own validation is not the receiver's to give."""
    _polish_operation(operation)
    responses = operation.get("responses", {})
    responses.pop("422", None)
    for response in responses.values():
        response.pop("content", None)


def _standard_date_bounds(node: Any) -> None:
    """Pydantic writes a date's bounds as `ge`/`le`, which JSON Schema does not know and
    validators and generators ignore: say them as `formatMinimum`/`formatMaximum` (the
    names ajv-formats reads) and in the description, which people read."""
    if isinstance(node, list):
        for item in node:
            _standard_date_bounds(item)
    if not isinstance(node, dict):
        return
    if node.get("format") in ("date", "date-time") and ("ge" in node or "le" in node):
        low, high = node.pop("ge", None), node.pop("le", None)
        node.update({"formatMinimum": low} if low else {})
        node.update({"formatMaximum": high} if high else {})
        bounds = f"From {low or 'any day'} to {high or 'any day'}."
        node["description"] = f"{node.get('description', '').rstrip('.')}. {bounds}".lstrip(". ")
    for value in node.values():
        _standard_date_bounds(value)


def _used_tags(document: dict[str, Any]) -> list[str]:
    used = (
        tag
        for path_item in document.get("paths", {}).values()
        for operation in path_item.values()
        for tag in operation.get("tags", [])
    )
    return list(dict.fromkeys(used))


def _describe_the_api(document: dict[str, Any], app: FastAPI) -> None:
    """Who runs the API, where it is served, and every tag its operations use."""
    settings = app.state.settings
    contact = {"name": settings.api_contact_name}
    if settings.api_contact_email:
        contact["email"] = settings.api_contact_email
    document["info"]["contact"] = contact
    # Relative: each deployment serves the document from the service's own origin.
    document["servers"] = [{"url": "/", "description": "This service, where it is deployed"}]
    declared = {tag["name"] for tag in document.get("tags", [])}
    document["tags"] = document.get("tags", []) + [
        {"name": name} for name in _used_tags(document) if name not in declared
    ]


def _attach_examples(document: dict[str, Any], examples: dict[str, Any]) -> None:
    """Examples recorded from real requests to this service (tests/documented.py records them
    while the suite runs): a request body and an answer per status, per media type."""
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            recorded = examples.get(operation["operationId"], {})
            bodies = operation.get("requestBody", {}).get("content", {})
            for media_type, value in recorded.get("request", {}).items():
                if media_type in bodies:
                    bodies[media_type]["example"] = value
            for status, answers in recorded.get("responses", {}).items():
                content = operation["responses"].get(status, {}).get("content", {})
                for media_type, value in answers.items():
                    if media_type in content:
                        content[media_type]["example"] = value


# Examples of the operations every service shares (health, metrics, who am I), which read
# the same in every document.
SHARED_EXAMPLES = Path(__file__).with_name("openapi_examples.json")


def load_examples(*paths: Path) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    for path in paths:
        if path.exists():
            examples.update(json.loads(path.read_text(encoding="utf-8")))
    return examples


def install_openapi(app: FastAPI, examples: Path | None = None) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                webhooks=app.webhooks.routes,
                tags=app.openapi_tags,
            )
            schemas = document.get("components", {}).get("schemas", {})
            for path, path_item in document.get("paths", {}).items():
                for method, operation in path_item.items():
                    _polish_operation(operation)
                    _declare_headers(operation, schemas)
                    _declare_problem_codes(path, method, operation)
            for path_item in document.get("webhooks", {}).values():
                for operation in path_item.values():
                    _polish_webhook(operation)
            _drop_fastapi_validation_schemas(document)
            _standard_date_bounds(document)
            own = [examples] if examples else []
            _attach_examples(document, load_examples(SHARED_EXAMPLES, *own))
            publish_policies(document, route_policies(app))
            _describe_the_api(document, app)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
