"""What leaves the province (suppressed, DHIS2, CSV) and what the department files (XLSX)."""

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

from services.reporting.plan.service import seed_plans
from shared.auth import Role
from tests.conftest import TokenFactory
from tests.reporting.helpers import HD_WARD, child, value


@pytest.fixture
async def submitted(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
) -> dict:
    """3 of 5 priority children served from socialised resources (small counts), and a baseline."""
    for _ in range(3):
        await child(
            cases_client,
            officer_31,
            HD_WARD,
            "orphan_without_support",
            [("socialised", "2025-04-01")],
        )
    for _ in range(2):
        await child(cases_client, officer_31, HD_WARD, "abandoned_child")
    baseline = {
        "territory_scheme": "legacy",
        "territory_code": "30",
        "metric": "people_supported",
        "period_id": "2020",
        "value": 2,
    }
    assert (
        await reporting_client.put("/api/v1/manual-values", json=baseline, headers=officer_31)
    ).status_code == 200
    report = (
        await reporting_client.post(
            "/api/v1/reports",
            headers=officer_31,
            json={"plan_id": plans["HD-2025"], "period": "2025"},
        )
    ).json()
    response = await reporting_client.post(
        f"/api/v1/reports/{report['id']}/submission", headers={**officer_31, "If-Match": '"1"'}
    )
    return response.json()


async def test_baseline_gives_growth_versus_2020(submitted: dict) -> None:
    growth = value(submitted, "I04")
    assert (growth["numerator"], growth["denominator"], growth["value"]) == (3, 2, 50.0)
    assert growth["met"] is True  # +50% against a +20% target


async def test_province_sees_every_number_but_the_ministry_gets_small_ones_withheld(
    reporting_client: httpx.AsyncClient, submitted: dict, token: TokenFactory
) -> None:
    assert value(submitted, "I05")["numerator"] == 3
    pulled = (
        await reporting_client.get(
            "/api/v1/ministry/indicator-values",
            params={"period": "2025", "province": "31"},
            headers=token(Role.MINISTRY),
        )
    ).json()["items"]
    children = next(v for v in pulled if v["indicator"] == "I05")
    assert children["numerator"] is None
    assert children["value"] is None  # 60% of 5 would give the 3 away
    assert children["denominator"] == 5
    assert children["suppressed"] == ["met", "numerator", "value"]
    growth = next(v for v in pulled if v["indicator"] == "I04")
    assert growth["denominator"] is None  # a baseline of 2 people
    paid = next(v for v in pulled if v["indicator"] == "I01")
    assert paid["suppressed"] == []  # facilities are not people
    assert "details" not in children


async def test_complementary_count_is_withheld_too(
    reporting_client: httpx.AsyncClient,
    cases_client: httpx.AsyncClient,
    plans: dict,
    officer_31: dict,
    live_sources: None,
    token: TokenFactory,
) -> None:
    for _ in range(7):
        await child(
            cases_client,
            officer_31,
            HD_WARD,
            "orphan_without_support",
            [("socialised", "2025-04-01")],
        )
    await child(cases_client, officer_31, HD_WARD, "abandoned_child")
    report = (
        await reporting_client.post(
            "/api/v1/reports",
            headers=officer_31,
            json={"plan_id": plans["HD-2025"], "period": "2025"},
        )
    ).json()
    await reporting_client.post(
        f"/api/v1/reports/{report['id']}/submission", headers={**officer_31, "If-Match": '"1"'}
    )
    pulled = (
        await reporting_client.get(
            "/api/v1/ministry/indicator-values", headers=token(Role.MINISTRY)
        )
    ).json()["items"]
    children = next(v for v in pulled if v["indicator"] == "I05")
    # 7 of 8: publishing 7 and 8 would say that exactly one child went unserved.
    assert (children["numerator"], children["denominator"], children["value"]) == (None, 8, None)


