"""What clients receive for the dashboard."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from services.reporting.report.schemas import IndicatorValue, MonitoredValue, ReportStatus


class TrendPoint(BaseModel):
    period_id: str
    window_end: date
    status: ReportStatus
    value: float | None


class DashboardTarget(BaseModel):
    current: IndicatorValue
    trend: list[TrendPoint]


class DashboardMonitored(BaseModel):
    current: MonitoredValue
    trend: list[TrendPoint]


class Dashboard(BaseModel):
    plan_id: UUID
    province_code: str
    as_of: date
    window_start: date
    window_end: date
    targets: list[DashboardTarget]
    monitoring: list[DashboardMonitored] = Field(
        description="The monitored indicators (`monitoring: true` in GET /indicators), live "
        "and in the reports so far, as the targets are"
    )
