"""Make the generated OpenAPI document say exactly what the services answer."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.access import publish_policies, route_policies
from shared.concurrency import REQUIRED_IN_DOCUMENT
from shared.errors import PROBLEM_MEDIA_TYPE


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
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    _polish_operation(operation)
                    _declare_headers(operation, schemas)
            publish_policies(document, route_policies(app))
            _describe_the_api(document, app)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
