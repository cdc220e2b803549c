"""Reporting periods and their data windows (Decree 09/2019/NĐ-CP, art. 12).

A six-month report covers 15/12 of the year before to 14/06; an annual report 15/12 of
the year before to 14/12. Deadlines are 15/06 and 15/12 unless a plan sets its own. A
multi-year report (mid-term, end of phase) covers whole reporting years, so each of its years
is the annual report's window. Any period may be cut short "as of" a date: Hải Dương reports
its 2025 results on 30/11/2025, so its annual window ends there.

Ids: `2025S1`, `2025`, `2021-2025` (reporting years 2021 to 2025), `2025-01-01..2025-03-31`
(ad hoc), each optionally followed by `@2025-11-30` (as of).
"""

import re
from dataclasses import dataclass, replace
from datetime import date

from shared.errors import ValidationFailed, field_error
from shared.labels import LabelledEnum, labelled


class PeriodKind(LabelledEnum):
    SIX_MONTH = "six_month"
    ANNUAL = "annual"
    MULTI_YEAR = "multi_year"
    CUSTOM = "custom"


PERIOD_KINDS = labelled(
    PeriodKind,
    (PeriodKind.SIX_MONTH, "Báo cáo 6 tháng", "Six-month report"),
    (PeriodKind.ANNUAL, "Báo cáo năm", "Annual report"),
    (PeriodKind.MULTI_YEAR, "Báo cáo nhiều năm (giữa kỳ, cuối giai đoạn)", "Multi-year report"),
    (PeriodKind.CUSTOM, "Báo cáo đột xuất (theo khoảng ngày)", "Ad-hoc report (chosen dates)"),
)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date
    deadline: date | None
    dhis2_id: str | None
    id: str
    label_vi: str
    label_en: str
    as_of: date | None = None  # set when the window was cut short at this date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def last_year(self) -> int:
        """The reporting year the window ends in (the year of 14/12, or of 15/12 onwards + 1)."""
        return reporting_year(self.end)


def reporting_year(day: date) -> int:
    return day.year + 1 if day >= date(day.year, 12, 15) else day.year


def six_month(year: int) -> Period:
    return Period(
        PeriodKind.SIX_MONTH,
        date(year - 1, 12, 15),
        date(year, 6, 14),
        date(year, 6, 15),
        f"{year}S1",
        f"{year}S1",
        f"Báo cáo 6 tháng đầu năm {year}",
        f"Six-month report {year}",
    )


def annual(year: int) -> Period:
    return Period(
        PeriodKind.ANNUAL,
        date(year - 1, 12, 15),
        date(year, 12, 14),
        date(year, 12, 15),
        str(year),
        str(year),
        f"Báo cáo năm {year}",
        f"Annual report {year}",
    )


def multi_year(first: int, last: int) -> Period:
    """Whole reporting years `first` to `last`; DHIS2 has no such period (see ministry)."""
    if last <= first:
        raise _invalid("a multi-year period spans at least two years, the first before the last")
    return Period(
        PeriodKind.MULTI_YEAR,
        annual(first).start,
        annual(last).end,
        date(last, 12, 15),
        None,
        f"{first}-{last}",
        f"Báo cáo giai đoạn {first}–{last}",
        f"Report for {first}–{last}",
    )


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValidationFailed(
            [field_error(["body", "period"], "ends before it starts", "date_order")]
        )
    return Period(
        PeriodKind.CUSTOM,
        start,
        end,
        None,
        None,
        f"{start.isoformat()}..{end.isoformat()}",
        f"Báo cáo đột xuất {start:%d/%m/%Y}–{end:%d/%m/%Y}",
        f"Ad-hoc report {start} to {end}",
    )


def as_of(period: Period, day: date) -> Period:
    """The period cut short at `day`: what is known on that date. A day at or after its end
    leaves it whole."""
    if day >= period.end:
        return period
    if day < period.start:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "as_of"], f"before the period starts ({period.start})", "date_order"
                )
            ]
        )
    return replace(
        period,
        end=day,
        dhis2_id=None,  # no longer the whole DHIS2 period: sent as a dated range instead
        id=f"{period.id}@{day.isoformat()}",
        label_vi=f"{period.label_vi} (số liệu đến {day:%d/%m/%Y})",
        label_en=f"{period.label_en} (as of {day})",
        as_of=day,
    )


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", "period"], message, "period")])


