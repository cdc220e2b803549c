"""Each indicator from the sources' answers. The sources count people as distinct people
(overall and in each breakdown); nothing here adds up rows that could hold one person twice.

Breakdown rows are given as {key, label_vi, label_en, numerator, denominator} (denominator
null for counts), so the report, the workbook and the dashboard show them alike.
"""

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from contracts.cases_stats import (
    Count,
    PeopleSupported,
    PriorityChildren,
    ReferralCounts,
    ReferralStats,
)
from contracts.workforce_stats import (
    FacilityCounts,
    FacilityStats,
    KeyedPeopleCount,
    KeyedStaffCounts,
    KeyedTrainingCounts,
    ServiceStaffTrained,
    TrainingCounts,
    TrainingStats,
)
from services.reporting.indicators.catalogue import IndicatorUnit
from services.reporting.indicators.judging import (
    CaveatCode,
    Context,
    caveat,
    headline_year,
    pro_rata,
)
from services.reporting.indicators.results import (
    Calculation,
    Outcome,
    TargetSpec,
    YearValue,
    reaches,
    value_of,
)
from services.reporting.periods import YearSlice


class LabelledRow(Protocol):
    @property
    def label_vi(self) -> str | None: ...
    @property
    def label_en(self) -> str | None: ...


class KeyedRow(LabelledRow, Protocol):
    @property
    def key(self) -> str: ...


Row = TypeVar("Row", bound=KeyedRow)
Row_co = TypeVar("Row_co", bound=KeyedRow, covariant=True)


class ByPlace(Protocol[Row_co]):
    """An answer broken down by 2025 ward and by legacy district."""

    @property
    def by_ward(self) -> Sequence[Row_co]: ...
    @property
    def by_former_district(self) -> Sequence[Row_co]: ...


def _row(key: str, row: LabelledRow, numerator: int, denominator: int | None) -> dict[str, Any]:
    return {
        "key": key,
        "label_vi": row.label_vi,
        "label_en": row.label_en,
        "numerator": numerator,
        "denominator": denominator,
    }


def _rows(
    rows: Sequence[Row],
    numerator: Callable[[Row], int],
    denominator: Callable[[Row], int] | None = None,
) -> list[dict[str, Any]]:
    return [
        _row(row.key, row, numerator(row), denominator(row) if denominator else None)
        for row in rows
    ]


