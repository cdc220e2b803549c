"""Reading every province's submitted reports as disclosed, and reviewing them."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.disclosure.service import disclosed_reports
from services.reporting.ministry.outbound import Outbound, outbound_values, split
from services.reporting.ministry.schemas import DisclosedTerritory, ReportSummary, ReviewOutcome
from services.reporting.plan.models import plan_t
from services.reporting.report import service as reports
from services.reporting.report.errors import ReportNotFound
from services.reporting.report.models import report_t
from services.reporting.report.schemas import Review
from shared.auth import Principal
from shared.db import AnyRow


async def _disclosed(
    connection: AsyncConnection,
    principal: Principal,
    *,
    period: str | None = None,
    province: str | None = None,
    plan: str | None = None,
    changed_since: datetime | None = None,
    report_id: UUID | None = None,
) -> list[AnyRow]:
    """The disclosed reports matching every filter given, oldest change first: the order a
    client polling with `changed_since` resumes from."""
    query = disclosed_reports(principal)
    for column, value in (
        (report_t.c.period_id, period),
        (report_t.c.province_code, province),
        (plan_t.c.code, plan),
        (report_t.c.id, report_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if changed_since is not None:
        query = query.where(report_t.c.updated_at > changed_since)
    order = (report_t.c.updated_at, report_t.c.province_code, report_t.c.period_id)
    return list((await connection.execute(query.order_by(*order))).all())


async def disclosed_values(
    connection: AsyncConnection,
    principal: Principal,
    period: str | None,
    province: str | None,
    plan: str | None,
    changed_since: datetime | None,
) -> list[Outbound]:
    """Every value of the reports the filters select, as disclosed, monitored indicators'
    included, in report order."""
    found = await _disclosed(
        connection,
        principal,
        period=period,
        province=province,
        plan=plan,
        changed_since=changed_since,
    )
    return [value for report in found for value in outbound_values(report)]


def _summary(report: AnyRow) -> ReportSummary:
    values, monitoring = split(outbound_values(report))
    return ReportSummary(
        id=report.id,
        province_code=report.province_code,
        territory=DisclosedTerritory(**report.territory),
        plan_code=report.plan_code,
        period_id=report.period_id,
        window_start=report.window_start,
        window_end=report.window_end,
        status=report.status,
        submitted_at=report.submitted_at,
        disclosed_at=report.disclosed_at,
        reviewed_at=report.reviewed_at,
        review_note=report.review_note,
        version=report.version,
        updated_at=report.updated_at,
        values=values,
        monitoring=monitoring,
    )


async def submitted_reports(
    connection: AsyncConnection,
    principal: Principal,
    period: str | None,
    province: str | None,
    changed_since: datetime | None,
) -> list[ReportSummary]:
    """Submitted and accepted reports of any province as disclosed, oldest change first."""
    found = await _disclosed(
        connection, principal, period=period, province=province, changed_since=changed_since
    )
    return [_summary(report) for report in found]


async def submitted_report(
    connection: AsyncConnection, principal: Principal, report_id: UUID
) -> ReportSummary:
    """One submitted or accepted report as disclosed; 404 for any other."""
    found = await _disclosed(connection, principal, report_id=report_id)
    if not found:
        raise ReportNotFound()
    return _summary(found[0])


async def review_report(
    connection: AsyncConnection,
    principal: Principal,
    report_id: UUID,
    review: Review,
    if_match: str | None,
) -> ReviewOutcome:
    """Record the review, then answer the report as the review left it."""
    await reports.review_report(connection, principal, report_id, review, if_match)
    query = sa.select(report_t).where(report_t.c.id == report_id)
    reviewed = (await connection.execute(query)).one()
    return ReviewOutcome.model_validate(reviewed, from_attributes=True)