# Reports are for the programme's years; a window longer than a plan could have would only
# multiply the sources' work (one call per reporting year).
FIRST_YEAR, LAST_YEAR, LONGEST_DAYS = 2000, 2100, 11 * 366


def _check_years(*years: int) -> None:
    if any(not FIRST_YEAR <= year <= LAST_YEAR for year in years):
        raise _invalid(f"years run from {FIRST_YEAR} to {LAST_YEAR}")


def _check_length(start: date, end: date) -> None:
    if (end - start).days > LONGEST_DAYS:
        raise _invalid("a window covers at most eleven years")


# ASCII digits only (\d would take "٢٠٢٥"), matched against the whole id (fullmatch: `$` would
# let a trailing newline through).
_SIX = re.compile(r"^(\d{4})S1$", re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
_SPAN = re.compile(r"^(\d{4})-(\d{4})$", re.ASCII)
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$", re.ASCII)
_AS_OF = re.compile(r"^(.+)@(\d{4}-\d{2}-\d{2})$", re.ASCII)


def _parse_plain(period_id: str) -> Period:
    if match := _SIX.fullmatch(period_id) or _YEAR.fullmatch(period_id):
        year = int(match.group(1))
        _check_years(year)
        return six_month(year) if period_id.endswith("S1") else annual(year)
    if match := _SPAN.fullmatch(period_id):
        first, last = int(match.group(1)), int(match.group(2))
        _check_years(first, last)
        _check_length(annual(first).start, annual(last).end)
        return multi_year(first, last)
    if match := _CUSTOM.fullmatch(period_id):
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError:
            raise _invalid("not a date") from None
        _check_years(start.year, end.year)
        _check_length(start, end)
        return custom(start, end)
    raise _invalid("expected 2025S1, 2025, 2021-2025 or 2025-01-01..2025-03-31")


def parse_period(period_id: str) -> Period:
    """A period id as described above; `…@2025-11-30` cuts it short on that day."""
    if match := _AS_OF.fullmatch(period_id):
        try:
            day = date.fromisoformat(match.group(2))
        except ValueError:
            raise _invalid("the as-of part is not a date") from None
        period = _parse_plain(match.group(1))
        if day < period.start:  # named as the period, where the client wrote it
            raise _invalid(f"the as-of day is before the period starts ({period.start})")
        return as_of(period, day)
    return _parse_plain(period_id)


def plan_span(kind: str, start: date, end: date) -> str:
    """The id of a plan's mid-term (its first half, middle year included) or end-of-phase
    report: whole reporting years of the plan."""
    first, last = start.year, end.year
    if kind == "mid_term":
        last = first + (last - first) // 2
    return f"{first}-{last}"


@dataclass(frozen=True)
class YearSlice:
    year: int
    start: date
    end: date
    full: bool  # the whole reporting year lies in the window


def years_of(period: Period) -> list[YearSlice]:
    """The reporting years a window touches, each cut to the window."""
    slices = []
    for year in range(reporting_year(period.start), reporting_year(period.end) + 1):
        whole = annual(year)
        start, end = max(whole.start, period.start), min(whole.end, period.end)
        slices.append(YearSlice(year, start, end, (start, end) == (whole.start, whole.end)))
    return slices


def spans_years(period: Period) -> bool:
    """Longer than one reporting year: figures are given for each year, not summed."""
    return period.kind == "multi_year" or period.days > 366


def year_to_date(today: date, last_year: int | None = None) -> Period:
    """The reporting year containing `today`, from its start to today: the dashboard's "as of".
    A day past a plan's last reporting year (`last_year`) gives that whole year instead."""
    year = reporting_year(today)
    if last_year is not None and year > last_year:
        return annual(last_year)
    return as_of(annual(year), today)


def periods_of_year(year: int) -> list[Period]:
    return [six_month(year), annual(year)]
