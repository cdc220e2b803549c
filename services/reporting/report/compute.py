"""Computing a report's values: every applicable target of the plan and every monitored
indicator, for one territory and period, from the sources concurrently, plus the manual
values entered for them."""

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.cases_stats import PeopleSupported
from contracts.workforce_stats import FacilityStats
from services.reporting.clients.sources import Sources, SourceUnavailable
from services.reporting.contribution.totals import Totals, accepted_totals
from services.reporting.indicators.catalogue import MONITORED_INDICATORS
from services.reporting.indicators.compute import compute
from services.reporting.indicators.fetch import Fetch
from services.reporting.indicators.judging import Context
from services.reporting.indicators.results import TargetSpec
from services.reporting.manual.models import ManualValue, manual_t
from services.reporting.periods import Period
from services.reporting.plan.models import Plan, Target
from services.reporting.territory import Territory
from shared.db import load_all

BASELINE_METRIC = "people_supported"


@dataclass(frozen=True)
class Computed:
    values: list[dict[str, Any]]
    missing_sources: list[str]
    manual_values: list[dict[str, Any]]
    split_wards: dict[str, Any] | None = None
    funding: list[dict[str, Any]] = field(default_factory=list)
    contributions: list[dict[str, Any]] = field(default_factory=list)


def applicable(targets: list[Target], period: Period) -> list[Target]:
    """Targets of the period's year; for a target set for a later year only (2030), that one;
    and every target set for the whole plan."""
    year = period.end.year
    chosen: dict[tuple[Any, ...], Target] = {}
    for target in sorted(targets, key=lambda t: (t.year is None, t.year or 0)):
        key = (target.indicator, target.group, target.per_year)
        if target.year is None or target.year >= year:
            chosen.setdefault(key, target)
    return sorted(chosen.values(), key=lambda t: t.position)


async def manual_values(
    connection: AsyncConnection, territory: Territory, period_ids: list[str]
) -> list[ManualValue]:
    query = (
        sa.select(ManualValue)
        .where(
            manual_t.c.territory_scheme == territory.scheme,
            manual_t.c.territory_code == (territory.code or ""),
            manual_t.c.period_id.in_(period_ids),
        )
        .order_by(manual_t.c.metric)
    )
    return await load_all(connection, query)


@dataclass(frozen=True)
class Inputs:
    """What a computation needs from the reporting database, read before any source is
    asked, so that no transaction stays open while the sources answer."""

    plan: Plan
    targets: list[Target]
    territory: Territory
    period: Period
    manual: list[ManualValue]
    contributed: Totals


async def load_inputs(
    connection: AsyncConnection,
    plan: Plan,
    targets: list[Target],
    territory: Territory,
    period: Period,
) -> Inputs:
    # Activity counts are entered for the period itself, also when the report is cut short.
    whole_period = period.id.split("@")[0]
    manual = await manual_values(connection, territory, ["2020", whole_period])
    contributed = await accepted_totals(connection, plan.id, whole_period, territory.province_code)
    return Inputs(plan, targets, territory, period, manual, contributed)


async def compute_report(sources: Sources, inputs: Inputs) -> Computed:
    """Every applicable target and monitored indicator from the sources, within the
    service's report deadline."""
    plan, targets, territory, period, manual = (
        inputs.plan,
        inputs.targets,
        inputs.territory,
        inputs.period,
        inputs.manual,
    )
    baseline = next(
        (m.value for m in manual if m.metric == BASELINE_METRIC and m.period_id == "2020"), None
    )
    fetch = Fetch(sources, territory, sources.report_deadline_seconds)
    ctx = Context(period, plan.period_start, plan.period_end, fetch, baseline)
    specs = [
        TargetSpec(t.indicator, t.value, t.group, t.wage_basis, t.per_year, t.comparator)
        for t in applicable(targets, period)
    ]
    # After the plan's targets, what every report monitors: frozen, shown and disclosed
    # as their values are, since they are values of the same report.
    specs += [TargetSpec(code, None) for code in MONITORED_INDICATORS]
    try:
        results = await asyncio.gather(*(compute(ctx, spec) for spec in specs))
        split = await split_wards(fetch, territory, period)
    finally:
        fetch.cancel()
    notes = {(t.indicator, t.group, t.per_year): t.note_vi for t in targets}
    values = [
        {**r.model_dump(mode="json"), "note_vi": notes.get((r.indicator, r.group, r.per_year))}
        for r in results
    ]
    unavailable = {r.source for r in results if r.status == "source_unavailable" and r.source}
    missing = sorted(unavailable | set(split["missing_sources"] if split else []))
    activities = [
        {
            "metric": m.metric,
            "period_id": m.period_id,
            "value": m.value,
            "participants": m.participants,
            "note": m.note,
        }
        for m in manual
    ]
    activities += inputs.contributed.activities
    contributed = inputs.contributed
    return Computed(
        values, missing, activities, split, contributed.funding, contributed.contributions
    )


async def split_wards(fetch: Fetch, territory: Territory, period: Period) -> dict[str, Any] | None:
    """For a plan on a legacy province that shares wards with another: how many people and
    facilities there carried no legacy commune, and what the plan's setting did with them."""
    if territory.scheme != "legacy" or not territory.shared_wards:
        return None
    found: dict[str, Any] = {"policy": territory.shared_policy, "missing_sources": []}
    asks: dict[str, tuple[Awaitable[PeopleSupported | FacilityStats], str]] = {
        "people": (fetch.people_supported(period.start, period.end), "cases"),
        "facilities": (fetch.facilities(period.end), "workforce"),
    }
    for what, (answer, source) in asks.items():
        try:
            found[what] = (await answer).unmarked_in_shared_wards
        except SourceUnavailable:
            found[what] = None
            found["missing_sources"].append(source)
    counted = "được tính" if territory.shared_policy == "include" else "không được tính"
    found["note_vi"] = (
        f"{found['people']} người và {found['facilities']} cơ sở ở phường, xã dùng chung với "
        f"tỉnh khác không ghi xã cũ; theo kế hoạch ({territory.shared_policy}) {counted}"
    )
    return found
