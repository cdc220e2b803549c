"""Computing each target's indicator from the sources' aggregates.

Every value comes with its numerator and denominator. A source that cannot answer leaves
the value empty and names the source: never a number that silently misses one.
"""

from typing import Any

from services.reporting.clients.sources import SourceService, SourceUnavailable
from services.reporting.indicators.calculations import CALCULATIONS
from services.reporting.indicators.catalogue import CATALOGUE
from services.reporting.indicators.judging import Context
from services.reporting.indicators.results import (
    IndicatorResult,
    IndicatorStatus,
    TargetSpec,
    reaches,
    value_of,
)


def _unavailable(base: dict[str, Any], source: SourceService | None) -> IndicatorResult:
    return IndicatorResult(
        **base,
        value=None,
        numerator=None,
        denominator=None,
        met=None,
        status=IndicatorStatus.SOURCE_UNAVAILABLE,
        source=source,
    )


async def compute(ctx: Context, spec: TargetSpec) -> IndicatorResult:
    indicator = CATALOGUE[spec.indicator]
    base: dict[str, Any] = {
        "indicator": spec.indicator,
        "group": spec.group,
        "unit": indicator.unit,
        "target": spec.value,
        "per_year": spec.per_year,
    }
    try:
        found = await CALCULATIONS[spec.indicator](ctx, spec)
    except SourceUnavailable as exc:
        window = {"window_start": ctx.period.start, "window_end": ctx.period.end}
        return _unavailable({**base, **window}, exc.extensions.get("source"))
    value, status = value_of(indicator.unit, found.numerator, found.denominator)
    on_track = None
    if found.pro_rata_target is not None and value is not None:
        on_track = value >= found.pro_rata_target
    return IndicatorResult(
        **base,
        window_start=found.window[0],
        window_end=found.window[1],
        value=value,
        numerator=found.numerator,
        denominator=found.denominator,
        met=reaches(spec, value) if found.judged else None,
        status=status,
        details=found.details,
        pro_rata_target=found.pro_rata_target,
        on_track=on_track,
        years=found.years,
        caveats=found.caveats,
    )
