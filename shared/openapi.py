"""Make the generated OpenAPI document say exactly what the services answer."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.access import publish_policies, route_policies
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


def _polish_operation(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        parameter["schema"] = _without_null(parameter.get("schema", {}))
    # The route function's docstring: its first line is the summary clients show.
    description = operation.get("description", "").strip()
    if description:
        operation["summary"] = description.splitlines()[0].rstrip(".")
    # Errors are sent as application/problem+json, so document them under that media type.
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        if status[0] in "45" and "application/json" in content:
            content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


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
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    _polish_operation(operation)
            publish_policies(document, route_policies(app))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
