"""The report workflow: draft (recomputed on demand), submitted (frozen), accepted or returned."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import check_own_province, disclosed_scope, report_scope
from services.reporting.common import history
from services.reporting.disclosure.service import disclose_report
from services.reporting.events import service as events
from services.reporting.events.schemas import ReportEventType
from services.reporting.periods import Period, as_of, parse_period, plan_span
from services.reporting.plan.models import plan_t
from services.reporting.plan.service import get_plan_row, targets_of
from services.reporting.report.compute import Computed, Inputs, load_inputs
from services.reporting.report.errors import (
    ReportExists,
    ReportFrozen,
    ReportIncomplete,
    ReportNotFound,
    ReportNotSubmitted,
)
from services.reporting.report.models import report_t
from services.reporting.report.schemas import ReportCreate, ReportStatus, Review, ReviewDecision
from services.reporting.territory import Territory, resolve
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.errors import ValidationFailed, field_error
from shared.history import HistoryEvent, history_of, record_event
from shared.models import new_id
from shared.records import save_changes, unique_or

# The event each review decision is.
REVIEWED = {
    ReviewDecision.ACCEPTED: ReportEventType.REPORT_ACCEPTED,
    ReviewDecision.RETURNED: ReportEventType.REPORT_RETURNED,
}

# A report with what its rendering needs of its plan.
REPORT_WITH_PLAN = sa.select(
    report_t,
    plan_t.c.code.label("plan_code"),
    plan_t.c.deadlines,
    plan_t.c.period_end.label("plan_end"),
).join(plan_t, plan_t.c.id == report_t.c.plan_id)


async def get_report(connection: AsyncConnection, principal: Principal, report_id: UUID) -> AnyRow:
    query = REPORT_WITH_PLAN.where(report_t.c.id == report_id, report_scope(principal))
    row = (await connection.execute(query)).first()
    if row is None:
        raise ReportNotFound()
    return row


async def list_reports(
    connection: AsyncConnection,
    principal: Principal,
    plan_id: UUID | None,
    period: str | None,
    status: ReportStatus | None,
) -> list[AnyRow]:
    """The caller's reports matching every filter given, newest window first."""
    query = REPORT_WITH_PLAN.where(report_scope(principal))
    for column, value in (
        (report_t.c.plan_id, plan_id),
        (report_t.c.period_id, period),
        (report_t.c.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    return list((await connection.execute(query.order_by(report_t.c.window_end.desc()))).all())


async def report_history(
    connection: AsyncConnection, principal: Principal, report_id: UUID
) -> list[HistoryEvent]:
    """The report's events; looked up in the caller's scope first, so another province's
    report answers 404 rather than its history."""
    report = await get_report(connection, principal, report_id)
    return await history_of(connection, history, report.id)


def territory_of(plan: Any, province_code: str | None) -> Territory:
    if plan.level != "national":
        return resolve(plan.territory_scheme, plan.territory_code, plan.shared_wards)
    if province_code is None:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "province_code"],
                    "name the province reported against the national targets",
                    "missing",
                )
            ]
        )
    return resolve("2025", province_code)


def period_for(plan: Any, requested: str, cut: date | None = None) -> Period:
    """The period asked for: an id, or the plan's mid-term or end-of-phase years; cut short at
    `cut` when given."""
    if requested in ("mid_term", "end_of_phase"):
        requested = plan_span(requested, plan.period_start, plan.period_end)
    period = parse_period(requested)
    return as_of(period, cut) if cut is not None else period


def territory_summary(territory: Territory, split: dict[str, Any] | None = None) -> dict[str, Any]:
    summary = {
        "scheme": territory.scheme,
        "code": territory.code,
        "name": territory.name,
        "province_code": territory.province_code,
        "ward_codes": list(territory.ward_codes),
        "shared_wards": territory.shared_wards,
        "shared_policy": territory.shared_policy,
    }
    if split is not None:
        summary["unmarked_in_shared_wards"] = {
            k: split[k] for k in ("people", "facilities", "note_vi")
        }
    return summary


def _computed_values(computed: Computed, territory: Territory) -> dict[str, Any]:
    return {
        "territory": territory_summary(territory, computed.split_wards),
        "values": computed.values,
        "manual_values": computed.manual_values,
        "funding": computed.funding,
        "contributions": computed.contributions,
        "missing_sources": computed.missing_sources,
        "complete": not computed.missing_sources,
        "computed_at": utcnow(),
    }


async def _existing(
    connection: AsyncConnection, plan_id: UUID, province: str, period: str
) -> UUID | None:
    query = sa.select(report_t.c.id).where(
        report_t.c.plan_id == plan_id,
        report_t.c.province_code == province,
        report_t.c.period_id == period,
    )
    return (await connection.execute(query)).scalar()


async def draft_inputs(
    connection: AsyncConnection, principal: Principal, data: ReportCreate
) -> Inputs:
    """What drafting a report needs from this database; 409 early if it exists already."""
    plan = await get_plan_row(connection, principal, data.plan_id)
    territory = territory_of(plan, data.province_code)
    check_own_province(principal, territory.province_code, "reports")
    period = period_for(plan, data.period, data.as_of)
    if existing := await _existing(connection, plan.id, territory.province_code or "", period.id):
        raise ReportExists(existing_id=str(existing))
    targets = await targets_of(connection, plan.id)
    return await load_inputs(connection, plan, targets, territory, period)


