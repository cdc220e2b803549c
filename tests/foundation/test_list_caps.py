"""Every repeatable query parameter has a cap, so one URL cannot make a query of any size."""

import httpx
from fastapi import FastAPI

from shared.auth import Role
from tests.conftest import TokenFactory


def _repeatable_parameters(app: FastAPI) -> list[tuple[str, str, dict]]:
    found = []
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "query" and schema.get("type") == "array":
                    found.append((f"{method.upper()} {path}", parameter["name"], schema))
    return found


def test_every_repeatable_query_parameter_declares_a_cap(apps: dict[str, FastAPI]) -> None:
    found = [p for app in apps.values() for p in _repeatable_parameters(app)]
    assert len(found) >= 4  # category, stage, kind, ward: the test sees what it means to
    uncapped = [(where, name) for where, name, schema in found if "maxItems" not in schema]
    assert not uncapped


async def test_a_list_parameter_past_its_cap_is_422_naming_it(
    cases_client: httpx.AsyncClient, workforce_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    officer = token(Role.PROVINCE_OFFICER, province_code="31")
    asks = [
        (cases_client, "/api/v1/cases", "stage", "intake"),
        (cases_client, "/api/v1/persons", "category", "abandoned_child"),
        (workforce_client, "/api/v1/facilities", "kind", "social_assistance"),
    ]
    for client, path, name, value in asks:
        within = await client.get(path, params=[(name, value)] * 20, headers=officer)
        assert within.status_code == 200, within.text
        past = await client.get(path, params=[(name, value)] * 21, headers=officer)
        assert past.status_code == 422, past.text
        assert [e["loc"] for e in past.json()["errors"]] == [["query", name]]
