"""What accepted contributions add to a province's report: activity counts beside the
figures entered by hand, funding spent by source, each with the agencies it came from, and
the contributions themselves, which the report keeps as compiled (its document and annex
are made from them, so a submitted report's never change). Only accepted ones count: a
draft, a submitted one not yet reviewed or a returned one may still change."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.agency.kinds import AgencyKind
from services.reporting.agency.models import agency_t
from services.reporting.contribution.models import contribution_t

# Each activity count, the manual metric it adds to, and the count of its participants.
ACTIVITY_METRICS: dict[str, tuple[str, str | None]] = {
    "communication_events": ("communication_events", "communication_participants"),
    "materials_distributed": ("materials_distributed", None),
    "workshops": ("workshops", "workshop_participants"),
    "contests": ("contests", "contest_participants"),
    "trainings": ("trainings", "training_participants"),
}
CONTRIBUTED = "contributions"  # the source of a figure summed from contributions


@dataclass
class Totals:
    activities: list[dict[str, Any]] = field(default_factory=list)
    funding: list[dict[str, Any]] = field(default_factory=list)
    contributions: list[dict[str, Any]] = field(default_factory=list)


async def accepted_totals(
    connection: AsyncConnection, plan_id: UUID, period_id: str, province_code: str | None
) -> Totals:
    query = (
        sa.select(
            contribution_t.c.tasks,
            contribution_t.c.activities,
            contribution_t.c.funding,
            contribution_t.c.difficulties_vi,
            contribution_t.c.proposals_vi,
            contribution_t.c.submitted_at,
            agency_t.c.code,
            agency_t.c.name_vi,
            agency_t.c.kind,
        )
        .join(agency_t, agency_t.c.id == contribution_t.c.agency_id)
        .where(
            contribution_t.c.plan_id == plan_id,
            contribution_t.c.period_id == period_id,
            contribution_t.c.province_code == province_code,
            contribution_t.c.status == "accepted",
        )
        .order_by(agency_t.c.code)
    )
    rows = list((await connection.execute(query)).all())
    return Totals(_activities(rows, period_id), _funding(rows), _compiled(rows))


def _compiled(rows: list[Any]) -> list[dict[str, Any]]:
    """Departments first, then mass organisations, communes, schools and hospitals, as the
    plans list them in section IV."""
    order = {kind.value: index for index, kind in enumerate(AgencyKind)}
    rows = sorted(rows, key=lambda row: (order.get(row.kind, len(order)), row.code))
    return [
        {
            "agency_code": row.code,
            "agency_name_vi": row.name_vi,
            "agency_kind": row.kind,
            "tasks": row.tasks or [],
            "activities": row.activities or {},
            "funding": row.funding or [],
            "difficulties_vi": row.difficulties_vi,
            "proposals_vi": row.proposals_vi,
            "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        }
        for row in rows
    ]


def _activities(rows: list[Any], period_id: str) -> list[dict[str, Any]]:
    found = []
    for name, (metric, participants) in ACTIVITY_METRICS.items():
        given = [row for row in rows if (row.activities or {}).get(name)]
        if not given:
            continue
        found.append(
            {
                "metric": metric,
                "period_id": period_id,
                "value": sum(row.activities[name] for row in given),
                "participants": (
                    sum((row.activities or {}).get(participants, 0) for row in given)
                    if participants
                    else None
                ),
                "note": None,
                "source": CONTRIBUTED,
                "agencies": [row.code for row in given],
            }
        )
    return found


def _funding(rows: list[Any]) -> list[dict[str, Any]]:
    amounts: defaultdict[str, int] = defaultdict(int)
    agencies: defaultdict[str, list[str]] = defaultdict(list)
    for row in rows:
        for spent in row.funding or []:
            amounts[spent["source"]] += spent["amount_vnd"]
            agencies[spent["source"]].append(row.code)
    return [
        {"source": source, "amount_vnd": amounts[source], "agencies": agencies[source]}
        for source in sorted(amounts)
    ]