async def insert_report(
    connection: AsyncConnection, principal: Principal, inputs: Inputs, computed: Computed
) -> UUID:
    """The drafted report; 409 if another request drafted it while the sources answered."""
    plan, territory, period = inputs.plan, inputs.territory, inputs.period
    now, report_id = utcnow(), new_id()
    values = {
        "id": report_id,
        "plan_id": plan.id,
        "province_code": territory.province_code,
        "period_id": period.id,
        "period_kind": period.kind,
        "window_start": period.start,
        "window_end": period.end,
        "dhis2_period": period.dhis2_id,
        "status": "draft",
        "version": 1,
        "created_by": principal.subject,
        "created_at": now,
        "updated_at": now,
        **_computed_values(computed, territory),
    }
    try:
        # The unique (plan, province, period) decides between two drafts raced in.
        async with unique_or(connection, ReportExists):
            await connection.execute(report_t.insert().values(**values))
    except ReportExists:
        existing = await _existing(connection, plan.id, territory.province_code or "", period.id)
        raise ReportExists(existing_id=str(existing)) from None
    await record_event(
        connection,
        history,
        principal,
        entity_type="report",
        entity_id=report_id,
        action="drafted",
        changes={"complete": not computed.missing_sources},
    )
    return report_id


async def refresh_inputs(
    connection: AsyncConnection, principal: Principal, report_id: UUID, if_match: str | None
) -> tuple[Any, Inputs]:
    """The report to recompute, checked, and what its computation needs from here."""
    current = await get_report(connection, principal, report_id)
    check_if_match(if_match, current.version)
    if current.status not in ("draft", "returned"):
        raise ReportFrozen(f"the report is {current.status}; its numbers do not change")
    plan = await get_plan_row(connection, principal, current.plan_id)
    territory = territory_of(plan, current.province_code)
    targets = await targets_of(connection, plan.id)
    period = parse_period(current.period_id)
    return current, await load_inputs(connection, plan, targets, territory, period)


async def save_refresh(
    connection: AsyncConnection,
    principal: Principal,
    current: Any,
    inputs: Inputs,
    computed: Computed,
) -> None:
    """Store the recomputed values; 412 if the report changed (or was submitted) meanwhile."""
    await save_changes(
        connection,
        report_t,
        current,
        _computed_values(computed, inputs.territory),
        history=history,
        principal=principal,
        entity_type="report",
        action="recomputed",
    )


async def submit_report(
    connection: AsyncConnection, principal: Principal, report_id: UUID, if_match: str | None
) -> None:
    current = await get_report(connection, principal, report_id)
    check_if_match(if_match, current.version)
    if current.status not in ("draft", "returned"):
        raise ReportFrozen(f"the report is already {current.status}")
    if not current.complete:
        raise ReportIncomplete(
            f"missing: {', '.join(current.missing_sources)}; recompute first",
            missing_sources=current.missing_sources,
        )
    await save_changes(
        connection,
        report_t,
        current,
        {"status": "submitted", "submitted_at": utcnow(), "submitted_by": principal.subject},
        history=history,
        principal=principal,
        entity_type="report",
        action="submitted",
    )
    await events.emit(connection, ReportEventType.REPORT_SUBMITTED, current, status="submitted")
    await disclose_report(connection, principal, await get_report(connection, principal, report_id))


async def review_report(
    connection: AsyncConnection,
    principal: Principal,
    report_id: UUID,
    review: Review,
    if_match: str | None,
) -> None:
    query = sa.select(report_t).where(report_t.c.id == report_id, disclosed_scope(principal))
    current = (await connection.execute(query)).first()
    if current is None:
        raise ReportNotFound()
    check_if_match(if_match, current.version)
    if current.status != "submitted":
        raise ReportNotSubmitted(
            f"only a submitted report is reviewed; this one is {current.status}"
        )
    await save_changes(
        connection,
        report_t,
        current,
        {
            "status": review.decision,
            "reviewed_at": utcnow(),
            "reviewed_by": principal.subject,
            "review_note": review.note,
        },
        history=history,
        principal=principal,
        entity_type="report",
        action=review.decision,
    )
    await events.emit(connection, REVIEWED[review.decision], current, status=review.decision.value)


def deadline_of(row: Any, period: Period) -> date | None:
    """The plan's own deadline for the period when it sets one (Hải Dương: 30/11), else the
    decree's. A plan deadline in the second half of the year is the annual report's."""
    if period.kind == "custom":
        return None
    for entry in row.deadlines or []:
        text = entry["date"]
        when = date.fromisoformat(text if len(text) == 10 else f"{period.end.year}-{text}")
        second_half = when.month > 6
        yearly = period.kind in ("annual", "multi_year")
        if when.year == period.end.year and second_half == yearly:
            return when
    return period.deadline
