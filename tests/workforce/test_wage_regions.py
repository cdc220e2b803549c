"""Rule 9: a facility's minimum-wage region comes from its ward on the date (dated reference
data, loaded by the province), unless an officer overrides it with a reason; a ward with no
region on the date leaves the facility unresolved, listed and never guessed."""

import csv
import io
import subprocess
import sys

import httpx

from services.workforce.wage.shipped_regions import shipped_rows
from shared.auth import Role
from shared.paths import PROJECT_ROOT
from tests.conftest import TokenFactory
from tests.workforce.factories import assign, facility, load_regions, worker

SHIPPED = PROJECT_ROOT / "services/workforce/migrations/data/ward_wage_regions_2024.csv"
WARD = "10525"  # Phường Hải Dương: former TP Hải Dương, vùng I under Decree 74/2024


async def _regions(client: httpx.AsyncClient, headers: dict, **params: str) -> list[dict]:
    response = await client.get("/api/v1/ward-wage-regions", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _facility_stats(client: httpx.AsyncClient, headers: dict, on: str) -> dict:
    params = {"on": on, "province": "31"}
    response = await client.get("/api/v1/stats/facilities", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_wage_region_rule_shipped_rows_are_what_the_generator_derives() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "services.workforce.wage.shipped_regions"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    ).stdout
    assert printed == SHIPPED.read_text(encoding="utf-8")
    assert list(csv.DictReader(io.StringIO(printed))) == shipped_rows()


async def test_wage_region_rule_ships_decree_74_regions_for_uniform_wards(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    [row] = await _regions(workforce_client, officer, ward=WARD, on="2025-06-30")
    assert (row["region"], row["valid_from"], row["valid_to"]) == (1, "2024-07-01", "2025-12-31")
    assert row["legal_source"].startswith("Nghị định 74/2024/NĐ-CP")
    assert await _regions(workforce_client, officer, ward=WARD, on="2026-01-01") == []


async def test_wage_region_rule_unresolved_facility_is_listed_and_not_judged(
    workforce_client: httpx.AsyncClient, officer: dict, token: TokenFactory
) -> None:
    # 10804 took communes of two districts in different regions: no region ships for it.
    mixed = await facility(workforce_client, officer, code="MIXED", ward_code="10804")
    known = await facility(workforce_client, officer, code="KNOWN", ward_code=WARD)
    for place in (mixed, known):
        someone = await worker(workforce_client, officer)
        await assign(
            workforce_client, officer, someone["id"], place["id"], monthly_allowance_vnd=9_000_000
        )
    body = await _facility_stats(workforce_client, token(Role.SERVICE), "2025-06-30")
    assert [f["code"] for f in body["unresolved_wage_region"]] == ["MIXED"]
    assert body["totals"]["wage_region_unresolved"] == 1
    assert body["totals"]["paid_minimum_wage"] == 1  # KNOWN only: MIXED is not guessed
    assert body["totals"]["paid_base_wage"] == 2  # the base wage needs no region


async def test_wage_region_rule_officer_loads_a_decree_with_a_dry_run(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    bad = [
        (WARD, "V", "01/01/2026", ""),
        ("21583", "II", "01/01/2026", ""),
        (WARD, "II", "01/01/2026", ""),
    ]
    dry = (await load_regions(workforce_client, officer, bad, dry_run=True)).json()
    assert {(e["row"], e["column"]) for e in dry["errors"]} == {
        (2, "Vùng"),  # no vùng V
        (3, "Mã xã, phường"),  # a Gia Lai ward, not this province's
    }
    assert await _regions(workforce_client, officer, ward=WARD, on="2026-01-01") == []
    rows = [(WARD, "II", "01/01/2026", ""), ("10507", "Vùng I", "2026-01-01", "")]
    written = (await load_regions(workforce_client, officer, rows)).json()
    assert written["written"] == 2
    again = (await load_regions(workforce_client, officer, rows)).json()
    assert again["written"] == 0  # the same rows are already recorded
    [row] = await _regions(workforce_client, officer, ward=WARD, on="2026-01-01")
    assert (row["region"], row["legal_source"]) == (2, "Nghị định 293/2025/NĐ-CP")


async def test_wage_region_rule_overlapping_rows_in_one_file_are_refused(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    rows = [(WARD, "I", "01/01/2026", ""), (WARD, "II", "01/06/2026", "")]
    dry = (await load_regions(workforce_client, officer, rows, dry_run=True)).json()
    assert [(e["row"], e["column"]) for e in dry["errors"]] == [(3, "Áp dụng từ ngày")]


async def test_wage_region_rule_a_later_decree_trims_the_span_it_replaces(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await load_regions(workforce_client, officer, [(WARD, "II", "01/01/2026", "")])
    await load_regions(
        workforce_client, officer, [(WARD, "I", "01/07/2026", "")], legal_source="Nghị định mới"
    )
    spans = [
        (r["region"], r["valid_from"], r["valid_to"])
        for r in await _regions(workforce_client, officer, ward=WARD)
    ]
    assert spans == [
        (1, "2024-07-01", "2025-12-31"),
        (2, "2026-01-01", "2026-06-30"),
        (1, "2026-07-01", None),
    ]


async def test_wage_region_rule_a_span_inside_another_splits_it(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await load_regions(
        workforce_client, officer, [(WARD, "III", "01/03/2025", "31/03/2025")], legal_source="Sửa"
    )
    spans = [
        (r["region"], r["valid_from"], r["valid_to"])
        for r in await _regions(workforce_client, officer, ward=WARD)
    ]
    assert spans == [
        (1, "2024-07-01", "2025-02-28"),
        (3, "2025-03-01", "2025-03-31"),
        (1, "2025-04-01", "2025-12-31"),
    ]


async def test_wage_region_rule_override_needs_a_reason_and_wins_over_the_ward(
    workforce_client: httpx.AsyncClient, officer: dict, token: TokenFactory
) -> None:
    no_reason = await workforce_client.post(
        "/api/v1/facilities",
        headers=officer,
        json={"code": "X", "name": "X", "kind": "school", "sector": "education",
              "ward_code": WARD, "wage_region_override": 3},
    )  # fmt: skip
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "wage_region_override_reason"]
    centre = await facility(
        workforce_client,
        officer,
        code="CENTRE",
        wage_region_override=3,
        wage_region_override_reason="Cơ sở đặt tại huyện đảo, theo xác nhận của Sở",
    )
    someone = await worker(workforce_client, officer)
    await assign(
        workforce_client, officer, someone["id"], centre["id"], monthly_allowance_vnd=4_000_000
    )
    region = await workforce_client.get(
        f"/api/v1/facilities/{centre['id']}/wage-region",
        params={"on": "2025-06-30"},
        headers=officer,
    )
    assert (region.json()["region"], region.json()["source"]) == (3, "override")
    body = await _facility_stats(workforce_client, token(Role.SERVICE), "2025-06-30")
    assert body["totals"]["paid_minimum_wage"] == 1  # 4,000,000 ≥ 3,860,000 (vùng III)
    url = f"/api/v1/facilities/{centre['id']}"
    etag = (await workforce_client.get(url, headers=officer)).headers["ETag"]
    undone = await workforce_client.patch(
        url, json={"wage_region_override": None}, headers={**officer, "If-Match": etag}
    )
    assert undone.json()["wage_region_override_reason"] is None
    history = (await workforce_client.get(f"{url}/history", headers=officer)).json()["items"]
    assert history[0]["changes"]["wage_region_override_reason"].startswith("Cơ sở đặt tại")
    assert history[1]["changes"]["wage_region_override"] == [3, None]
