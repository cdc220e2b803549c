"""Fast JSON responses for hot read paths.

Returning a model from a route makes FastAPI validate it again before serialising it.
Models built by our own code from our own rows are valid already, so hot paths serialise
once, straight to bytes, and declare `response_model` on the route for the OpenAPI document.
"""

from pydantic import BaseModel
from starlette.responses import Response


def model_response(
    model: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = model.__pydantic_serializer__.to_json(model)
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")
