"""Make the generated OpenAPI document say exactly what the services answer."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from shared.access import publish_policies, route_policies
from shared.concurrency import REQUIRED_IN_DOCUMENT
from shared.errors import PROBLEM_MEDIA_TYPE, problem_classes


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


def problem_codes(*packages: str) -> dict[str, list[str]]:
    """status -> the codes of the problems defined in these packages ("shared.", ...)."""
    found: dict[str, set[str]] = {}
    for problem in problem_classes():
        if problem.__module__.startswith(packages):
            found.setdefault(str(problem.status), set()).add(problem.code)
    return {status: sorted(codes) for status, codes in found.items()}


def _declare_problem_codes(operation: dict[str, Any], codes: dict[str, list[str]]) -> None:
    """Each error answer lists the `code`s it may carry, in `x-problem-codes` and in its
    description (generators copy descriptions into docstrings)."""
    for status, response in operation.get("responses", {}).items():
        if status[0] in "45" and codes.get(status):
            response["x-problem-codes"] = codes[status]
            listed = ", ".join(f"`{code}`" for code in codes[status])
            response["description"] = f"{response.get('description', '')}. Codes: {listed}"


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


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            schemas = document.get("components", {}).get("schemas", {})
            service = f"services.{app.state.settings.service_name}."
            codes = {
                "shared": problem_codes("shared."),
                "service": problem_codes("shared.", service),
            }
            # Operations of shared code (health, who am I) raise shared problems only, and
            # read the same in every document.
            shared_operations = {
                context.original_route.name
                for context in iter_route_contexts(app.routes)
                if isinstance(context.original_route, APIRoute)
                and context.original_route.endpoint.__module__.startswith("shared.")
            }
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    _polish_operation(operation)
                    _declare_headers(operation, schemas)
                    whose = "shared" if operation["operationId"] in shared_operations else "service"
                    _declare_problem_codes(operation, codes[whose])
            publish_policies(document, route_policies(app))
            _describe_the_api(document, app)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
