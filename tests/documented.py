"""The suite's in-process clients hold every answer against the service's OpenAPI document.

- Every problem a test sees must be one its operation declares: generated clients and their
  developers switch on the `code`s an operation lists in `x-problem-codes`, and an answer with
  a code the document does not list is a broken contract even when the test expected it.
- Every JSON answer must match the schema its operation documents for that status: many
  routes build their response by hand (an ETag, a download), which FastAPI does not check
  against the declared `response_model`, so the suite does.
- With `--record-examples`, the suite also records, per operation, a request body and an
  answer per 2xx status from its real requests, and writes them to each service's
  `openapi_examples.json`, which the documents show as examples (shared.openapi).
"""

import json
import re
from collections.abc import Callable
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from shared.errors import PROBLEM_MEDIA_TYPE

Operation = tuple[str, re.Pattern[str], dict[str, Any]]

# An example shows the shape, not a whole page of data.
LIST_ITEMS_KEPT = 2
TEXT_LINES_KEPT = 4
LONGEST_STRING = 300
LONG_STRING_PENALTY = 20


def _operations(document: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in document["paths"].items():
        literals = re.split(r"\{[^}]+\}", path)
        pattern = re.compile("^" + "[^/]+".join(map(re.escape, literals)) + "$")
        for method, operation in item.items():
            found.append((method.upper(), pattern, operation | {"path": path}))
    # A literal segment beats a parameter: /persons/changes is not /persons/{person_id}.
    return sorted(found, key=lambda entry: entry[2]["path"].count("{"))


class Documented:
    def __init__(self, app: FastAPI) -> None:
        self.document = app.openapi()
        self._operations = _operations(self.document)

    def operation(self, request: httpx.Request) -> dict[str, Any] | None:
        for method, pattern, operation in self._operations:
            if method == request.method and pattern.match(request.url.path):
                return operation
        return None  # no such route: the router's own 404 or 405


def shared_operations(app: FastAPI) -> set[str]:
    """The operations of shared code (health, metrics, who am I): the same in every service."""
    return {
        context.original_route.operation_id or context.original_route.name
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and context.original_route.endpoint.__module__.startswith("shared.")
    }


class DeclaredProblems:
    def __init__(self, documented: Documented) -> None:
        self.documented = documented

    async def check(self, response: httpx.Response) -> None:
        if not response.headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE):
            return
        operation = self.documented.operation(response.request)
        if operation is None:
            return
        await response.aread()
        status, code = str(response.status_code), response.json().get("code")
        declared = operation["responses"].get(status, {}).get("x-problem-codes", [])
        where = f"{response.request.method} {operation['path']}"
        assert code in declared, f"{where} answered {status} {code}; it declares {declared}"


def _shortened(value: Any) -> Any:
    if isinstance(value, list):
        return [_shortened(item) for item in value[:LIST_ITEMS_KEPT]]
    if isinstance(value, dict):
        return {key: _shortened(item) for key, item in value.items()}
    return value


def _richness(value: Any) -> int:
    """How much of its schema an example shows: its filled-in leaves, less for very long
    strings, which tests of length limits send and which make poor reading."""
    if isinstance(value, dict):
        return sum(_richness(item) for item in value.values())
    if isinstance(value, list):
        return sum(_richness(item) for item in value)
    if isinstance(value, str) and len(value) > LONGEST_STRING:
        return -LONG_STRING_PENALTY
    return 0 if value is None else 1


def _body(content_type: str, content: bytes) -> Any:
    """The example a body makes: JSON as itself, text (a CSV) as its first lines, a form as
    its fields (a file's by its text); None for anything binary."""
    media_type = content_type.split(";")[0].strip()
    if media_type == "application/json":
        return json.loads(content) if content else None
    if media_type.startswith("text/"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:  # a test's broken file is no example
            return None
        lines = text.splitlines()[:TEXT_LINES_KEPT]
        return "\n".join(lines) + "\n"
    if media_type == "multipart/form-data":
        form = BytesParser().parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + content)
        fields = {
            part.get_param("name", header="content-disposition"): _body(
                part.get_content_type(), part.get_payload(decode=True)
            )
            for part in form.get_payload()
        }
        return fields if None not in fields.values() else None
    return None


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip()


class ExampleRecorder:
    """Records the examples of the operations `records` accepts (by operationId)."""

    def __init__(self, documented: Documented, records: Callable[[str], bool]) -> None:
        self.documented, self.records = documented, records
        # operationId -> ("request" or a status, media type) -> (richness, example)
        self.best: dict[str, dict[tuple[str, str], tuple[int, Any]]] = {}

    def _offer(self, operation_id: str, key: tuple[str, str], value: Any) -> None:
        if value is None:
            return
        value = _shortened(value)
        richness = _richness(value)
        kept = self.best.setdefault(operation_id, {})
        if key not in kept or richness > kept[key][0]:
            kept[key] = (richness, value)

    async def record(self, response: httpx.Response) -> None:
        operation = self.documented.operation(response.request)
        if operation is None or not 200 <= response.status_code < 300:
            return
        if not self.records(operation["operationId"]):
            return
        await response.aread()
        request, operation_id = response.request, operation["operationId"]
        await request.aread()  # a multipart form is streamed, and read again here
        sent = request.headers.get("content-type", "")
        self._offer(operation_id, ("request", _media_type(sent)), _body(sent, request.content))
        answered = response.headers.get("content-type", "")
        key = (str(response.status_code), _media_type(answered))
        self._offer(operation_id, key, _body(answered, response.content))

    def examples(self) -> dict[str, Any]:
        """operationId -> {"request": {media type: example},
        "responses": {status: {media type: example}}}"""
        examples: dict[str, Any] = {}
        for operation_id, kept in sorted(self.best.items()):
            entry: dict[str, Any] = {}
            for (where, media_type), (_, value) in sorted(kept.items()):
                if where == "request":
                    entry.setdefault("request", {})[media_type] = value
                else:
                    entry.setdefault("responses", {}).setdefault(where, {})[media_type] = value
            examples[operation_id] = entry
        return examples

    def write(self, path: Path) -> None:
        text = json.dumps(self.examples(), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")


class DocumentedAnswers:
    """Holds each JSON answer to the schema documented for its operation and status."""

    def __init__(self, documented: Documented) -> None:
        self.document = documented.document
        self.documented = documented
        self._validators: dict[tuple[str, str, str], Any] = {}

    def _validator(self, operation: dict[str, Any], status: str, media_type: str) -> Any:
        key = (operation["path"] + operation.get("operationId", ""), status, media_type)
        if key not in self._validators:
            answer = operation["responses"].get(status, {}).get("content", {})
            schema = answer.get(media_type, {}).get("schema")
            self._validators[key] = schema and jsonschema_rs.Draft202012Validator(
                {**schema, "components": self.document["components"]}
            )
        return self._validators[key]

    async def check(self, response: httpx.Response) -> None:
        media_type = _media_type(response.headers.get("content-type", ""))
        if media_type not in ("application/json", PROBLEM_MEDIA_TYPE):
            return
        operation = self.documented.operation(response.request)
        if operation is None:
            return
        status = str(response.status_code)
        where = f"{response.request.method} {operation['path']} {status}"
        assert status in operation["responses"], f"{where}: the status is not documented"
        validator = self._validator(operation, status, media_type)
        assert validator, f"{where}: {media_type} is not documented"
        await response.aread()
        errors = [e.message for e in validator.iter_errors(response.json())]
        assert not errors, f"{where}: the answer does not match its schema: {errors[:3]}"
