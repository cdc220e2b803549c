"""Disclosing a report when it is submitted, and reading what was disclosed.

Only this module writes what may leave a province, and every output that leaves (the
ministry's JSON, CSV and DHIS2, its view of a report) reads it from here, never from the
report itself.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import disclosed_scope
from services.reporting.disclosure.models import disclosure_t
from services.reporting.disclosure.rules import Cell, Population, disclose
from services.reporting.indicators.catalogue import CATALOGUE
from services.reporting.plan.models import plan_t
from services.reporting.report.models import report_t
from shared.auth import Principal
from shared.models import new_id
from shared.records import serialize

PUBLISHED_FIELDS = (
    "indicator",
    "group",
    "per_year",
    "unit",
    "target",
    "window_start",
    "window_end",
    "value",
    "numerator",
    "denominator",
    "met",
    "status",
)


def disclosed_territory(territory: dict[str, Any]) -> dict[str, Any]:
    """What the ministry is told of a report's territory: no counts, no split of wards."""
    wards = territory.get("ward_codes") or None
    return {
        "scheme": territory["scheme"],
        "code": territory["code"],
        "name": territory["name"],
        "wards": sorted(wards) if wards else None,
    }


def _cell(value: dict[str, Any], province_code: str, territory: dict[str, Any]) -> Cell:
    wards = territory["wards"]
    population = Population(
        indicator=value["indicator"],
        group=value["group"],
        start=date.fromisoformat(str(value["window_start"])),
        end=date.fromisoformat(str(value["window_end"])),
        province_code=province_code,
        wards=frozenset(wards) if wards is not None else None,
    )
    return Cell(
        population,
        value["numerator"],
        value["denominator"],
        about_people=CATALOGUE[value["indicator"]].about_people,
        withheld=set(value.get("suppressed", ())),
    )


def published_values(
    values: list[dict[str, Any]],
    province_code: str,
    territory: dict[str, Any],
    before: list[Any],
) -> list[dict[str, Any]]:
    """The values as they may leave, given the province's earlier disclosures (rows with
    `territory` and `values`): withheld numbers null, and named in `suppressed`."""
    published = [_cell(v, province_code, row.territory) for row in before for v in row.values]
    cells = disclose([_cell(v, province_code, territory) for v in values], published)
    shown = []
    for value, cell in zip(values, cells, strict=True):
        item = {key: value[key] for key in PUBLISHED_FIELDS}
        item.update({key: None for key in cell.withheld})
        shown.append({**item, "suppressed": sorted(cell.withheld)})
    return shown


async def disclose_report(connection: AsyncConnection, principal: Principal, report: Any) -> None:
    """Record what the report discloses now it is submitted. One province discloses one
    report at a time, so each is checked against all that left before it."""
    await serialize(connection, f"disclosure:{report.province_code}")
    earlier = await connection.execute(
        sa.select(disclosure_t.c.territory, disclosure_t.c["values"]).where(
            disclosure_t.c.province_code == report.province_code
        )
    )
    territory = disclosed_territory(report.territory)
    await connection.execute(
        disclosure_t.insert().values(
            id=new_id(),
            report_id=report.id,
            report_version=report.version,
            province_code=report.province_code,
            territory=territory,
            values=published_values(report.values, report.province_code, territory, list(earlier)),
            disclosed_by=principal.subject,
        )
    )


def _latest_disclosure() -> sa.ScalarSelect[Any]:
    latest = disclosure_t.alias("latest")
    return (
        sa.select(latest.c.id)
        .where(latest.c.report_id == report_t.c.id)
        .order_by(latest.c.disclosed_at.desc(), latest.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


# Reports the ministry may read, each with its latest disclosure instead of its numbers.
DISCLOSED_REPORTS = (
    sa.select(
        report_t.c.id,
        report_t.c.province_code,
        report_t.c.period_id,
        report_t.c.period_kind,
        report_t.c.window_start,
        report_t.c.window_end,
        report_t.c.dhis2_period,
        report_t.c.status,
        report_t.c.submitted_at,
        report_t.c.reviewed_at,
        report_t.c.review_note,
        report_t.c.version,
        report_t.c.updated_at,
        plan_t.c.code.label("plan_code"),
        disclosure_t.c.territory,
        disclosure_t.c["values"],
        disclosure_t.c.disclosed_at,
    )
    .join(plan_t, plan_t.c.id == report_t.c.plan_id)
    .join(disclosure_t, disclosure_t.c.id == _latest_disclosure())
)


def disclosed_reports(principal: Principal) -> sa.Select[Any]:
    return DISCLOSED_REPORTS.where(disclosed_scope(principal))
