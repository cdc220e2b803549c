"""A plan's targets as of a date, computed live, beside their values in the reports so far."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import check_own_province
from services.reporting.clients.sources import SourceUnavailable
from services.reporting.dashboard.schemas import (
    Dashboard,
    DashboardMonitored,
    DashboardTarget,
    TrendPoint,
)
from services.reporting.periods import year_to_date
from services.reporting.plan.service import get_plan_row, targets_of
from services.reporting.report.compute import Computed, Inputs, load_inputs
from services.reporting.report.models import report_t
from services.reporting.report.render import indicator_value, is_monitored, monitored_value
from services.reporting.report.service import territory_of
from shared.auth import Principal
from shared.dates import today_in_vietnam
from shared.db import AnyRow

# What tells one target's value from another's within a report.
ValueKey = tuple[Any, ...]


@dataclass(frozen=True)
class DashboardInputs:
    """What the dashboard needs from this database, read before any source is asked, so
    that no transaction stays open while the sources answer."""

    as_of: date
    inputs: Inputs
    reports: list[AnyRow]  # the reports made so far, oldest window first


async def _reports_so_far(
    connection: AsyncConnection, plan_id: UUID, province_code: str | None
) -> list[AnyRow]:
    # Ad-hoc windows are left out: the trend runs over the plan's regular periods.
    query = (
        sa.select(report_t)
        .where(
            report_t.c.plan_id == plan_id,
            report_t.c.province_code == province_code,
            report_t.c.period_kind != "custom",
        )
        .order_by(report_t.c.window_end)
    )
    return list((await connection.execute(query)).all())


async def dashboard_inputs(
    connection: AsyncConnection,
    principal: Principal,
    plan_id: UUID,
    province_code: str | None,
    as_of: date | None,
) -> DashboardInputs:
    """The plan, the caller's province (the default of a national plan) and the reporting
    year up to `as_of`: by default today, or the plan's end once the plan is over."""
    plan = await get_plan_row(connection, principal, plan_id)
    territory = territory_of(plan, province_code or principal.province_code)
    check_own_province(principal, territory.province_code, "live figures")
    day = as_of or min(today_in_vietnam(), plan.period_end)
    period = year_to_date(day, plan.period_end.year)
    targets = await targets_of(connection, plan.id)
    inputs = await load_inputs(connection, plan, targets, territory, period)
    reports = await _reports_so_far(connection, plan.id, territory.province_code)
    return DashboardInputs(as_of=day, inputs=inputs, reports=reports)


def require_every_source(computed: Computed) -> None:
    """Live figures are shown only when every source answered: 503 naming the first that
    could not, rather than targets that quietly leave its records out."""
    if computed.missing_sources:
        raise SourceUnavailable(
            f"{', '.join(computed.missing_sources)} could not answer",
            source=computed.missing_sources[0],
        )


def _key(value: dict[str, Any]) -> ValueKey:
    return (value["indicator"], value["group"], value["per_year"])


def _value_in(report: AnyRow, key: ValueKey) -> float | None:
    return next((v["value"] for v in report.values if _key(v) == key), None)


def _trend(reports: list[AnyRow], current: dict[str, Any]) -> list[TrendPoint]:
    key = _key(current)
    return [
        TrendPoint(
            period_id=report.period_id,
            window_end=report.window_end,
            status=report.status,
            value=_value_in(report, key),
        )
        for report in reports
    ]


def build_dashboard(read: DashboardInputs, computed: Computed, *, sensitive: bool) -> Dashboard:
    """Each target's and monitored indicator's live value, as the reader may see it, with
    its trend."""
    plan, territory, period = read.inputs.plan, read.inputs.territory, read.inputs.period
    return Dashboard(
        plan_id=plan.id,
        province_code=territory.province_code or "",
        as_of=read.as_of,
        window_start=period.start,
        window_end=period.end,
        targets=[
            DashboardTarget(
                current=indicator_value(value, sensitive=sensitive),
                trend=_trend(read.reports, value),
            )
            for value in computed.values
            if not is_monitored(value)
        ],
        monitoring=[
            DashboardMonitored(
                current=monitored_value(value, sensitive=sensitive),
                trend=_trend(read.reports, value),
            )
            for value in computed.values
            if is_monitored(value)
        ],
    )
