"""When a target is judged, against what, and what a report must say about its comparison.

- A target for the whole plan (Bình Định's #6, #8, #9 "over the plan") is judged only in the
  report that closes the plan: the annual report of its last year, the end-of-phase report,
  or any window reaching its end. Earlier reports show progress against the pro-rata target.
- A per-year target is judged in an annual report, and in a multi-year one on each year;
  a shorter window shows progress against the matching share of a year.
- Growth (#4) compares one reporting year with the full-year 2020 baseline. A multi-year
  report compares its last full year and lists each year; a shorter window says so.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from services.reporting.indicators.fetch import Fetch
from services.reporting.periods import Period, YearSlice, annual, spans_years, years_of
from shared.labels import LabelledEnum, labelled


class CaveatCode(LabelledEnum):
    """What a value's comparison needs said; each caveat's message gives the particulars."""

    PARTIAL_YEAR = "partial_year"
    LAST_FULL_YEAR = "last_full_year"
    JUDGED_AT_PLAN_END = "judged_at_plan_end"
    JUDGED_PER_YEAR = "judged_per_year"
    WAGE_REGION_UNRESOLVED = "wage_region_unresolved"
    SENSITIVE_BREAKDOWN_WITHHELD = "sensitive_breakdown_withheld"


CAVEAT_CODES = labelled(
    CaveatCode,
    (
        CaveatCode.PARTIAL_YEAR,
        "So sánh một phần năm với số liệu cả năm 2020",
        "Part of a year compared with the full-year 2020 baseline",
    ),
    (
        CaveatCode.LAST_FULL_YEAR,
        "Giá trị của năm đủ cuối cùng trong kỳ báo cáo",
        "The value of the window's last full year",
    ),
    (
        CaveatCode.JUDGED_AT_PLAN_END,
        "Chỉ tiêu cả giai đoạn, đánh giá ở báo cáo kết thúc kế hoạch",
        "A whole-plan target, judged in the report that closes the plan",
    ),
    (
        CaveatCode.JUDGED_PER_YEAR,
        "Chỉ tiêu hằng năm, đánh giá ở báo cáo năm",
        "A per-year target, judged in annual reports",
    ),
    (
        CaveatCode.WAGE_REGION_UNRESOLVED,
        "Có cơ sở chưa xác định được vùng lương tối thiểu",
        "Facilities without a minimum-wage region left out",
    ),
    (
        CaveatCode.SENSITIVE_BREAKDOWN_WITHHELD,
        "Không hiển thị phân tổ nhạy cảm",
        "Sensitive breakdowns withheld",
    ),
)


class Caveat(BaseModel):
    code: CaveatCode
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class Context:
    period: Period
    plan_start: date
    plan_end: date
    fetch: Fetch
    baseline_2020: int | None

    @property
    def closes_plan(self) -> bool:
        return closes_plan(self.period, self.plan_end)

    @property
    def plan_window_start(self) -> date:
        """Counts over the plan start with its first reporting year (15/12 of the year before)."""
        return min(annual(self.plan_start.year).start, self.period.start)

    @property
    def spans_years(self) -> bool:
        return spans_years(self.period)

    def years(self) -> list[YearSlice]:
        return years_of(self.period)

    def elapsed(self) -> float:
        """How much of the plan the window has reached: whole reporting years for annual,
        six-month and multi-year reports, days otherwise."""
        first, last = self.plan_start.year, self.plan_end.year
        years = last - first + 1
        done: float
        if self.period.as_of is None and self.period.kind in ("annual", "multi_year"):
            done = self.period.last_year - first + 1
        elif self.period.as_of is None and self.period.kind == "six_month":
            done = self.period.last_year - first + 0.5
        else:
            total = (self.plan_end - self.plan_start).days + 1
            return max(0.0, min(1.0, ((self.period.end - self.plan_start).days + 1) / total))
        return max(0.0, min(1.0, done / years))

    def year_share(self) -> float:
        """The share of a reporting year the window covers (for per-year targets)."""
        if self.period.kind == "six_month" and self.period.as_of is None:
            return 0.5
        return min(1.0, self.period.days / 365)


def closes_plan(period: Period, plan_end: date) -> bool:
    """The annual report of the plan's last year, a multi-year report ending with it, or any
    window reaching the plan's end."""
    if period.kind in ("annual", "multi_year") and period.last_year == plan_end.year:
        return True
    return period.end >= plan_end


def pro_rata(target: float | None, share: float) -> float | None:
    return None if target is None else round(target * share, 1)


def headline_year(slices: list[YearSlice]) -> YearSlice:
    """The last full reporting year of a window, or its last part when none is full."""
    full = [s for s in slices if s.full]
    return full[-1] if full else slices[-1]


def caveat(code: CaveatCode, **facts: Any) -> Caveat:
    vi, en = MESSAGES[code]
    return Caveat(code=code, message_vi=vi.format(**facts), message_en=en.format(**facts))


MESSAGES = {
    CaveatCode.PARTIAL_YEAR: (
        "So sánh số liệu {days} ngày ({start:%d/%m/%Y}–{end:%d/%m/%Y}) với số liệu cả năm 2020",
        "Compares {days} days ({start}–{end}) with the full-year 2020 baseline",
    ),
    CaveatCode.LAST_FULL_YEAR: (
        "Giá trị của năm {year} (năm đủ cuối cùng của kỳ báo cáo); số liệu từng năm ở mục years",
        "The value of {year}, the window's last full year; each year is listed under years",
    ),
    CaveatCode.JUDGED_AT_PLAN_END: (
        "Chỉ tiêu cả giai đoạn, đánh giá ở báo cáo năm cuối và báo cáo giai đoạn; "
        "mức theo tiến độ đến kỳ này: {pro_rata:g}",
        "A target for the whole plan, judged in the report that closes it; "
        "the pro-rata target to this window: {pro_rata:g}",
    ),
    CaveatCode.JUDGED_PER_YEAR: (
        "Chỉ tiêu hằng năm, đánh giá ở báo cáo năm; mức tương ứng kỳ này: {pro_rata:g}",
        "A per-year target, judged in annual reports; the share for this window: {pro_rata:g}",
    ),
    CaveatCode.WAGE_REGION_UNRESOLVED: (
        "{count} cơ sở chưa xác định được vùng lương tối thiểu ngày {on:%d/%m/%Y}, "
        "không tính vào tỷ lệ (danh sách ở mục unresolved_wage_region)",
        "{count} facilities have no minimum-wage region on {on}: left out of the ratio "
        "(listed under unresolved_wage_region)",
    ),
}