async def test_the_data_value_set_operation_answers_what_format_dhis2_does(
    reporting_client: httpx.AsyncClient, submitted: dict, token: TokenFactory
) -> None:
    ministry = token(Role.MINISTRY)
    params = {"plan": "HD-2025", "period": "2025"}
    own = await reporting_client.get(
        "/api/v1/ministry/data-value-sets", params=params, headers=ministry
    )
    assert own.status_code == 200
    as_format = await reporting_client.get(
        "/api/v1/ministry/indicator-values", params={**params, "format": "dhis2"}, headers=ministry
    )
    assert own.json()["dataValues"]
    assert own.json() == as_format.json()


async def test_dhis2_output_is_a_data_value_set_of_strings(
    reporting_client: httpx.AsyncClient, submitted: dict, token: TokenFactory
) -> None:
    document = (
        await reporting_client.get(
            "/api/v1/ministry/indicator-values",
            params={"format": "dhis2"},
            headers=token(Role.MINISTRY),
        )
    ).json()
    entries = document["dataValues"]
    assert entries
    for entry in entries:
        assert set(entry) == {
            "dataElement",
            "period",
            "orgUnit",
            "categoryOptionCombo",
            "attributeOptionCombo",
            "value",
        }
        assert all(isinstance(v, str) for v in entry.values())
        assert entry["period"] == "2025"
        # Hải Dương's plan counts the former province, not today's Hải Phòng (31).
        assert entry["orgUnit"] == "L30"
        assert entry["attributeOptionCombo"] == "HD-2025"
    elements = {e["dataElement"]: e["value"] for e in entries}
    assert elements["CTXH_I05_DEN"] == "5"
    assert "CTXH_I05_NUM" not in elements  # withheld, so not sent
    assert elements["CTXH_I02_COMMUNES_AND_SECTOR_DEN"] == "0"


async def test_changed_since_pulls_only_newer_reports(
    reporting_client: httpx.AsyncClient, submitted: dict, token: TokenFactory
) -> None:
    later = (
        await reporting_client.get(
            "/api/v1/ministry/reports",
            params={"changed_since": submitted["updated_at"]},
            headers=token(Role.MINISTRY),
        )
    ).json()
    assert later["items"] == []
    everything = (
        await reporting_client.get("/api/v1/ministry/reports", headers=token(Role.MINISTRY))
    ).json()
    assert [r["period_id"] for r in everything["items"]] == ["2025"]


