"""What a target's computation gives: the value with its numerator and denominator, the
window, how it was judged, and what the report must say about it."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from services.reporting.indicators.judging import Caveat, Context


@dataclass(frozen=True)
class TargetSpec:
    indicator: str
    value: float
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
    group: str | None
    unit: str
    target: float
    per_year: bool
    window_start: date
    window_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    met: bool | None
    status: str  # ok | no_data | no_denominator | missing_baseline | source_unavailable
    source: str | None = None
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


def value_of(unit: str, numerator: int | None, denominator: int | None) -> tuple[float | None, str]:
    if numerator is None:
        return None, "no_data"
    if unit == "count":
        return float(numerator), "ok"
    if not denominator:
        return None, "missing_baseline" if unit == "growth_percent" else "no_denominator"
    share = numerator / denominator * 100
    return round(share - 100 if unit == "growth_percent" else share, 1), "ok"


def reaches(spec: TargetSpec, value: float | None) -> bool | None:
    if value is None:
        return None
    return value >= spec.value if spec.comparator == "gte" else value <= spec.value
