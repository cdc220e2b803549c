"""The ministry's view of disclosed values, as rows (JSON or CSV) and as DHIS2 dataValueSets.

Everything here reads disclosures (services.reporting.disclosure), never a report's own
numbers: a withheld number is null here, named in `suppressed`, and absent from DHIS2.
"""

import csv
import io
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from services.reporting.indicators.catalogue import CATALOGUE, FacilityGroup, IndicatorUnit
from services.reporting.indicators.results import IndicatorStatus
from services.reporting.report.schemas import ReportStatus
from services.reporting.territory import TerritoryScheme
from shared.spreadsheets import csv_safe

# What DHIS2 keeps one value for.
DHIS2_KEY = ("dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo")


class OutboundValue(BaseModel):
    province_code: str
    territory_scheme: TerritoryScheme = Field(
        description="2025 (a province) or legacy (a former one)"
    )
    territory_code: str | None
    territory_name: str
    plan_code: str
    period_id: str
    dhis2_period: str | None
    window_start: date
    window_end: date
    report_status: ReportStatus
    report_updated_at: datetime
    indicator: str
    name_vi: str
    name_en: str
    group: FacilityGroup | None
    per_year: bool
    unit: IndicatorUnit
    target: float
    value: float | None
    numerator: int | None
    denominator: int | None
    met: bool | None
    status: IndicatorStatus
    suppressed: list[str] = Field(description="The fields withheld (small counts of people)")


class MonitoredOutboundValue(BaseModel):
    """A monitored indicator's value (R01–R03) as disclosed: withheld like a target's value,
    but with no target, so with neither `target` nor `met`."""

    province_code: str
    territory_scheme: TerritoryScheme = Field(
        description="2025 (a province) or legacy (a former one)"
    )
    territory_code: str | None
    territory_name: str
    plan_code: str
    period_id: str
    dhis2_period: str | None
    window_start: date
    window_end: date
    report_status: ReportStatus
    report_updated_at: datetime
    indicator: str
    name_vi: str
    name_en: str
    unit: IndicatorUnit
    value: float | None
    numerator: int | None
    denominator: int | None
    status: IndicatorStatus
    suppressed: list[str] = Field(description="The fields withheld (small counts of people)")


# A disclosed value of either kind, as the flat outputs (CSV, DHIS2) carry them, in order.
Outbound = OutboundValue | MonitoredOutboundValue


def _monitored(fields: dict[str, Any]) -> MonitoredOutboundValue:
    # The disclosure withholds `met` with the count it follows from; this shape has none.
    suppressed = [name for name in fields["suppressed"] if name != "met"]
    known = {key: fields[key] for key in MonitoredOutboundValue.model_fields if key in fields}
    return MonitoredOutboundValue(**{**known, "suppressed": suppressed})


def outbound_values(report: Any) -> list[Outbound]:
    """A disclosed report's values (a row of DISCLOSED_REPORTS), in the disclosure's order:
    the targets' as OutboundValue, the monitored indicators' as MonitoredOutboundValue."""
    territory = report.territory
    found: list[Outbound] = []
    for value in report.values:
        indicator = CATALOGUE[value["indicator"]]
        fields = {
            "province_code": report.province_code,
            "territory_scheme": territory["scheme"],
            "territory_code": territory["code"],
            "territory_name": territory["name"],
            "plan_code": report.plan_code,
            "period_id": report.period_id,
            "dhis2_period": report.dhis2_period,
            "report_status": report.status,
            "report_updated_at": report.updated_at,
            "name_vi": indicator.name_vi,
            "name_en": indicator.name_en,
            # The report's window, which DHIS2 periods follow; a value's own dates (a stock
            # on the last day, the last full year of several) stay in the disclosure.
            **{**value, "window_start": report.window_start, "window_end": report.window_end},
        }
        found.append(_monitored(fields) if indicator.monitoring else OutboundValue(**fields))
    return found


def split(
    values: list[Outbound],
) -> tuple[list[OutboundValue], list[MonitoredOutboundValue]]:
    """The targets' values apart from the monitored indicators', each in its order."""
    targets = [v for v in values if isinstance(v, OutboundValue)]
    return targets, [v for v in values if isinstance(v, MonitoredOutboundValue)]


def values_csv(values: list[Outbound]) -> bytes:
    """The values as CSV with a BOM, so that Excel opens the Vietnamese names as UTF-8; cells
    that a spreadsheet would run as formulas are neutralised. A monitored indicator's row
    leaves `group`, `target` and `met` empty."""
    buffer = io.StringIO()
    fields = list(OutboundValue.model_fields)
    writer = csv.DictWriter(buffer, fieldnames=fields, restval="")
    writer.writeheader()
    for value in values:
        row = value.model_dump(mode="json")
        if isinstance(value, MonitoredOutboundValue):
            row["per_year"] = False
        row["suppressed"] = ";".join(row["suppressed"])
        writer.writerow({key: csv_safe(cell) for key, cell in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def data_element(value: Outbound, part: str) -> str:
    if isinstance(value, MonitoredOutboundValue):
        return f"CTXH_{value.indicator}_{part}"
    group = f"_{value.group.upper()}" if value.group else ""
    per_year = "_PER_YEAR" if value.per_year else ""
    return f"CTXH_{value.indicator}{group}{per_year}_{part}"


def org_unit(value: Outbound) -> str:
    """A 2025 province is its code; a former province (the territory of a plan written before
    the 2025 merger) is an org unit of its own, `L` and its old code, because its figures
    are not its successor's and the old codes are reused (Bình Định was 52, Gia Lai is)."""
    if value.territory_scheme == "legacy":
        return f"L{value.territory_code}"
    return value.province_code


def dhis2_period(value: Outbound) -> tuple[str, str | None]:
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


def dhis2_data_values(values: list[Outbound]) -> list[dict[str, str]]:
    """DHIS2 dataValueSets entries (codes as identifiers: import with idScheme=CODE).

    The plan is the attribute option combo, so two plans' figures for one province and
    period (a provincial plan and the national programme) are two values, not one
    overwriting the other. DHIS2 keeps one value per key, so should two reports still meet
    on one (ad-hoc windows ending the same day), the one changed last is sent; `values`
    come oldest change first. Withheld numbers are left out: DHIS2 has no "suppressed"."""
    entries: dict[tuple[str, ...], dict[str, str]] = {}
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
                "orgUnit": org_unit(value),
                "categoryOptionCombo": "default",
                "attributeOptionCombo": value.plan_code,
                "value": f"{number:g}" if isinstance(number, float) else str(number),
            }
            if comment is not None:
                entry["comment"] = comment
            key = tuple(entry[k] for k in DHIS2_KEY)
            entries.pop(key, None)  # re-inserted last, keeping the output in change order
            entries[key] = entry
    return list(entries.values())