async def test_ministry_csv_has_a_row_per_value(
    reporting_client: httpx.AsyncClient, submitted: dict, token: TokenFactory
) -> None:
    response = await reporting_client.get(
        "/api/v1/ministry/indicator-values", params={"format": "csv"}, headers=token(Role.MINISTRY)
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The monitored indicators are rows too, in `monitoring` of the JSON.
    assert len(rows) == len(submitted["values"]) + len(submitted["monitoring"])
    i05 = next(r for r in rows if r["indicator"] == "I05")
    assert (i05["numerator"], i05["suppressed"]) == ("", "met;numerator;value")


async def test_only_the_ministry_pulls(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    response = await reporting_client.get("/api/v1/ministry/indicator-values", headers=officer_31)
    assert response.status_code == 403


async def test_report_workbook_reads_back_with_vietnamese_labels(
    reporting_client: httpx.AsyncClient, submitted: dict, officer_31: dict
) -> None:
    response = await reporting_client.get(
        f"/api/v1/reports/{submitted['id']}/export", headers=officer_31
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Chỉ tiêu",
        "Phân tổ",
        "Theo năm",
        "Cơ sở chưa xác định vùng",
        "Số liệu nhập tay",
        "Kinh phí",
        "Địa bàn",
    ]
    rows = list(book["Chỉ tiêu"].iter_rows(values_only=True))
    assert rows[0][0].startswith("BÁO CÁO KẾT QUẢ")
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    table = {r[1]: r for r in rows[header + 1 :] if r[0]}
    children = next(r for name, r in table.items() if name.startswith("Tỷ lệ trẻ em"))
    assert (children[5], children[6], children[7], children[8]) == (60, "Chưa đạt", 3, 5)
    manual = list(book["Số liệu nhập tay"].iter_rows(values_only=True))
    assert manual[1] == ("Số người được tư vấn, hỗ trợ", "2020", 2, None, None, "Nhập tay", None)


async def test_report_workbook_gives_the_breakdowns(
    reporting_client: httpx.AsyncClient, submitted: dict, officer_31: dict
) -> None:
    url = f"/api/v1/reports/{submitted['id']}/export"

    def children_rows(response: httpx.Response) -> list[tuple]:
        sheet = load_workbook(io.BytesIO(response.content))["Phân tổ"]
        return [
            r
            for r in list(sheet.iter_rows(values_only=True))[1:]
            if r[0].startswith("Tỷ lệ trẻ em")
        ]

    # #5's groups include children living with HIV: its breakdowns need a stated purpose.
    assert children_rows(await reporting_client.get(url, headers=officer_31)) == []
    purpose = {"purpose": "lập báo cáo năm"}
    children = children_rows(await reporting_client.get(url, params=purpose, headers=officer_31))
    by_ward = {r[3]: (r[5], r[6]) for r in children if r[2] == "Theo phường, xã hiện nay"}
    assert by_ward == {"10525": (3, 5)}
    districts = {r[4]: (r[5], r[6]) for r in children if r[2] == "Theo huyện cũ"}
    assert districts == {"Thành phố Hải Dương (cũ)": (3, 5)}
    groups = {r[4]: (r[5], r[6]) for r in children if r[2] == "Theo nhóm trẻ em"}
    assert groups["Trẻ em mồ côi không nơi nương tựa"] == (3, 3)


async def test_report_csv_export(
    reporting_client: httpx.AsyncClient, submitted: dict, officer_31: dict
) -> None:
    response = await reporting_client.get(
        f"/api/v1/reports/{submitted['id']}/export", params={"format": "csv"}, headers=officer_31
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Kế hoạch", "Tỉnh/thành", "Kỳ báo cáo", "STT"]
    assert len(rows) == len(submitted["values"]) + len(submitted["monitoring"]) + 1


async def test_dashboard_shows_today_and_the_trend(
    reporting_client: httpx.AsyncClient, submitted: dict, officer_31: dict, plans: dict
) -> None:
    board = (
        await reporting_client.get(
            f"/api/v1/plans/{plans['HD-2025']}/dashboard", headers=officer_31
        )
    ).json()
    children = next(t for t in board["targets"] if t["current"]["indicator"] == "I05")
    assert children["trend"] == [
        {"period_id": "2025", "window_end": "2025-12-14", "status": "submitted", "value": 60.0}
    ]


async def test_report_exports_write_formula_looking_text_as_inert_text(
    reporting_client: httpx.AsyncClient, officer_31: dict, token: TokenFactory, live_sources: None
) -> None:
    """The plan's code and a target's note are typed by people and reach both exports."""
    link = '=HYPERLINK("http://x","y")'
    plan = next(p for p in seed_plans() if p.code == "HD-2025").model_dump(mode="json")
    plan["code"] = link
    plan["targets"][0]["note_vi"] = link
    created = await reporting_client.post("/api/v1/plans", json=plan, headers=token(Role.ADMIN))
    assert created.status_code == 201, created.text
    report = await reporting_client.post(
        "/api/v1/reports",
        headers=officer_31,
        json={"plan_id": created.json()["id"], "period": "2025"},
    )
    url = f"/api/v1/reports/{report.json()['id']}/export"
    as_csv = await reporting_client.get(url, params={"format": "csv"}, headers=officer_31)
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    note = rows[0].index("Ghi chú")
    assert {row[0] for row in rows[1:]} == {"'" + link}
    assert "'" + link in {row[note] for row in rows[1:]}
    as_xlsx = await reporting_client.get(url, headers=officer_31)
    sheet = load_workbook(io.BytesIO(as_xlsx.content))["Chỉ tiêu"]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["B2"].data_type) == (
        "Kế hoạch",
        "'" + link,
        "s",
    )
    notes = [row[11] for row in sheet.iter_rows(min_row=9) if row[11].value]
    assert ("'" + link, "s") in {(c.value, c.data_type) for c in notes}
