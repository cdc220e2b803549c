"""What a target's computation gives: the value with its numerator and denominator, the
window, how it was judged, and what the report must say about it."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from services.reporting.clients.sources import SourceService
from services.reporting.indicators.catalogue import FacilityGroup, IndicatorUnit
from services.reporting.indicators.judging import Caveat, Context
from shared.labels import LabelledEnum, labelled


class IndicatorStatus(LabelledEnum):
    """Whether a value could be computed, and if not, why."""

    OK = "ok"
    NO_DATA = "no_data"
    NO_DENOMINATOR = "no_denominator"
    MISSING_BASELINE = "missing_baseline"
    SOURCE_UNAVAILABLE = "source_unavailable"


INDICATOR_STATUSES = labelled(
    IndicatorStatus,
    (IndicatorStatus.OK, "Đã tính được", "Computed"),
    (IndicatorStatus.NO_DATA, "Chưa có số liệu", "No data"),
    (IndicatorStatus.NO_DENOMINATOR, "Mẫu số bằng 0", "No denominator"),
    (IndicatorStatus.MISSING_BASELINE, "Thiếu số liệu năm 2020", "No 2020 baseline"),
    (IndicatorStatus.SOURCE_UNAVAILABLE, "Nguồn số liệu không trả lời", "Source unavailable"),
)


@dataclass(frozen=True)
class TargetSpec:
    indicator: str
    value: float | None  # None: a monitored indicator, with no target to judge
    group: str | None = None
    wage_basis: str | None = None
    per_year: bool = False
    comparator: str = "gte"


class YearValue(BaseModel):
    """One reporting year of a multi-year report."""

    year: int
    window_start: date
    window_end: date
    full: bool
    numerator: int | None
    denominator: int | None
    value: float | None
    met: bool | None


class IndicatorResult(BaseModel):
    indicator: str
    group: FacilityGroup | None
    unit: IndicatorUnit
    target: float | None = Field(
        description="None for a monitored indicator: no plan sets it a target"
    )
    per_year: bool
    window_start: date
    window_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    met: bool | None
    status: IndicatorStatus
    source: SourceService | None = None
    details: dict[str, Any] = {}
    pro_rata_target: float | None = None
    on_track: bool | None = None
    years: list[YearValue] = []
    caveats: list[Caveat] = []


@dataclass
class Outcome:
    """What a calculation found: the numbers, the window they are for, and how to judge."""

    numerator: int | None
    denominator: int | None
    window: tuple[date, date]
    details: dict[str, Any] = field(default_factory=dict)
    judged: bool = True
    pro_rata_target: float | None = None
    years: list[YearValue] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)


Calculation = Callable[[Context, TargetSpec], Awaitable[Outcome]]


def value_of(
    unit: IndicatorUnit, numerator: int | None, denominator: int | None
) -> tuple[float | None, IndicatorStatus]:
    growth = unit == IndicatorUnit.GROWTH_PERCENT
    if numerator is None:
        return None, IndicatorStatus.NO_DATA
    if unit == IndicatorUnit.COUNT:
        return float(numerator), IndicatorStatus.OK
    if not denominator:
        return None, IndicatorStatus.MISSING_BASELINE if growth else IndicatorStatus.NO_DENOMINATOR
    share = numerator / denominator * 100
    return round(share - 100 if growth else share, 1), IndicatorStatus.OK


def reaches(spec: TargetSpec, value: float | None) -> bool | None:
    if value is None or spec.value is None:
        return None
    return value >= spec.value if spec.comparator == "gte" else value <= spec.value
