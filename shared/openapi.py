"""Make the generated OpenAPI document say exactly what the services answer."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.access import publish_policies, route_policies
from shared.errors import PROBLEM_MEDIA_TYPE


def _polish_operation(operation: dict[str, Any]) -> None:
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
