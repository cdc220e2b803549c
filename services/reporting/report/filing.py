"""What the report's document and annex are made from: the report as its officers read it,
the plan's tasks and lead department, and which of its numbers may not leave the province."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import LEAVES_PROVINCE
from services.reporting.disclosure.models import disclosure_t
from services.reporting.disclosure.service import disclosed_territory, published_values
from services.reporting.plan.models import plan_t
from services.reporting.report.document import Letterhead
from services.reporting.report.render import report_read
from services.reporting.report.schemas import ReportRead
from services.reporting.report.service import get_report
from shared.admin_units import units_2025
from shared.auth import Principal

Withheld = dict[tuple[Any, ...], set[str]]


@dataclass(frozen=True)
class Filing:
    report: ReportRead
    letterhead: Letterhead
    withheld: Withheld
    task_titles: dict[str, str]


async def filing_of(connection: AsyncConnection, principal: Principal, report_id: UUID) -> Filing:
    row = await get_report(connection, principal, report_id)
    plan = (await connection.execute(sa.select(plan_t).where(plan_t.c.id == row.plan_id))).one()
    # Only the totals are in the document: no breakdown, sensitive or not.
    report = report_read(row, sensitive=False)
    tasks = plan.tasks or []
    head = Letterhead(
        authority_vi=f"Ủy ban nhân dân {_province(row.province_code)}",
        issuer_vi=lead_department(plan),
        place_vi=_place(row.province_code),
        plan_name_vi=_lowered(plan.name_vi),
        tasks=tasks,
    )
    titles = {task["code"]: task["title_vi"] for task in tasks}
    return Filing(report, head, await _withheld(connection, row), titles)


def lead_department(plan: Any) -> str:
    """The plan's lead department as it is now: the 2025 reform moved some (the Department
    of Labour's social work went to the Department of Health)."""
    leads = [r for r in plan.responsibilities or [] if r.get("lead")]
    if not leads:
        return "Sở Y tế"
    moved = next((c for c in plan.reform or [] if c["responsibility"] == leads[0]["code"]), None)
    return str(moved["now"][0]["agency_vi"] if moved else leads[0]["agency_vi"])


def _province(code: str) -> str:
    province = units_2025().provinces.get(code)
    return province.name if province else f"tỉnh {code}"


def _place(code: str) -> str:
    name = _province(code)
    for prefix in ("Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return name


def _lowered(name: str) -> str:
    """ "Kế hoạch thực hiện…" reads "Kết quả thực hiện kế hoạch thực hiện…" in the title."""
    return name[:1].lower() + name[1:]


async def _withheld(connection: AsyncConnection, row: Any) -> Withheld:
    """A submitted report's numbers as they were disclosed; a draft's as they would be if it
    were submitted now, against what the province has disclosed so far."""
    if row.status in LEAVES_PROVINCE:
        latest = (
            sa.select(disclosure_t.c["values"])
            .where(disclosure_t.c.report_id == row.id)
            .order_by(disclosure_t.c.disclosed_at.desc(), disclosure_t.c.id.desc())
            .limit(1)
        )
        shown = (await connection.execute(latest)).scalar_one()
    else:
        earlier = await connection.execute(
            sa.select(disclosure_t.c.territory, disclosure_t.c["values"]).where(
                disclosure_t.c.province_code == row.province_code
            )
        )
        territory = disclosed_territory(row.territory)
        shown = published_values(row.values, row.province_code, territory, list(earlier))
    return {
        (v["indicator"], v["group"], v["per_year"]): set(v.get("suppressed", ())) for v in shown
    }
