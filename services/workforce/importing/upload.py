"""The file of an import: a multipart form's `file`, which every client generator can send,
or the file itself as the request body, which is what curl and scripts send."""

from pathlib import PurePath
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from services.workforce.importing.reader import XLSX
from shared.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed, field_error

MAX_BYTES = 5 * 1024 * 1024
SPREADSHEETS = ("text/csv", XLSX)
FORM = "multipart/form-data"
# Browsers and generated clients often label any file application/octet-stream.
BY_SUFFIX = {".csv": "text/csv", ".xlsx": XLSX}
_FILE = {"type": "string", "format": "binary"}

UPLOAD: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {**_FILE, "description": "The sheet, as CSV (UTF-8) or XLSX"}
                    },
                    "required": ["file"],
                },
                "encoding": {"file": {"contentType": ", ".join(SPREADSHEETS)}},
            },
            "text/csv": {"schema": _FILE},
            XLSX: {"schema": _FILE},
        },
    }
}


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _bounded(content: bytes) -> bytes:
    if len(content) > MAX_BYTES:
        raise PayloadTooLarge(f"files up to {MAX_BYTES // (1024 * 1024)} MB")
    return content


async def read_upload(request: Request) -> tuple[bytes, str]:
    """The file's bytes and its media type (text/csv or XLSX)."""
    media_type = _media_type(request.headers.get("content-type"))
    if media_type == FORM:
        return await _from_form(request)
    if media_type not in SPREADSHEETS:
        raise UnsupportedMediaType("send the file as text/csv, as XLSX, or as a form's `file`")
    return _bounded(await request.body()), media_type


async def _from_form(request: Request) -> tuple[bytes, str]:
    try:
        form = await request.form(max_files=1, max_fields=10)
    except HTTPException as exc:  # a malformed form, or more than one file
        raise _no_file(f"a form with one file, `file`: {exc.detail}") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise _no_file("a form with one file, `file`")
        media_type = _media_type(upload.content_type)
        if media_type not in SPREADSHEETS:
            media_type = BY_SUFFIX.get(PurePath(upload.filename or "").suffix.lower(), "")
        if not media_type:
            raise UnsupportedMediaType("the file must be CSV (.csv) or an XLSX workbook (.xlsx)")
        return _bounded(await upload.read(MAX_BYTES + 1)), media_type
    finally:
        await form.close()


def _no_file(why: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", "file"], why, "missing")])
