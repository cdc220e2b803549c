"""What clients send and receive for reports."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.reporting.agency.kinds import AgencyKind
from services.reporting.clients.sources import SourceService
from services.reporting.contribution.content import (
    ActivityCounts,
    BudgetSource,
    Spending,
    TaskReport,
)
from services.reporting.indicators.catalogue import IndicatorUnit
from services.reporting.indicators.judging import Caveat
from services.reporting.indicators.results import IndicatorResult, IndicatorStatus
from services.reporting.manual.schemas import ManualMetric
from services.reporting.periods import PeriodKind
from services.reporting.territory import SharedWards, TerritoryScheme
from shared.dates import Day
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class ReportStatus(LabelledEnum):
    """A draft is recomputed on demand; a submitted report is frozen until reviewed."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


REPORT_STATUSES = labelled(
    ReportStatus,
    (ReportStatus.DRAFT, "Dự thảo", "Draft"),
    (ReportStatus.SUBMITTED, "Đã gửi", "Submitted"),
    (ReportStatus.ACCEPTED, "Đã chấp nhận", "Accepted"),
    (ReportStatus.RETURNED, "Trả lại", "Returned"),
)


class ReviewDecision(LabelledEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"


REVIEW_DECISIONS = labelled(
    ReviewDecision,
    (ReviewDecision.ACCEPTED, "Chấp nhận báo cáo", "Accept the report"),
    (ReviewDecision.RETURNED, "Trả lại để tỉnh làm lại", "Return it to the province"),
)


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    period: str = Field(
        max_length=40,
        description="2025S1 (six-month), 2025 (annual), 2021-2025 (reporting years 2021 to "
        "2025), mid_term or end_of_phase (of the plan's years), or 2025-01-01..2025-03-31",
        examples=["2025", "end_of_phase"],
    )
    as_of: Day | None = Field(
        default=None,
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="Cut the window short on this date: the figures as known then (Hải Dương "
        "reports its 2025 results on 2025-11-30)",
    )
    province_code: str | None = Field(
        default=None, pattern=r"^\d{2}$", description="For the national programme: whose figures"
    )


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: ReviewDecision
    note: str | None = Field(default=None, max_length=1000)


class IndicatorValue(IndicatorResult):
    """A target's value in a report, with the indicator's names and the plan's note."""

    # An answer always carries every field, defaults included: say so to generated clients.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    # A plan's target always has one; the monitored indicators, which have none, are answered
    # as MonitoredValue instead, so this stays the number /api/v1 clients read.
    target: float
    name_vi: str
    name_en: str
    note_vi: str | None = None


class MonitoredValue(BaseModel):
    """A monitored indicator's value in a report (R01–R03): computed in every report like a
    target's, with the same numbers, status and breakdowns, but with no target to judge, so
    with neither `target` nor `met`."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    indicator: str
    unit: IndicatorUnit
    window_start: date
    window_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    status: IndicatorStatus
    source: SourceService | None = None
    details: dict[str, Any] = {}
    caveats: list[Caveat] = []
    name_vi: str
    name_en: str


class FigureSource(LabelledEnum):
    ENTERED = "entered"
    CONTRIBUTIONS = "contributions"


FIGURE_SOURCES = labelled(
    FigureSource,
    (FigureSource.ENTERED, "Nhập tay", "Entered by hand"),
    (
        FigureSource.CONTRIBUTIONS,
        "Tổng hợp từ báo cáo của các cơ quan, đơn vị",
        "Summed from the agencies' accepted contributions",
    ),
)


class ManualActivity(BaseModel):
    """A figure the records cannot give, shown beside the report's values: entered by hand
    (PUT /manual-values), or summed from the agencies' accepted contributions."""

    metric: ManualMetric
    period_id: str
    value: int
    participants: int | None = None
    note: str | None = None
    source: FigureSource = FigureSource.ENTERED
    agencies: list[str] = Field(
        default=[], description="The agencies' codes the figure was summed from"
    )


class CompiledContribution(BaseModel):
    """An accepted contribution as the report compiled it: the report's document and annex
    are made from these, so a submitted report's never change."""

    agency_code: str
    agency_name_vi: str
    agency_kind: AgencyKind
    tasks: list[TaskReport]
    activities: ActivityCounts
    funding: list[Spending]
    difficulties_vi: str | None
    proposals_vi: str | None
    submitted_at: datetime | None


class FundingTotal(BaseModel):
    """Funding spent in the period from one source, by the agencies' accepted contributions."""

    source: BudgetSource
    amount_vnd: int
    agencies: list[str]


class UnmarkedInSharedWards(BaseModel):
    people: int | None = Field(description="None when the cases service could not answer")
    facilities: int | None = Field(description="None when the workforce service could not answer")
    note_vi: str


class ReportTerritory(BaseModel):
    """The territory the report counted, as it was resolved when the report was computed."""

    scheme: TerritoryScheme
    code: str | None
    name: str
    province_code: str | None = Field(description="2025 scheme; none for the whole country")
    ward_codes: list[str] = Field(default=[], description="Empty: the whole province")
    shared_wards: dict[str, list[str]] = Field(
        default={}, description="Wards shared with another former province: ward → communes"
    )
    shared_policy: SharedWards = "include"
    unmarked_in_shared_wards: UnmarkedInSharedWards | None = Field(
        default=None, description="Legacy plans with shared wards only"
    )


class ReportRead(BaseModel):
    id: UUID
    plan_id: UUID
    plan_code: str
    province_code: str
    period_id: str
    period_kind: PeriodKind
    period_label_vi: str
    as_of: date | None
    closes_plan: bool = Field(description="Whole-plan targets are judged in this report")
    window_start: date
    window_end: date
    dhis2_period: str | None
    deadline: date | None
    status: ReportStatus
    complete: bool
    missing_sources: list[SourceService]
    values: list[IndicatorValue]
    monitoring: list[MonitoredValue] = Field(
        description="The monitored indicators (`monitoring: true` in GET /indicators), which "
        "every report gives and no plan targets"
    )
    manual_values: list[ManualActivity]
    funding: list[FundingTotal] = Field(
        description="Funding spent by source, summed from the accepted contributions"
    )
    contributions: list[CompiledContribution] = Field(
        description="The accepted contributions compiled into the report, departments first"
    )
    territory: ReportTerritory
    computed_at: datetime | None
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None
    version: int
    updated_at: datetime


class ReportList(ListOf[ReportRead]):
    pass
