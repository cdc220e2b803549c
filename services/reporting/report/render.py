"""Report rows as responses, with the indicators' names."""

from typing import Any

from services.reporting.access import SENSITIVE_BREAKDOWNS
from services.reporting.indicators.catalogue import CATALOGUE
from services.reporting.indicators.judging import Caveat, CaveatCode, closes_plan
from services.reporting.periods import parse_period
from services.reporting.report.schemas import IndicatorValue, MonitoredValue, ReportRead
from services.reporting.report.service import deadline_of

WITHHELD = Caveat(
    code=CaveatCode.SENSITIVE_BREAKDOWN_WITHHELD,
    message_vi="Phân tổ của chỉ tiêu này chỉ hiển thị khi có quyền sensitive:read và nêu mục "
    "đích: các nhóm gồm trẻ em nhiễm HIV",
    message_en="This target's breakdowns need scope sensitive:read and a stated purpose: its "
    "groups include children living with HIV",
)


def is_monitored(value: dict[str, Any]) -> bool:
    """A stored value of a monitored indicator: kept among the report's values (so frozen and
    disclosed with them), answered apart from the targets."""
    return CATALOGUE[value["indicator"]].monitoring


def _as_seen(value: dict[str, Any], *, sensitive: bool) -> dict[str, Any]:
    """A value as the reader may see it: without `sensitive`, the breakdowns that would tell
    a sensitive category are left out, with a caveat saying why."""
    indicator = CATALOGUE[value["indicator"]]
    if not sensitive and value["indicator"] in SENSITIVE_BREAKDOWNS:
        value = {**value, "details": {}, "caveats": [*value.get("caveats", []), WITHHELD]}
    return {**value, "name_vi": indicator.name_vi, "name_en": indicator.name_en}


def indicator_value(value: dict[str, Any], *, sensitive: bool) -> IndicatorValue:
    return IndicatorValue(**_as_seen(value, sensitive=sensitive))


def monitored_value(value: dict[str, Any], *, sensitive: bool) -> MonitoredValue:
    """The stored value less what a monitored indicator has none of (target, met...)."""
    seen = _as_seen(value, sensitive=sensitive)
    return MonitoredValue(**{key: seen[key] for key in MonitoredValue.model_fields if key in seen})


def report_read(row: Any, *, sensitive: bool) -> ReportRead:
    period = parse_period(row.period_id)
    return ReportRead(
        id=row.id,
        plan_id=row.plan_id,
        plan_code=row.plan_code,
        province_code=row.province_code,
        period_id=row.period_id,
        period_kind=row.period_kind,
        period_label_vi=period.label_vi,
        as_of=period.as_of,
        closes_plan=closes_plan(period, row.plan_end),
        window_start=row.window_start,
        window_end=row.window_end,
        dhis2_period=row.dhis2_period,
        deadline=deadline_of(row, period),
        status=row.status,
        complete=row.complete,
        missing_sources=row.missing_sources,
        values=[indicator_value(v, sensitive=sensitive) for v in row.values if not is_monitored(v)],
        monitoring=[monitored_value(v, sensitive=sensitive) for v in row.values if is_monitored(v)],
        manual_values=row.manual_values,
        funding=row.funding or [],
        contributions=row.contributions or [],
        territory=row.territory,
        computed_at=row.computed_at,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        review_note=row.review_note,
        version=row.version,
        updated_at=row.updated_at,
    )
