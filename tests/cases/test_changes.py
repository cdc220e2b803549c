"""The changes feed for offline clients."""

import httpx

from tests.cases.factories import WARD_B, create_case, create_person, post_ok


async def test_feed_returns_changes_in_scope_since_a_cursor(
    cases_client: httpx.AsyncClient, officer_hp: dict, commune_worker: dict
) -> None:
    person = await create_person(cases_client, officer_hp)
    await create_person(cases_client, officer_hp, full_name="Ngoài phường", ward_code=WARD_B)
    case = await create_case(cases_client, officer_hp, person["id"])
    first = (await cases_client.get("/api/v1/changes", headers=commune_worker)).json()
    assert [(c["type"], (c["person"] or c["case"])["id"]) for c in first["items"]] == [
        ("person", person["id"]),
        ("case", case["id"]),
    ]
    assert first["has_more"] is False
    nothing = (
        await cases_client.get(
            "/api/v1/changes", params={"since": first["next_since"]}, headers=commune_worker
        )
    ).json()
    assert nothing["items"] == []
    assert nothing["next_since"] == first["next_since"]
    await post_ok(cases_client, f"/api/v1/cases/{case['id']}/notes", officer_hp, {"body": "mới"})
    await cases_client.post(
        f"/api/v1/persons/{person['id']}/archive", headers={**officer_hp, "If-Match": '"1"'}
    )
    later = (
        await cases_client.get(
            "/api/v1/changes", params={"since": first["next_since"]}, headers=commune_worker
        )
    ).json()
    assert [(c["type"], c["archived"]) for c in later["items"]] == [
        ("case", False),
        ("person", True),
    ]


async def test_feed_pages_with_has_more(cases_client: httpx.AsyncClient, officer_hp: dict) -> None:
    for i in range(3):
        await create_person(cases_client, officer_hp, full_name=f"P{i}")
    page = (
        await cases_client.get("/api/v1/changes", params={"limit": 2}, headers=officer_hp)
    ).json()
    assert len(page["items"]) == 2
    assert page["has_more"] is True
    rest = (
        await cases_client.get(
            "/api/v1/changes", params={"since": page["next_since"]}, headers=officer_hp
        )
    ).json()
    assert [c["person"]["full_name"] for c in rest["items"]] == ["P2"]
