"""What generated clients need from the three OpenAPI documents, checked on the documents."""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI

DOWNLOADS = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _operations(apps: dict[str, FastAPI]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, app in apps.items():
        for path, item in app.openapi()["paths"].items():
            for method, operation in item.items():
                yield name, f"{method.upper()} {path}", operation


def test_downloads_are_binary_under_their_own_media_types_only(
    apps: dict[str, FastAPI],
) -> None:
    files = 0
    for _, where, operation in _operations(apps):
        content = operation["responses"].get("200", {}).get("content", {})
        for media_type in DOWNLOADS & content.keys():
            files += 1
            assert content[media_type]["schema"] == {"type": "string", "format": "binary"}, where
            # JSON beside a file only where the route really answers JSON too (a `format`).
            json_schema = content.get("application/json", {}).get("schema")
            assert json_schema is None or json_schema != {}, where
    assert files >= 4  # both exports, the access log and the ministry's values


def test_if_match_is_required_and_a_plain_string(apps: dict[str, FastAPI]) -> None:
    changes = 0
    for _, where, operation in _operations(apps):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "If-Match":
                changes += 1
                # A PUT creates the record when it is not there yet: no ETag to send then.
                assert parameter["required"] is not where.startswith("PUT "), where
                assert parameter["schema"]["type"] == "string", where
                assert "428" in operation["responses"] or "412" in operation["responses"], where
    assert changes >= 16


def test_the_documents_say_who_runs_them_and_declare_every_tag(
    apps: dict[str, FastAPI],
) -> None:
    for name, app in apps.items():
        document = app.openapi()
        assert document["info"]["contact"]["name"], name
        assert document["servers"], name
        declared = {tag["name"] for tag in document["tags"]}
        used = {tag for _, _, op in _operations({name: app}) for tag in op.get("tags", [])}
        assert used <= declared, name


def test_a_name_in_two_documents_means_the_same_thing(apps: dict[str, FastAPI]) -> None:
    """Clients of several services share one namespace: a schema or operation id found in two
    documents is the shared one (problems, health, history, who am I), defined identically;
    a support plan in cases and a provincial plan in reporting must not share a name."""
    schemas: dict[str, dict[str, Any]] = {}
    operations: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, app in apps.items():
        document = app.openapi()
        for schema_name, schema in document["components"]["schemas"].items():
            assert schemas.setdefault(schema_name, schema) == schema, (name, schema_name)
        for path, item in document["paths"].items():
            for method, operation in item.items():
                seen = operations.setdefault(operation["operationId"], (path, operation))
                assert seen == (path, operation), (name, method, operation["operationId"])


def test_every_list_is_an_object_with_items(apps: dict[str, FastAPI]) -> None:
    for _, where, operation in _operations(apps):
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            assert schema.get("type") != "array", (where, status)


def test_coded_fields_are_named_enums_with_their_labels(apps: dict[str, FastAPI]) -> None:
    """One enum per table of codes, the same on requests and answers, each code labelled."""
    tables = {"cases": ["Category", "ServiceType", "FundingSource", "Sex"], "workforce": ["Sex"]}
    for service, names in tables.items():
        schemas = apps[service].openapi()["components"]["schemas"]
        for name in names:
            enum = schemas[name]
            assert enum["type"] == "string", (service, name)
            assert enum["enum"], (service, name)
            if name != "Sex":  # the others come from a table with labels
                assert len(enum["x-enum-descriptions"]) == len(enum["enum"]), (service, name)
                assert all(" / " in label for label in enum["x-enum-descriptions"])
    cases = apps["cases"].openapi()["components"]["schemas"]
    for model in ("PersonCreate", "PersonRead", "PersonSummary"):
        items = cases[model]["properties"]["categories"]
        assert items.get("items", items) == {"$ref": "#/components/schemas/Category"}, model
    for model in ("ServiceCreate", "ServiceRead"):
        kinds = cases[model]["properties"]["service_type"]
        assert kinds == {"$ref": "#/components/schemas/ServiceType"}, model
    workforce = apps["workforce"].openapi()["components"]["schemas"]
    assert workforce["WorkerRead"]["properties"]["sex"] == {"$ref": "#/components/schemas/Sex"}


def test_every_error_answer_lists_its_codes(apps: dict[str, FastAPI]) -> None:
    """The access matrix checks the other half: every code answered is among these."""
    for _, where, operation in _operations(apps):
        for status, response in operation["responses"].items():
            if status[0] in "45" and where.split()[1].startswith("/api/"):
                assert response.get("x-problem-codes"), (where, status)


def _shape(schema: dict[str, Any]) -> dict[str, Any]:
    """The type of the values a property holds; limits that only requests check (patterns,
    lengths, bounds) and descriptions left out."""
    if "anyOf" in schema:  # optional on one side, required on the other: same values
        kept = [_shape(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return kept[0] if len(kept) == 1 else {"anyOf": kept}
    shape = {key: schema[key] for key in ("type", "enum", "$ref") if key in schema}
    if "items" in schema:
        shape["items"] = _shape(schema["items"])
    return shape


def test_a_field_is_the_same_type_when_sent_and_when_read(apps: dict[str, FastAPI]) -> None:
    mismatched = []
    for name, app in apps.items():
        schemas = app.openapi()["components"]["schemas"]
        for create_name, create in schemas.items():
            read = schemas.get(create_name.replace("Create", "Read"))
            if not create_name.endswith("Create") or read is None:
                continue
            for field in create.get("properties", {}).keys() & read.get("properties", {}).keys():
                sent, answered = create["properties"][field], read["properties"][field]
                if _shape(sent) != _shape(answered):
                    mismatched.append(f"{name} {create_name}.{field}: {sent} / {answered}")
    assert not mismatched, "\n".join(mismatched)
