"""Reporting periods and their data windows (Decree 09/2019/NĐ-CP, art. 12).

A six-month report covers 15/12 of the year before to 14/06; an annual report 15/12 of
the year before to 14/12. Deadlines are 15/06 and 15/12 unless a plan sets its own. Each
period also carries the DHIS2 period id the ministry imports it under.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from shared.errors import ValidationFailed, field_error

PeriodKind = Literal["six_month", "annual", "custom"]


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


def six_month(year: int) -> Period:
    return Period(
        "six_month",
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
        "annual",
        date(year - 1, 12, 15),
        date(year, 12, 14),
        date(year, 12, 15),
        str(year),
        str(year),
        f"Báo cáo năm {year}",
        f"Annual report {year}",
    )


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValidationFailed(
            [field_error(["query", "period"], "ends before it starts", "date_order")]
        )
    key = f"{start.isoformat()}..{end.isoformat()}"
    return Period(
        "custom",
        start,
        end,
        None,
        None,
        key,
        f"Báo cáo đột xuất {start:%d/%m/%Y}–{end:%d/%m/%Y}",
        f"Ad-hoc report {start} to {end}",
    )


_SIX = re.compile(r"^(\d{4})S1$")
_YEAR = re.compile(r"^(\d{4})$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def parse_period(period_id: str) -> Period:
    """`2025S1` (six-month), `2025` (annual) or `2025-01-01..2025-03-31` (ad hoc)."""
    if match := _SIX.match(period_id):
        return six_month(int(match.group(1)))
    if match := _YEAR.match(period_id):
        return annual(int(match.group(1)))
    if match := _CUSTOM.match(period_id):
        try:
            return custom(date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2)))
        except ValueError:
            pass
    raise ValidationFailed(
        [
            field_error(
                ["body", "period"], "expected 2025S1, 2025 or 2025-01-01..2025-03-31", "period"
            )
        ]
    )


def year_to_date(today: date) -> Period:
    """The current annual window from its start to today: the dashboard's "as of today"."""
    year = today.year + 1 if today >= date(today.year, 12, 15) else today.year
    return custom(annual(year).start, today)


def periods_of_year(year: int) -> list[Period]:
    return [six_month(year), annual(year)]
