"""What generated clients need from the three OpenAPI documents, checked on the documents."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.errors import problem_classes
from tests.documented import Documented, DocumentedAnswers

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
            if json_schema is None:  # a file only: bytes first, for generators that pick it
                assert next(iter(content)) == "application/octet-stream", where
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
    assert workforce["Sex"]["x-enum-descriptions"] == ["Nam / Male", "Nữ / Female"]


def _enums(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema with an `enum` inside `schema`, with where it sits."""
    if isinstance(schema, dict):
        if "enum" in schema:
            yield where, schema
        for key, value in schema.items():
            yield from _enums(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _enums(value, f"{where}[{index}]")


# Models their routers define, which still hold an unnamed, unlabelled enum.
UNNAMED_ENUMS = {"cases Change.properties.type"}


def test_every_enum_carries_its_labels(apps: dict[str, FastAPI]) -> None:
    """Generators keep x-enum-descriptions as comments: "Vietnamese / English", in the order
    of `enum`. A field of a model is a code of a named enum, never an enum of its own."""
    for name, app in apps.items():
        for schema_name, schema in app.openapi()["components"]["schemas"].items():
            for where, enum in _enums(schema, f"{name} {schema_name}"):
                if where in UNNAMED_ENUMS:
                    continue
                assert where == f"{name} {schema_name}", f"{where}: name this enum"
                labels = enum.get("x-enum-descriptions", [])
                assert len(labels) == len(enum["enum"]), where
                assert all(" / " in label for label in labels), where


def _named(property_schema: dict[str, Any]) -> set[str]:
    """The named schemas a property's values are, through arrays and nullable unions."""
    if "$ref" in property_schema:
        return {property_schema["$ref"].rpartition("/")[2]}
    if "items" in property_schema:
        return _named(property_schema["items"])
    variants = [v for v in property_schema.get("anyOf", []) if v.get("type") != "null"]
    return set().union(*(_named(v) for v in variants)) if variants else set()


# Fields that were free strings (or unnamed Literals) though only these codes are ever sent
# or answered: (model, field, enum).
EVERY_SERVICE = [
    ("Me", "roles", "Role"),
    ("HistoryEvent", "actor_roles", "Role"),
    ("HistoryEvent", "entity_type", "HistoryEntityType"),
    ("HistoryEvent", "action", "HistoryAction"),
    ("HealthStatus", "status", "Health"),
]
CODED_FIELDS = {
    "cases": [
        *EVERY_SERVICE,
        ("SupportPlanRead", "status", "SupportPlanStatus"),
        ("ReferralRead", "status", "ReferralStatus"),
        ("ReferralStep", "status", "ReferralStepStatus"),
        ("ConsentCreate", "purpose", "ConsentPurpose"),
        ("ConsentRead", "purpose", "ConsentPurpose"),
        ("TransferRead", "status", "TransferStatus"),
        ("TransferStep", "status", "TransferStepStatus"),
    ],
    "workforce": [
        *EVERY_SERVICE,
        ("CourseCreate", "funding_source", "CourseFundingSource"),
        ("CourseRead", "funding_source", "CourseFundingSource"),
        ("FacilityCreate", "services", "CtxhService"),
        ("FacilityRead", "services", "CtxhService"),
        ("FacilityRegionRead", "source", "RegionSource"),
        ("KindSectorCounts", "kind", "FacilityKind"),
        ("KindSectorCounts", "sector", "Sector"),
        ("PositionKindCounts", "position_kind", "PositionKind"),
        ("StaffCountCounts", "staff", "StaffBucket"),
    ],
    "reporting": [
        *EVERY_SERVICE,
        ("Caveat", "code", "CaveatCode"),
        ("IndicatorValue", "group", "FacilityGroup"),
        ("IndicatorValue", "unit", "IndicatorUnit"),
        ("IndicatorValue", "status", "IndicatorStatus"),
        ("IndicatorValue", "source", "SourceService"),
        ("ManualActivity", "metric", "ManualMetric"),
        ("ManualValueIn", "metric", "ManualMetric"),
        ("ManualValueIn", "territory_scheme", "ProvinceScheme"),
        ("ManualValueRead", "territory_scheme", "ProvinceScheme"),
        ("OutboundValue", "territory_scheme", "TerritoryScheme"),
        ("OutboundValue", "report_status", "ReportStatus"),
        ("OutboundValue", "group", "FacilityGroup"),
        ("OutboundValue", "unit", "IndicatorUnit"),
        ("OutboundValue", "status", "IndicatorStatus"),
        ("PlanIn", "level", "PlanLevel"),
        ("PlanRead", "level", "PlanLevel"),
        ("ReportRead", "period_kind", "PeriodKind"),
        ("ReportRead", "status", "ReportStatus"),
        ("ReportRead", "missing_sources", "SourceService"),
        ("ReportTerritory", "scheme", "TerritoryScheme"),
        ("ReportTerritory", "shared_policy", "SharedWardsPolicy"),
        ("Review", "decision", "ReviewDecision"),
        ("TargetIn", "group", "FacilityGroup"),
        ("TargetIn", "comparator", "Comparator"),
        ("TargetIn", "wage_basis", "WageBasis"),
        ("TargetRead", "unit", "IndicatorUnit"),
        ("TerritoryIn", "scheme", "TerritoryScheme"),
        ("TerritoryIn", "shared_wards", "SharedWardsPolicy"),
        ("TrendPoint", "status", "ReportStatus"),
    ],
}


def test_fields_that_hold_codes_are_named_enums(apps: dict[str, FastAPI]) -> None:
    for name, fields in CODED_FIELDS.items():
        schemas = apps[name].openapi()["components"]["schemas"]
        for model, field, enum in fields:
            assert _named(schemas[model]["properties"][field]) == {enum}, (name, model, field)
            assert schemas[enum]["enum"], (name, enum)


def test_every_error_answer_lists_its_codes(apps: dict[str, FastAPI]) -> None:
    """Every answer the suite sees is checked against these (tests/declared_problems.py)."""
    for _, where, operation in _operations(apps):
        for status, response in operation["responses"].items():
            if status[0] in "45" and where.split()[1].startswith("/api/"):
                assert response.get("x-problem-codes"), (where, status)
                assert f"`{response['x-problem-codes'][0]}`" in response["description"], where


def test_every_error_answer_is_a_problem_and_only_a_problem(apps: dict[str, FastAPI]) -> None:
    problem = {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
    for _, where, operation in _operations(apps):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert response["content"] == {"application/problem+json": problem}, where
    for name, app in apps.items():
        assert "HTTPValidationError" not in app.openapi()["components"]["schemas"], name


def test_each_operation_lists_its_own_codes_not_its_services(apps: dict[str, FastAPI]) -> None:
    """A service's problem is declared by the operations that raise it, and only by them."""
    for name, app in apps.items():
        declared = {
            code
            for _, _, operation in _operations({name: app})
            for response in operation["responses"].values()
            for code in response.get("x-problem-codes", [])
        }
        own = {p.code for p in problem_classes() if p.__module__.startswith(f"services.{name}.")}
        assert own <= declared, f"{name} never declares {sorted(own - declared)}"
    cases = apps["cases"].openapi()["paths"]
    reading = cases["/api/v1/persons/{person_id}"]["get"]["responses"]
    assert reading["404"]["x-problem-codes"] == ["person_not_found"]
    assert "409" not in reading
    creating = cases["/api/v1/persons"]["post"]["responses"]["409"]["x-problem-codes"]
    assert "possible_duplicate" in creating
    assert "illegal_transition" not in creating


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


async def test_the_suites_clients_refuse_an_answer_off_its_schema(
    apps: dict[str, FastAPI],
) -> None:
    """Routes that build their Response by hand are held to their schema by every test's
    client (tests/documented.py): a guard against that hook silently checking nothing."""
    answers = DocumentedAnswers(Documented(apps["cases"]))
    request = httpx.Request("GET", "http://test/api/v1/me")
    with pytest.raises(AssertionError, match="does not match its schema"):
        await answers.check(httpx.Response(200, json={"subject": "x"}, request=request))
    with pytest.raises(AssertionError, match="status is not documented"):
        await answers.check(httpx.Response(418, json={}, request=request))