def _places(
    stats: ByPlace[Row],
    numerator: Callable[[Row], int],
    denominator: Callable[[Row], int] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    return {
        "by_ward": _rows(stats.by_ward, numerator, denominator),
        "by_former_district": _rows(stats.by_former_district, numerator, denominator),
    }


# Facility targets (#1, #3a, #3b, #10): taken on the window's last day.

Measure = Callable[[FacilityCounts], int]
FACILITY_MEASURES: dict[str, tuple[Measure, Measure]] = {
    "I03A": (lambda c: c.sector_social_assistance_providing, lambda c: c.sector_social_assistance),
    "I03B": (lambda c: c.planned_providing, lambda c: c.planned),
    "I10": (lambda c: c.with_ctxh_staff, lambda c: c.facilities),
}


class WageCounts(Protocol):
    """Facilities and how many pay enough: a facility total or a kind of post's."""

    @property
    def facilities(self) -> int: ...
    @property
    def paid_base_wage(self) -> int: ...
    @property
    def paid_minimum_wage(self) -> int: ...
    @property
    def wage_region_unresolved(self) -> int: ...


def _by_kind_sector(
    stats: FacilityStats, numerator: Measure, denominator: Measure
) -> list[dict[str, Any]]:
    return [
        _row(f"{row.kind}/{row.sector}", row, numerator(row), denominator(row))
        for row in stats.by_kind_sector
    ]


def _staff_counts(stats: FacilityStats, numerator: Measure) -> list[dict[str, Any]]:
    return [_row(row.staff, row, numerator(row), row.facilities) for row in stats.by_staff_count]


async def _facility_ratio(ctx: Context, spec: TargetSpec) -> Outcome:
    end = ctx.period.end
    stats = await ctx.fetch.facilities(end)
    if spec.indicator == "I01":
        return _paid_enough(ctx, spec, stats)
    numerator, denominator = FACILITY_MEASURES[spec.indicator]
    details: dict[str, Any] = {"by_kind_sector": _by_kind_sector(stats, numerator, denominator)}
    if spec.indicator == "I10":
        details["by_staff_count"] = _staff_counts(stats, numerator)
        details["volunteers_only"] = stats.totals.volunteers_only
    totals = stats.totals
    return Outcome(numerator(totals), denominator(totals), (end, end), details)


def _paid_enough(ctx: Context, spec: TargetSpec, stats: FacilityStats) -> Outcome:
    """#1: facilities with a staff allowance at least the plan's wage. On the regional minimum,
    a facility without a region that day cannot be judged: it is left out and listed."""
    end = ctx.period.end
    regional = spec.wage_basis != "base"

    def meets(counts: WageCounts) -> int:
        return counts.paid_minimum_wage if regional else counts.paid_base_wage

    def judged(counts: WageCounts) -> int:
        return counts.facilities - (counts.wage_region_unresolved if regional else 0)

    details: dict[str, Any] = {
        "wage_basis": "regional_minimum" if regional else "base",
        "by_kind_sector": _by_kind_sector(stats, meets, judged),
        "by_staff_count": _staff_counts(stats, meets),
        "by_position_kind": [
            _row(row.position_kind, row, meets(row), judged(row)) for row in stats.by_position_kind
        ],
        "volunteers_only": stats.totals.volunteers_only,
    }
    caveats = []
    if regional:
        details["unresolved_wage_region"] = [
            f.model_dump(mode="json") for f in stats.unresolved_wage_region
        ]
        if unresolved := stats.totals.wage_region_unresolved:
            caveats.append(caveat(CaveatCode.WAGE_REGION_UNRESOLVED, count=unresolved, on=end))
    totals = stats.totals
    return Outcome(meets(totals), judged(totals), (end, end), details, caveats=caveats)


# People targets.


async def _trained_share(ctx: Context, spec: TargetSpec) -> Outcome:
    """#2: staff on the window's last day (in the target's facility group) who completed
    training since the plan began."""
    end, since = ctx.period.end, ctx.plan_window_start
    stats = await ctx.fetch.workers(end, since, spec.group)

    def trained(row: KeyedStaffCounts) -> int:
        return row.trained

    def workers(row: KeyedStaffCounts) -> int:
        return row.workers

    details = {
        "trained_since": since.isoformat(),
        "volunteers": stats.volunteers.model_dump(mode="json"),
        "by_position_kind": _rows(stats.by_position_kind, trained, workers),
        **_places(stats, trained, workers),
    }
    return Outcome(stats.staff.trained, stats.staff.workers, (end, end), details)


def _growth_year(
    ctx: Context, spec: TargetSpec, part: YearSlice, stats: PeopleSupported
) -> YearValue:
    value, _ = value_of(IndicatorUnit.GROWTH_PERCENT, stats.total, ctx.baseline_2020)
    judged = part.full or ctx.closes_plan
    return YearValue(
        year=part.year,
        window_start=part.start,
        window_end=part.end,
        full=part.full,
        numerator=stats.total,
        denominator=ctx.baseline_2020,
        value=value,
        met=reaches(spec, value) if judged else None,
    )


async def _people_growth(ctx: Context, spec: TargetSpec) -> Outcome:
    """#4: people supported in one reporting year against the full-year 2020 baseline."""
    if ctx.spans_years:
        parts = ctx.years()
        head = headline_year(parts)
    else:  # one window of at most a year: a full year when it lasts one
        full = ctx.period.days >= 365
        head = YearSlice(ctx.period.last_year, ctx.period.start, ctx.period.end, full)
        parts = [head]
    answers = await asyncio.gather(*(ctx.fetch.people_supported(p.start, p.end) for p in parts))
    stats = answers[parts.index(head)]

    def count(row: Count) -> int:
        return row.count

    details = {
        "by_service_type": _rows(stats.items, count),
        **_places(stats, count),
    }
    caveats = []
    if ctx.spans_years:
        caveats.append(caveat(CaveatCode.LAST_FULL_YEAR, year=head.year))
    if not head.full:
        days = (head.end - head.start).days + 1
        caveats.append(caveat(CaveatCode.PARTIAL_YEAR, days=days, start=head.start, end=head.end))
    years = [_growth_year(ctx, spec, p, a) for p, a in zip(parts, answers, strict=True)]
    return Outcome(
        stats.total,
        ctx.baseline_2020,
        (head.start, head.end),
        details,
        judged=head.full or ctx.closes_plan,
        years=years if ctx.spans_years else [],
        caveats=caveats,
    )


async def _priority_children(ctx: Context, spec: TargetSpec) -> Outcome:
    """#5: children of the six groups served from socialised resources in the window."""
    stats: PriorityChildren = await ctx.fetch.priority_children(ctx.period.start, ctx.period.end)
    groups = {
        g.category: {
            "label_vi": g.label_vi,
            "children": g.children,
            "served_any": g.served_any,
            "served_socialised": g.served_socialised,
        }
        for g in stats.groups
    }
    everyone = stats.all_groups
    details = {
        "groups": groups,
        "served_any": everyone.served_any,
        **_places(stats, lambda row: row.served_socialised, lambda row: row.children),
    }
    window = (ctx.period.start, ctx.period.end)
    return Outcome(everyone.served_socialised, everyone.children, window, details)


# Counts (#6 to #9).

TRAINING_COUNTS: dict[str, Callable[[TrainingCounts], int]] = {
    "I06": lambda c: c.degree_people,
    "I07": lambda c: c.in_depth_turns,
    "I09": lambda c: c.short_turns,
}


async def _count_in(
    ctx: Context, indicator: str, start: date, end: date
) -> tuple[int, dict[str, Any]]:
    if indicator == "I08":
        staff: ServiceStaffTrained = await ctx.fetch.service_staff(start, end)

        def people(row: KeyedPeopleCount) -> int:
            return row.people

        return staff.totals.people, _places(staff, people)
    training: TrainingStats = await ctx.fetch.training(start, end)
    measure = TRAINING_COUNTS[indicator]

    def counted(row: KeyedTrainingCounts) -> int:
        return measure(row)

    return measure(training.totals), _places(training, counted)


async def _per_year_count(ctx: Context, spec: TargetSpec) -> Outcome:
    if ctx.spans_years:
        parts = ctx.years()
        found = await asyncio.gather(
            *(_count_in(ctx, spec.indicator, p.start, p.end) for p in parts)
        )
        years = [
            YearValue(
                year=p.year,
                window_start=p.start,
                window_end=p.end,
                full=p.full,
                numerator=count,
                denominator=None,
                value=float(count),
                met=reaches(spec, float(count)) if p.full else None,
            )
            for p, (count, _) in zip(parts, found, strict=True)
        ]
        head = headline_year(parts)
        count, places = found[parts.index(head)]
        caveats = [caveat(CaveatCode.LAST_FULL_YEAR, year=head.year)]
        return Outcome(
            count, None, (head.start, head.end), places, head.full, years=years, caveats=caveats
        )
    count, places = await _count_in(ctx, spec.indicator, ctx.period.start, ctx.period.end)
    window = (ctx.period.start, ctx.period.end)
    if ctx.period.kind == "annual":
        return Outcome(count, None, window, places)
    share = pro_rata(spec.value, ctx.year_share())
    caveats = [caveat(CaveatCode.JUDGED_PER_YEAR, pro_rata=share)]
    return Outcome(count, None, window, places, False, share, caveats=caveats)


async def _plan_count(ctx: Context, spec: TargetSpec) -> Outcome:
    """A target for the whole plan: counted since the plan began, judged when it closes."""
    window = (ctx.plan_window_start, ctx.period.end)
    count, places = await _count_in(ctx, spec.indicator, *window)
    if ctx.closes_plan:
        return Outcome(count, None, window, places)
    share = pro_rata(spec.value, ctx.elapsed())
    caveats = [caveat(CaveatCode.JUDGED_AT_PLAN_END, pro_rata=share)]
    return Outcome(count, None, window, places, False, share, caveats=caveats)


async def _training_count(ctx: Context, spec: TargetSpec) -> Outcome:
    return await (_per_year_count if spec.per_year else _plan_count)(ctx, spec)


# Referrals (monitored in every report): each measure over the referrals made.

REFERRAL_MEASURES: dict[str, Callable[[ReferralCounts], int]] = {
    "R01": lambda c: c.accepted,
    "R02": lambda c: c.responded_on_time,
    "R03": lambda c: c.overdue,
}


async def _referrals(ctx: Context, spec: TargetSpec) -> Outcome:
    """Of the referrals made in the window, those accepted, answered on time or overdue: one
    answer of the cases service serves the three, and none is judged."""
    stats: ReferralStats = await ctx.fetch.referrals(ctx.period.start, ctx.period.end)
    measure = REFERRAL_MEASURES[spec.indicator]

    def made(row: ReferralCounts) -> int:
        return row.made

    details: dict[str, Any] = _places(stats, measure, made)
    if spec.indicator == "R03":
        details["overdue_as_of"] = stats.as_of.isoformat()
    window = (ctx.period.start, ctx.period.end)
    return Outcome(measure(stats.totals), stats.totals.made, window, details, judged=False)


CALCULATIONS: dict[str, Calculation] = {
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
    "R01": _referrals,
    "R02": _referrals,
    "R03": _referrals,
}
