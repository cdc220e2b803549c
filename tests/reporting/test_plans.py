"""Plans: the seed plans as data, targets validated, each officer sees its own."""

import httpx

from shared.auth import Role
from tests.conftest import TokenFactory


async def test_seed_plans_load_with_their_targets(
    reporting_client: httpx.AsyncClient, plans: dict, token: TokenFactory
) -> None:
    listed = (await reporting_client.get("/api/v1/plans", headers=token(Role.MINISTRY))).json()
    codes = {p["code"]: p for p in listed["items"]}
    assert set(codes) == {"HD-2025", "BD-2021-2025", "QD112-2021-2030"}
    hd = codes["HD-2025"]
    assert hd["territory"] == {"scheme": "legacy", "code": "30", "shared_wards": "include"}
    assert hd["province_code"] == "31"  # Hải Dương is part of Hải Phòng since 2025
    assert codes["BD-2021-2025"]["province_code"] == "52"  # Bình Định is part of Gia Lai
    assert [(t["indicator"], t["group"], t["value"]) for t in hd["targets"]][:3] == [
        ("I01", None, 60.0),
        ("I02", "communes_and_sector", 50.0),
        ("I02", "justice_and_mass", 30.0),
    ]


async def test_seed_plans_carry_their_tasks_and_responsible_agencies_from_data(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, officer_52: dict
) -> None:
    hd = await _plan(reporting_client, officer_31, "HD-2025")
    assert [t["code"] for t in hd["tasks"]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert hd["tasks"][0]["title_vi"].startswith("Tổ chức thực hiện các văn bản quy phạm")
    assert [i["code"] for i in hd["tasks"][0]["items"]] == ["a", "b", "c", "d"]
    lead = [r for r in hd["responsibilities"] if r["lead"]]
    assert [r["code"] for r in lead] == ["IV.1"]
    districts = next(r for r in hd["responsibilities"] if r["kind"] == "district_committee")
    moved = next(c for c in hd["reform"] if c["responsibility"] == districts["code"])
    assert "commune_committee" in {s["kind"] for s in moved["now"]}
    assert "72/2025/QH15" in moved["source_vi"]

    bd = await _plan(reporting_client, officer_52, "BD-2021-2025")
    assert len(bd["tasks"]) == 8
    assert [r["code"] for r in bd["responsibilities"]] == [f"IV.{n}" for n in range(1, 15)]
    named = {r["agency_vi"] for r in bd["responsibilities"] if not r["group"]}
    assert {"Sở Y tế", "Sở Tư pháp", "Công an tỉnh"} <= named
    assert {r["kind"] for r in bd["responsibilities"]} >= {
        "department",
        "mass_organisation",
        "district_committee",
        "school",
    }


async def test_a_plan_whose_agencies_name_tasks_it_lacks_is_refused(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    body = {
        "code": "X-TASKS",
        "name_vi": "X",
        "name_en": "X",
        "level": "province",
        "territory": {"scheme": "2025", "code": "31"},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "targets": [{"indicator": "I05", "value": 90}],
        "tasks": [{"code": "1", "title_vi": "Truyền thông", "items": []}],
        "responsibilities": [
            {
                "code": "IV.1",
                "agency_vi": "Sở Y tế",
                "kind": "department",
                "lead": True,
                "group": False,
                "duties_vi": ["Chủ trì"],
                "tasks": ["1", "9"],
            }
        ],
    }
    response = await reporting_client.post("/api/v1/plans", json=body, headers=officer_31)
    assert response.status_code == 422
    assert "['9']" in str(response.json()["errors"])


async def _plan(client: httpx.AsyncClient, headers: dict, code: str) -> dict:
    listed = (await client.get("/api/v1/plans", headers=headers)).json()["items"]
    return next(p for p in listed if p["code"] == code)


async def test_each_officer_sees_its_province_plans_and_the_national_one(
    reporting_client: httpx.AsyncClient, plans: dict, officer_31: dict, officer_52: dict
) -> None:
    hp = {
        p["code"]
        for p in (await reporting_client.get("/api/v1/plans", headers=officer_31)).json()["items"]
    }
    gl = {
        p["code"]
        for p in (await reporting_client.get("/api/v1/plans", headers=officer_52)).json()["items"]
    }
    assert hp == {"HD-2025", "QD112-2021-2030"}
    assert gl == {"BD-2021-2025", "QD112-2021-2030"}


async def test_bad_targets_are_refused_with_reasons(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    body = {
        "code": "X",
        "name_vi": "X",
        "name_en": "X",
        "level": "province",
        "territory": {"scheme": "2025", "code": "31"},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "targets": [
            {"indicator": "I99", "value": 1},
            {"indicator": "I05", "value": -1},
            {"indicator": "R02", "value": 90},  # monitored in every report, not a target
        ],
    }
    response = await reporting_client.post("/api/v1/plans", json=body, headers=officer_31)
    assert response.status_code == 422
    assert {tuple(e["loc"][1:4]) for e in response.json()["errors"]} >= {
        ("targets", 0),
        ("targets", 1, "value"),
        ("targets", 2),
    }


async def test_indicator_catalogue_lists_the_plans_ten_then_the_monitored_ones(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    listed = await reporting_client.get("/api/v1/indicators", headers=officer_31)
    catalogue = listed.json()["items"]
    assert [i["code"] for i in catalogue] == [
        "I01",
        "I02",
        "I03A",
        "I03B",
        "I04",
        "I05",
        "I06",
        "I07",
        "I08",
        "I09",
        "I10",
        "R01",
        "R02",
        "R03",
    ]
    assert all(i["numerator"] and i["name_vi"] for i in catalogue)
    assert [i["code"] for i in catalogue if i["monitoring"]] == ["R01", "R02", "R03"]


async def test_periods_follow_decree_09_windows(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    periods = (
        await reporting_client.get("/api/v1/periods", params={"year": 2025}, headers=officer_31)
    ).json()["items"]
    assert [(p["id"], p["start"], p["end"], p["deadline"], p["dhis2_id"]) for p in periods] == [
        ("2025S1", "2024-12-15", "2025-06-14", "2025-06-15", "2025S1"),
        ("2025", "2024-12-15", "2025-12-14", "2025-12-15", "2025"),
    ]
