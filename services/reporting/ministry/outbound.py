"""What leaves the province: indicator values with small counts about people withheld.

A count of 1–4 people is withheld, and so is anything it could be recovered from: the
percentage (numerator = value × denominator), and a numerator whose complement
(denominator − numerator) is itself small. Facility counts are not about people and go
out as they are. Breakdowns stay in the province.
"""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from services.reporting.indicators.catalogue import CATALOGUE
from shared.suppression import is_small


class OutboundValue(BaseModel):
    province_code: str
    plan_code: str
    period_id: str
    dhis2_period: str | None
    window_start: date
    window_end: date
    report_status: str
    report_updated_at: datetime
    indicator: str
    name_vi: str
    name_en: str
    group: str | None
    per_year: bool
    unit: str
    target: float
    value: float | None
    numerator: int | None
    denominator: int | None
    met: bool | None
    status: str
    suppressed: list[str]


def _withheld(indicator: str, numerator: int | None, denominator: int | None) -> set[str]:
    if not CATALOGUE[indicator].about_people:
        return set()
    withheld: set[str] = set()
    if denominator is not None and is_small(denominator):
        withheld |= {"denominator", "numerator", "value", "met"}
    if numerator is not None and is_small(numerator):
        withheld |= {"numerator", "value", "met"}
    if numerator is not None and denominator is not None and is_small(denominator - numerator):
        withheld |= {"numerator", "value", "met"}
    return withheld


def outbound_values(report: Any) -> list[OutboundValue]:
    """The report's values as they may leave the province."""
    values = []
    for value in report.values:
        withheld = _withheld(value["indicator"], value["numerator"], value["denominator"])
        indicator = CATALOGUE[value["indicator"]]
        shown = {
            k: (None if k in withheld else value[k])
            for k in ("value", "numerator", "denominator", "met")
        }
        values.append(
            OutboundValue(
                province_code=report.province_code,
                plan_code=report.plan_code,
                period_id=report.period_id,
                dhis2_period=report.dhis2_period,
                window_start=report.window_start,
                window_end=report.window_end,
                report_status=report.status,
                report_updated_at=report.updated_at,
                indicator=value["indicator"],
                name_vi=indicator.name_vi,
                name_en=indicator.name_en,
                group=value["group"],
                per_year=value["per_year"],
                unit=value["unit"],
                target=value["target"],
                status=value["status"],
                suppressed=sorted(withheld),
                **shown,
            )
        )
    return values


def data_element(value: OutboundValue, part: str) -> str:
    group = f"_{value.group.upper()}" if value.group else ""
    per_year = "_PER_YEAR" if value.per_year else ""
    return f"CTXH_{value.indicator}{group}{per_year}_{part}"


def dhis2_period(value: OutboundValue) -> tuple[str, str | None]:
    """The DHIS2 period of a value, and a comment when it needs one.

    DHIS2 has no period for an ad-hoc window, a multi-year one, or one cut short at a date, so
    such a value goes under the daily period of the window's last day, and its comment states
    the window it really covers."""
    if value.dhis2_period is not None:
        return value.dhis2_period, None
    start, end = value.window_start, value.window_end
    comment = (
        f"Số liệu từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} (kỳ {value.period_id}); "
        f"window {start}..{end}"
    )
    return end.strftime("%Y%m%d"), comment


def dhis2_data_values(values: list[OutboundValue]) -> list[dict[str, str]]:
    """DHIS2 dataValueSets entries (codes as identifiers: import with idScheme=CODE).

    Withheld numbers are left out, since DHIS2 has no value for "suppressed"."""
    entries = []
    for value in values:
        period, comment = dhis2_period(value)
        for part, number in (
            ("VALUE", value.value),
            ("NUM", value.numerator),
            ("DEN", value.denominator),
        ):
            if number is None:
                continue
            entry = {
                "dataElement": data_element(value, part),
                "period": period,
                "orgUnit": value.province_code,
                "categoryOptionCombo": "default",
                "attributeOptionCombo": "default",
                "value": f"{number:g}" if isinstance(number, float) else str(number),
            }
            if comment is not None:
                entry["comment"] = comment
            entries.append(entry)
    return entries
