"""Every request body and 2xx answer in the documents shows an example recorded from a real
request (`make examples`), and every example is valid against the schema it illustrates."""

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
from fastapi import FastAPI

# (where, media type object) for every body a client sends or gets back with a 2xx.
Body = tuple[str, dict[str, Any]]


def _bodies(document: dict[str, Any]) -> Iterator[Body]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            for media_type, body in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{where} request {media_type}", body
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    for media_type, body in response.get("content", {}).items():
                        yield f"{where} {status} {media_type}", body


def _is_file(body: dict[str, Any]) -> bool:
    # A spreadsheet or CSV download: bytes to save, which an example cannot show.
    return body.get("schema", {}).get("format") == "binary"


def test_every_body_has_an_example(apps: dict[str, FastAPI]) -> None:
    missing = [
        f"{name}: {where}"
        for name, app in apps.items()
        for where, body in _bodies(app.openapi())
        if not _is_file(body) and "example" not in body
    ]
    assert not missing, "\n".join(missing)


def test_every_example_is_valid_against_its_schema(apps: dict[str, FastAPI]) -> None:
    invalid, checked = [], 0
    for name, app in apps.items():
        document = app.openapi()
        for where, body in _bodies(document):
            if "example" not in body:
                continue
            # The schema's $refs point into the document's components.
            schema = {**body["schema"], "components": document["components"]}
            validator = jsonschema_rs.Draft202012Validator(schema)
            errors = [error.message for error in validator.iter_errors(body["example"])]
            checked += 1
            if errors:
                invalid.append(f"{name}: {where}: {errors[:3]}")
    assert not invalid, "\n".join(invalid)
    assert checked > 100
