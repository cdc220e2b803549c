"""Fast JSON responses for hot read paths, and the headers of a download.

Returning a model from a route makes FastAPI validate it again before serialising it.
Models built by our own code from our own rows are valid already, so hot paths serialise
once, straight to bytes, and declare `response_model` on the route for the OpenAPI document.
"""

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from starlette.responses import Response

# Never in a file name: control characters (a line break would end the header) and folders.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
# Kept in the plain `filename`: printable ASCII that needs no quoting in a quoted-string and
# that no browser decodes ("%"). Anything else becomes "_".
_NOT_PLAIN = re.compile(r'[^\x20-\x7e]|["%;]')
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


# A file in a response: generated clients keep it as bytes instead of parsing it.
BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}


OCTET_STREAM = "application/octet-stream"


def file_responses(*media_types: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 of a download, under its own media types only; the route also takes
    `response_class=Response`, or FastAPI would add an application/json entry beside them.

    application/octet-stream comes first, for a client that asks for it (`download`):
    generators read the first media type they know, and one that reads a text/csv file as
    text cannot hold a workbook."""
    return {
        200: {
            "content": {OCTET_STREAM: BINARY} | {media_type: BINARY for media_type in media_types},
            "description": f"{description}; labelled application/octet-stream when the "
            "request's Accept names that and not the file's own type",
        }
    }


def download(accept: str | None, content: bytes, media_type: str, filename: str) -> Response:
    """A file to save as `filename`, labelled with its own media type unless the client's
    Accept asks for plain bytes (application/octet-stream) and not for that type."""
    asked = {part.split(";")[0].strip().lower() for part in (accept or "").split(",")}
    own = media_type.split(";")[0].strip().lower()
    if OCTET_STREAM in asked and own not in asked:
        media_type = OCTET_STREAM
    return Response(content, media_type=media_type, headers=attachment(filename))


def model_response(
    model: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = model.__pydantic_serializer__.to_json(model)
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")


def attachment(filename: str) -> dict[str, str]:
    """The Content-Disposition header of a download named `filename` (RFC 6266): an ASCII
    `filename` for old clients ("bao-cao-HD-2025.xlsx" for "báo-cáo-HD-2025.xlsx") and the
    name itself, UTF-8 and percent-encoded, in `filename*` (RFC 5987), which browsers prefer.
    Header values must be latin-1; a Vietnamese name in a plain `filename` is a 500."""
    name = _UNSAFE.sub("_", filename).strip() or "download"
    bare = unicodedata.normalize("NFKD", name.translate(_D_STROKE))
    fallback = _NOT_PLAIN.sub("_", "".join(ch for ch in bare if not unicodedata.combining(ch)))
    encoded = quote(name, safe="")
    return {
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    }
