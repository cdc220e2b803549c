"""The file of an import: a multipart form's `file`, which every client generator can send,
or the file itself as the request body, which is what curl and scripts send."""

import hashlib
import os
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import anyio
from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

from shared.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed, field_error
from shared.sheets.reader import XLSX

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
        upload, media_type = _the_file(form)
        return _bounded(await upload.read(MAX_BYTES + 1)), media_type
    finally:
        await form.close()


def _the_file(form: FormData) -> tuple[UploadFile, str]:
    """The form's `file` and its media type: as labelled, or else by the file's suffix."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise _no_file("a form with one file, `file`")
    media_type = _media_type(upload.content_type)
    if media_type not in SPREADSHEETS:
        media_type = BY_SUFFIX.get(PurePath(upload.filename or "").suffix.lower(), "")
    if not media_type:
        raise UnsupportedMediaType("the file must be CSV (.csv) or an XLSX workbook (.xlsx)")
    return upload, media_type


def _no_file(why: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", "file"], why, "missing")])


@dataclass
class ReceivedFile:
    """An upload saved to a temporary file as it arrived: `digest` (SHA-256 of the file's
    bytes) is what a retry must repeat to be the same request. The caller removes `path`."""

    path: Path
    media_type: str
    name: str | None
    size: int
    digest: str


async def receive_file(request: Request, max_bytes: int, directory: Path) -> ReceivedFile:
    """The request's file, written to `directory` as it streams in and never held whole in
    memory: the body itself (text/csv or XLSX), or a multipart form's `file`. More than
    `max_bytes` is a 413, found while reading, whatever Content-Length claimed."""
    media_type = _media_type(request.headers.get("content-type"))
    if media_type != FORM and media_type not in SPREADSHEETS:
        raise UnsupportedMediaType("send the file as text/csv, as XLSX, or as a form's `file`")
    limit = max_bytes + (_FORM_OVERHEAD if media_type == FORM else 0)
    body = await _spool(request.stream(), limit, directory)
    if media_type != FORM:
        return ReceivedFile(body.path, media_type, None, body.size, body.digest)
    try:
        return await _form_file(request, body.path, max_bytes, directory)
    finally:
        await anyio.Path(body.path).unlink(missing_ok=True)


# A form's boundaries and part headers around the file.
_FORM_OVERHEAD = 64 * 1024
_MB = 1024 * 1024
_CHUNK = 256 * 1024


@dataclass
class _Spooled:
    path: Path
    size: int
    digest: str


async def _spool(chunks: AsyncIterator[bytes], limit: int, directory: Path) -> _Spooled:
    """`chunks` written to a new file in `directory`, hashed on the way; past `limit` bytes
    the file is removed and the answer is 413."""
    handle, name = tempfile.mkstemp(prefix="upload-", dir=directory)
    os.close(handle)
    path, size, digest = Path(name), 0, hashlib.sha256()
    try:
        async with await anyio.open_file(path, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"files up to {limit // _MB} MB")
                digest.update(chunk)
                await out.write(chunk)
    except BaseException:
        await anyio.Path(path).unlink(missing_ok=True)
        raise
    return _Spooled(path, size, digest.hexdigest())


async def _chunks_of(path: Path) -> AsyncGenerator[bytes, None]:
    async with await anyio.open_file(path, "rb") as source:
        while chunk := await source.read(_CHUNK):
            yield chunk


async def _form_file(request: Request, body: Path, max_bytes: int, directory: Path) -> ReceivedFile:
    parser = MultiPartParser(request.headers, _chunks_of(body), max_files=1, max_fields=10)
    try:
        form = await parser.parse()
    except HTTPException as exc:
        raise _no_file(f"a form with one file, `file`: {exc.detail}") from None
    except MultiPartException as exc:
        raise _no_file(f"a form with one file, `file`: {exc.message}") from None
    try:
        upload, media_type = _the_file(form)
        await upload.seek(0)
        saved = await _spool(_file_chunks(upload), max_bytes, directory)
        return ReceivedFile(saved.path, media_type, upload.filename, saved.size, saved.digest)
    finally:
        await form.close()


async def _file_chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(_CHUNK):
        yield chunk
