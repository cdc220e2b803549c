"""What the ministry receives: disclosed values (JSON, DHIS2), reports as disclosed, and the
outcome of a review."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.reporting.ministry.outbound import MonitoredOutboundValue, OutboundValue
from services.reporting.report.schemas import ReportStatus
from services.reporting.territory import TerritoryScheme
from shared.pagination import ListOf

MONITORING = (
    "The monitored indicators (`monitoring: true` in GET /indicators) as disclosed, which "
    "every report gives and no plan targets"
)


class IndicatorValues(ListOf[OutboundValue]):
    monitoring: list[MonitoredOutboundValue] = Field(description=MONITORING)


class DataValueSet(BaseModel):
    dataValues: list[dict[str, str]]  # noqa: N815 - DHIS2's field name


class DisclosedTerritory(BaseModel):
    scheme: TerritoryScheme
    code: str | None
    name: str
    wards: list[str] | None = Field(description="The 2025 wards; null: the whole province")


class ReportSummary(BaseModel):
    id: UUID
    province_code: str
    territory: DisclosedTerritory
    plan_code: str
    period_id: str
    window_start: date
    window_end: date
    status: ReportStatus
    submitted_at: datetime | None
    disclosed_at: datetime
    reviewed_at: datetime | None
    review_note: str | None
    version: int = Field(description="Its ETag, for If-Match on review")
    updated_at: datetime
    values: list[OutboundValue]
    monitoring: list[MonitoredOutboundValue] = Field(description=MONITORING)


class ReportSummaries(ListOf[ReportSummary]):
    pass


class ReviewOutcome(BaseModel):
    id: UUID
    status: ReportStatus
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None
    version: int
