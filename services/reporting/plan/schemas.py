"""What clients send and receive for plans and targets (also the format of the seed files),
the indicator catalogue and the reporting periods."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
)

from services.reporting.indicators.catalogue import CATALOGUE, FacilityGroup, IndicatorUnit
from services.reporting.periods import FIRST_YEAR, LAST_YEAR, PeriodKind
from services.reporting.plan.tasks import PlanStructure, PlanTask, ReformChange, Responsibility
from services.reporting.territory import SharedWards, TerritoryScheme
from shared.dates import Day
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class PlanLevel(LabelledEnum):
    PROVINCE = "province"
    NATIONAL = "national"


PLAN_LEVELS = labelled(
    PlanLevel,
    (PlanLevel.PROVINCE, "Kế hoạch của tỉnh", "Provincial plan"),
    (PlanLevel.NATIONAL, "Chương trình quốc gia", "National programme"),
)


class Comparator(LabelledEnum):
    """How a value meets its target: at least it (most targets) or at most it."""

    GTE = "gte"
    LTE = "lte"


COMPARATORS = labelled(
    Comparator,
    (Comparator.GTE, "Đạt khi bằng hoặc cao hơn chỉ tiêu", "Met at or above the target"),
    (Comparator.LTE, "Đạt khi bằng hoặc thấp hơn chỉ tiêu", "Met at or below the target"),
)


class WageBasis(LabelledEnum):
    """The wage a CTXH allowance is held against in target #1."""

    BASE = "base"
    REGIONAL_MINIMUM = "regional_minimum"


WAGE_BASES = labelled(
    WageBasis,
    (WageBasis.BASE, "Lương cơ sở", "Base wage"),
    (WageBasis.REGIONAL_MINIMUM, "Lương tối thiểu vùng", "Regional minimum wage"),
)
# The years reports are made for (services.reporting.periods): a plan outside them could
# never be reported on, and its dashboard would count years before the calendar.
PlanDay = Annotated[Day, Field(ge=date(FIRST_YEAR, 1, 1), le=date(LAST_YEAR, 12, 31))]


class TerritoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scheme: TerritoryScheme
    code: str | None = Field(
        default=None,
        pattern=r"^\d{2}$",
        description="Province code in that scheme; none for national",
    )
    shared_wards: SharedWards = "include"


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(description="Code from GET /indicators, e.g. I05")
    value: StrictFloat = Field(ge=0)
    group: FacilityGroup | None = Field(
        default=None, description="Facility group (indicator I02 only)"
    )
    comparator: Comparator = Comparator.GTE
    year: StrictInt | None = Field(
        default=None, ge=2000, le=2100, description="None: the whole plan"
    )
    per_year: StrictBool = Field(default=False, description="A count to reach in each year")
    wage_basis: WageBasis | None = None
    note_vi: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _fits_indicator(self) -> "TargetIn":
        indicator = CATALOGUE.get(self.indicator)
        if indicator is None:
            raise ValueError(f"unknown indicator {self.indicator}")
        if indicator.monitoring:
            raise ValueError(f"{self.indicator} is monitored in every report, not a plan target")
        if self.group and self.indicator != "I02":
            raise ValueError("only I02 has facility groups")
        if self.wage_basis and self.indicator != "I01":
            raise ValueError("only I01 has a wage basis")
        if self.per_year and indicator.unit != "count":
            raise ValueError("only count indicators have per-year targets")
        return self


class Deadline(BaseModel):
    label_vi: str = Field(max_length=200)
    date: str = Field(pattern=r"^(\d{4}-)?\d{2}-\d{2}$", description="YYYY-MM-DD, or MM-DD yearly")


def _real_deadline(text: str) -> str:
    """Every report of the plan reads its deadlines as dates, so each must be a day that
    exists; a yearly one (MM-DD) in every year, which 29 February is not (2025 has none)."""
    if text == "02-29":
        raise ValueError("a yearly deadline must exist every year: give 02-28 or 03-01")
    try:
        date.fromisoformat(text if len(text) == 10 else f"2000-{text}")
    except ValueError:
        raise ValueError(f"{text} is not a day of the calendar") from None
    return text


class DeadlineIn(Deadline):
    """A deadline as a plan is written with: checked to be a real day."""

    @field_validator("date")
    @classmethod
    def _real(cls, text: str) -> str:
        return _real_deadline(text)


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40)
    name_vi: str = Field(min_length=1, max_length=500)
    name_en: str = Field(min_length=1, max_length=500)
    level: PlanLevel
    territory: TerritoryIn
    period_start: PlanDay
    period_end: PlanDay
    deadlines: list[DeadlineIn] = Field(default_factory=list, max_length=20)
    source_document: str | None = Field(default=None, max_length=500)
    targets: list[TargetIn] = Field(min_length=1, max_length=100)
    tasks: list[PlanTask] = Field(
        default_factory=list, max_length=30, description="Section II: the task groups"
    )
    responsibilities: list[Responsibility] = Field(
        default_factory=list, max_length=40, description="Section IV: who does what"
    )
    reform: list[ReformChange] = Field(
        default_factory=list,
        max_length=40,
        description="Who now carries a responsibility whose agency the 2025 reform changed",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "PlanIn":
        structure = PlanStructure(
            tasks=self.tasks, responsibilities=self.responsibilities, reform=self.reform
        )
        if problems := structure.problems():
            raise ValueError("; ".join(problems))
        if self.period_end < self.period_start:
            raise ValueError("period_end must not be before period_start")
        if (self.level == "national") != (self.territory.scheme == "national"):
            raise ValueError("a national plan has the national territory, and only it")
        for target in self.targets:
            if target.year and not self.period_start.year <= target.year <= self.period_end.year:
                raise ValueError(f"target year {target.year} is outside the plan's period")
        return self


class TargetRead(TargetIn):
    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)

    id: UUID
    name_vi: str
    name_en: str
    unit: IndicatorUnit


class PlanRead(BaseModel):
    id: UUID
    code: str
    name_vi: str
    name_en: str
    level: PlanLevel
    territory: TerritoryIn
    province_code: str | None
    period_start: date
    period_end: date
    deadlines: list[Deadline]
    source_document: str | None
    targets: list[TargetRead]
    tasks: list[PlanTask]
    responsibilities: list[Responsibility]
    reform: list[ReformChange]
    version: int


class PlanList(ListOf[PlanRead]):
    pass


class IndicatorRead(BaseModel):
    code: str
    target_no: str
    name_vi: str
    name_en: str
    unit: IndicatorUnit
    numerator: str = Field(description="Who or what is counted, in the plans' own terms")
    denominator: str
    source: str
    taken: str = Field(description="The dates the numbers are taken on or over")
    about_people: bool = Field(description="Counts people: small counts withheld outside")
    excluded: str = Field(description="What the numbers leave out")
    judged: str = Field(description="When and against what the target is judged")
    breakdowns: list[str] = Field(description="The breakdowns given in details")
    territory: str = Field(description="Which records of a plan's territory count")
    monitoring: bool = Field(
        description="Computed in every report with no target, and answered apart from the "
        "targets' values, in `monitoring`; a plan cannot set a target on it"
    )


class PeriodRead(BaseModel):
    id: str
    kind: PeriodKind
    start: date
    end: date
    deadline: date | None
    dhis2_id: str | None
    label_vi: str
    label_en: str
