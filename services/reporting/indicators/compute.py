"""Computing each target's indicator from the sources' aggregates.

Every value comes with its numerator and denominator. A source that cannot answer leaves
the value empty and names the source: never a number that silently misses one.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from services.reporting.clients.sources import Sources, SourceUnavailable
from services.reporting.indicators.catalogue import CATALOGUE
from services.reporting.periods import Period
from services.reporting.territory import Territory


@dataclass(frozen=True)
class TargetSpec:
    indicator: str
    value: float
    group: str | None = None
    wage_basis: str | None = None
    per_year: bool = False
    comparator: str = "gte"


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
    status: str  # ok | no_denominator | missing_baseline | source_unavailable
    source: str | None = None
    details: dict[str, Any] = {}


class Fetch:
    """The sources' aggregates for one territory, each asked once however many targets need it."""

    def __init__(self, sources: Sources, territory: Territory) -> None:
        self.sources = sources
        self.units = territory.params()
        self._tasks: dict[tuple[Any, ...], asyncio.Task[Any]] = {}

    def _once(self, key: tuple[Any, ...], call: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        if key not in self._tasks:
            self._tasks[key] = asyncio.ensure_future(call())
        return self._tasks[key]

    def facilities(self, on: date) -> Awaitable[Any]:
        return self._once(
            ("facilities", on), lambda: self.sources.workforce.facilities(on, self.units)
        )

    def workers(self, on: date, start: date) -> Awaitable[Any]:
        return self._once(
            ("workers", on, start),
            lambda: self.sources.workforce.workers(on, start, on, self.units),
        )

    def training(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            ("training", start, end),
            lambda: self.sources.workforce.training(start, end, self.units),
        )

    def priority_children(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            ("children", start, end),
            lambda: self.sources.cases.priority_children(start, end, self.units),
        )

    def people_supported(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            ("supported", start, end),
            lambda: self.sources.cases.people_supported(start, end, self.units),
        )

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()


@dataclass(frozen=True)
class Context:
    period: Period
    plan_start: date
    plan_end: date
    fetch: Fetch
    baseline_2020: int | None

    def count_window(self, spec: TargetSpec) -> tuple[date, date]:
        """A per-year target counts within the period; a plan-period target since the plan began."""
        start = self.period.start if spec.per_year else min(self.plan_start, self.period.start)
        return start, self.period.end


Numbers = tuple[int | None, int | None, dict[str, Any]]


def _sum(
    rows: list[dict[str, Any]], key: str, keep: Callable[[dict[str, Any]], bool] = lambda r: True
) -> int:
    return sum(row[key] or 0 for row in rows if keep(row))


async def _facility_ratio(ctx: Context, spec: TargetSpec) -> Numbers:
    rows = (await ctx.fetch.facilities(ctx.period.end))["rows"]
    numerator_key, denominator_key = {
        "I01": (
            "paid_minimum_wage" if spec.wage_basis != "base" else "paid_base_wage",
            "facilities",
        ),
        "I03A": ("sector_social_assistance_providing", "sector_social_assistance"),
        "I03B": ("planned_providing", "planned"),
        "I10": ("with_ctxh_staff", "facilities"),
    }[spec.indicator]
    by_kind = {row["kind"]: [row[numerator_key], row[denominator_key]] for row in rows}
    return _sum(rows, numerator_key), _sum(rows, denominator_key), {"by_kind": by_kind}


async def _trained_share(ctx: Context, spec: TargetSpec) -> Numbers:
    stats = await ctx.fetch.workers(ctx.period.end, min(ctx.plan_start, ctx.period.start))
    if spec.group is None:
        return stats["distinct_trained"], stats["distinct_workers"], {}
    rows = [r for r in stats["rows"] if r["facility_group"] == spec.group]
    return _sum(rows, "trained"), _sum(rows, "workers"), {"group": spec.group}


async def _people_growth(ctx: Context, spec: TargetSpec) -> Numbers:
    stats = await ctx.fetch.people_supported(ctx.period.start, ctx.period.end)
    by_service = {item["key"]: item["count"] for item in stats["items"]}
    return stats["total"], ctx.baseline_2020, {"by_service_type": by_service}


async def _priority_children(ctx: Context, spec: TargetSpec) -> Numbers:
    stats = await ctx.fetch.priority_children(ctx.period.start, ctx.period.end)
    groups = {
        g["category"]: {
            "children": g["children"],
            "served_any": g["served_any"],
            "served_socialised": g["served_socialised"],
        }
        for g in stats["groups"]
    }
    total = stats["all_groups"]
    details = {"groups": groups, "served_any": total["served_any"]}
    return total["served_socialised"], total["children"], details


async def _training_count(ctx: Context, spec: TargetSpec) -> Numbers:
    start, end = ctx.count_window(spec)
    if spec.indicator == "I08":
        stats = await ctx.fetch.workers(end, start)
        return _sum(stats["rows"], "trained", lambda r: r["service_facility"]), None, {}
    rows = (await ctx.fetch.training(start, end))["rows"]
    if spec.indicator == "I06":
        return _sum(rows, "people", lambda r: r["degree"]), None, {}
    kind = "in_depth_skills" if spec.indicator == "I07" else "short_skills"
    return _sum(rows, "turns", lambda r: r["kind"] == kind), None, {}


CALCULATIONS: dict[str, Callable[[Context, TargetSpec], Awaitable[Numbers]]] = {
    "I01": _facility_ratio,
    "I02": _trained_share,
    "I03A": _facility_ratio,
    "I03B": _facility_ratio,
    "I04": _people_growth,
    "I05": _priority_children,
    "I06": _training_count,
    "I07": _training_count,
    "I08": _training_count,
    "I09": _training_count,
    "I10": _facility_ratio,
}


def _value(unit: str, numerator: int | None, denominator: int | None) -> tuple[float | None, str]:
    if numerator is None:
        return None, "no_data"
    if unit == "count":
        return float(numerator), "ok"
    if not denominator:
        return None, "missing_baseline" if unit == "growth_percent" else "no_denominator"
    share = numerator / denominator * 100
    return round(share - 100 if unit == "growth_percent" else share, 1), "ok"


def _met(ctx: Context, spec: TargetSpec, unit: str, value: float | None) -> bool | None:
    if value is None:
        return None
    if unit == "count":
        # A per-year count is judged on an annual report; a plan-period one at the plan's end.
        judged = ctx.period.kind == "annual" if spec.per_year else ctx.period.end >= ctx.plan_end
        if not judged:
            return None
    return value >= spec.value if spec.comparator == "gte" else value <= spec.value


def _unavailable(base: dict[str, Any], source: str | None) -> IndicatorResult:
    return IndicatorResult(
        **base,
        value=None,
        numerator=None,
        denominator=None,
        met=None,
        status="source_unavailable",
        source=source,
    )


async def compute(ctx: Context, spec: TargetSpec) -> IndicatorResult:
    indicator = CATALOGUE[spec.indicator]
    if indicator.unit == "count":
        start, end = ctx.count_window(spec)
    elif spec.indicator in ("I04", "I05"):
        start, end = ctx.period.start, ctx.period.end
    else:
        start, end = ctx.period.end, ctx.period.end
    base: dict[str, Any] = {
        "indicator": spec.indicator,
        "group": spec.group,
        "unit": indicator.unit,
        "target": spec.value,
        "per_year": spec.per_year,
        "window_start": start,
        "window_end": end,
    }
    try:
        numerator, denominator, details = await CALCULATIONS[spec.indicator](ctx, spec)
    except SourceUnavailable as exc:
        return _unavailable(base, exc.extensions.get("source"))
    except (KeyError, TypeError):  # an answer not in the agreed shape is as good as none
        return _unavailable(base, indicator.source.split()[0])
    value, status = _value(indicator.unit, numerator, denominator)
    return IndicatorResult(
        **base,
        value=value,
        numerator=numerator,
        denominator=denominator,
        met=_met(ctx, spec, indicator.unit, value),
        status=status,
        details=details,
    )
