"""The contribution workflow: requested by the lead department, drafted and submitted
(frozen) by the agency, accepted or returned with a reason by the lead department."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import contribution_scope, filing_scope
from services.reporting.agency.models import agency_t
from services.reporting.agency.service import get_agency
from services.reporting.common import history
from services.reporting.contribution.errors import (
    ContributionExists,
    ContributionFrozen,
    ContributionNotFound,
    ContributionNotSubmitted,
)
from services.reporting.contribution.models import contribution_t
from services.reporting.contribution.schemas import (
    OPEN,
    ContributionRead,
    ContributionRequest,
    ContributionReview,
    ContributionStatus,
    ContributionUpdate,
)
from services.reporting.plan.models import plan_t
from services.reporting.plan.service import get_plan_row
from services.reporting.report.schemas import ReviewDecision
from services.reporting.report.service import deadline_of, period_for
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.dates import day_in_vietnam, today_in_vietnam
from shared.db import AnyRow, utcnow
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.history import HistoryEvent, history_of, record_event
from shared.models import new_id
from shared.records import save_changes, unique_or

# A contribution with what its reading needs of its agency and plan.
WITH_AGENCY = sa.select(
    contribution_t,
    plan_t.c.code.label("plan_code"),
    agency_t.c.code.label("agency_code"),
    agency_t.c.name_vi.label("agency_name_vi"),
    agency_t.c.kind.label("agency_kind"),
).select_from(
    contribution_t.join(agency_t, agency_t.c.id == contribution_t.c.agency_id).join(
        plan_t, plan_t.c.id == contribution_t.c.plan_id
    )
)


CLEARED: dict[str, Any] = {"tasks": [], "activities": {}, "funding": []}


def _invalid(field: str, message: str, kind: str = "invalid") -> ValidationFailed:
    return ValidationFailed([field_error(["body", field], message, kind)])


def _overdue(status: str, due: date, today: date) -> bool:
    return status in OPEN and today > due


def contribution_read(row: Any) -> ContributionRead:
    submitted = row.submitted_at
    return ContributionRead.model_validate(
        {
            **row._mapping,
            "overdue": _overdue(row.status, row.due_date, today_in_vietnam()),
            "late": submitted is not None and day_in_vietnam(submitted) > row.due_date,
        }
    )


async def request_contribution(
    connection: AsyncConnection, principal: Principal, data: ContributionRequest
) -> UUID:
    """Ask an agency of the officer's province for its contribution to a plan and period,
    due on or before the province's own deadline for that period."""
    plan = await get_plan_row(connection, principal, data.plan_id)
    if plan.level != "national" and plan.province_code != principal.province_code:
        raise Forbidden("contributions are asked for your province's plans")
    agency = await get_agency(connection, principal, data.agency_id)
    period = period_for(plan, data.period)
    deadline = deadline_of(plan, period)
    if deadline is not None and data.due_date > deadline:
        raise _invalid("due_date", f"the province's own deadline is {deadline}", "too_late")
    now, contribution_id = utcnow(), new_id()
    values = {
        "id": contribution_id,
        "plan_id": plan.id,
        "period_id": period.id,
        "agency_id": agency.id,
        "province_code": agency.province_code,
        "due_date": data.due_date,
        "status": ContributionStatus.REQUESTED,
        "tasks": [],
        "activities": {},
        "funding": [],
        "requested_by": principal.subject,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    async with unique_or(connection, ContributionExists):
        await connection.execute(contribution_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="contribution",
        entity_id=contribution_id,
        action="requested",
        changes={"agency": agency.code, "period": period.id, "due_date": str(data.due_date)},
    )
    return contribution_id


async def get_contribution(
    connection: AsyncConnection, principal: Principal, contribution_id: UUID
) -> AnyRow:
    query = WITH_AGENCY.where(contribution_t.c.id == contribution_id, contribution_scope(principal))
    row = (await connection.execute(query)).first()
    if row is None:
        raise ContributionNotFound()
    return row


async def list_contributions(
    connection: AsyncConnection,
    principal: Principal,
    filters: dict[str, Any],
    overdue: bool | None,
) -> list[ContributionRead]:
    """The contributions in the caller's scope matching every filter, by due date then
    agency: the lead department's desk for a plan and period."""
    query = WITH_AGENCY.where(contribution_scope(principal))
    for name, value in filters.items():
        if value is not None:
            query = query.where(contribution_t.c[name] == value)
    if overdue is not None:
        late = sa.and_(
            contribution_t.c.status.in_(list(OPEN)),
            contribution_t.c.due_date < today_in_vietnam(),
        )
        query = query.where(late if overdue else sa.not_(late))
    rows = await connection.execute(
        query.order_by(contribution_t.c.due_date, agency_t.c.code, contribution_t.c.id)
    )
    return [contribution_read(row) for row in rows]


async def _own(
    connection: AsyncConnection, principal: Principal, contribution_id: UUID, if_match: str | None
) -> AnyRow:
    """A contribution the caller's agency may still write, at the version it read."""
    query = sa.select(contribution_t).where(
        contribution_t.c.id == contribution_id, filing_scope(principal)
    )
    current = (await connection.execute(query)).first()
    if current is None:
        raise ContributionNotFound()
    check_if_match(if_match, current.version)
    if current.status not in OPEN:
        raise ContributionFrozen(f"the contribution is {current.status}; it does not change")
    return current


def _check_tasks(tasks: list[dict[str, Any]] | None, data: ContributionUpdate) -> None:
    known = {task["code"] for task in tasks or []}
    for index, entry in enumerate(data.tasks or []):
        if entry.task not in known:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "tasks", index, "task"],
                        f"the plan has no task group {entry.task}",
                        "unknown",
                    )
                ]
            )


async def update_contribution(
    connection: AsyncConnection,
    principal: Principal,
    contribution_id: UUID,
    data: ContributionUpdate,
    if_match: str | None,
) -> None:
    current = await _own(connection, principal, contribution_id, if_match)
    tasks = sa.select(plan_t.c.tasks).where(plan_t.c.id == current.plan_id)
    _check_tasks((await connection.execute(tasks)).scalar_one(), data)
    values: dict[str, Any] = data.model_dump(mode="json", exclude_unset=True)
    # null clears a part: no tasks, no counts, no funding (the columns hold empty ones).
    for name, empty in CLEARED.items():
        if name in values and values[name] is None:
            values[name] = empty
    if current.status == ContributionStatus.REQUESTED:
        values["status"] = ContributionStatus.DRAFT.value
    await save_changes(
        connection,
        contribution_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="contribution",
        action="updated",
    )


async def submit_contribution(
    connection: AsyncConnection, principal: Principal, contribution_id: UUID, if_match: str | None
) -> None:
    """Submit: from now on it is frozen, until the lead department returns it."""
    current = await _own(connection, principal, contribution_id, if_match)
    await save_changes(
        connection,
        contribution_t,
        current,
        {
            "status": ContributionStatus.SUBMITTED.value,
            "submitted_at": utcnow(),
            "submitted_by": principal.subject,
        },
        history=history,
        principal=principal,
        entity_type="contribution",
        action="submitted",
    )


async def review_contribution(
    connection: AsyncConnection,
    principal: Principal,
    contribution_id: UUID,
    review: ContributionReview,
    if_match: str | None,
) -> None:
    current = await get_contribution(connection, principal, contribution_id)
    check_if_match(if_match, current.version)
    if current.status != ContributionStatus.SUBMITTED:
        raise ContributionNotSubmitted(
            f"only a submitted contribution is reviewed; this one is {current.status}"
        )
    values: dict[str, Any] = {
        "status": review.decision.value,
        "reviewed_at": utcnow(),
        "reviewed_by": principal.subject,
        "review_note": review.note,
    }
    if review.decision == ReviewDecision.RETURNED and review.due_date is not None:
        values["due_date"] = review.due_date
    await save_changes(
        connection,
        contribution_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="contribution",
        action=review.decision.value,
    )


async def remind_overdue(
    connection: AsyncConnection, principal: Principal, plan_id: UUID, period: str
) -> list[ContributionRead]:
    """Mark every overdue contribution to the plan and period in the caller's province as
    reminded now, each with a history entry; the agency sees `reminded_at` on it."""
    plan = await get_plan_row(connection, principal, plan_id)
    period_id = period_for(plan, period).id
    now = utcnow()
    reminded = await connection.execute(
        contribution_t.update()
        .where(
            contribution_scope(principal),
            contribution_t.c.plan_id == plan.id,
            contribution_t.c.period_id == period_id,
            contribution_t.c.status.in_(list(OPEN)),
            contribution_t.c.due_date < today_in_vietnam(),
        )
        .values(reminded_at=now)
        .returning(contribution_t.c.id, contribution_t.c.version)
    )
    ids = []
    for row in reminded.all():
        ids.append(row.id)
        await record_event(
            connection,
            history,
            principal,
            entity_type="contribution",
            entity_id=row.id,
            action="reminded",
            changes={"reminded_at": now.isoformat()},
            version=row.version,
        )
    if not ids:
        return []
    rows = await connection.execute(
        WITH_AGENCY.where(contribution_t.c.id.in_(ids)).order_by(agency_t.c.code)
    )
    return [contribution_read(row) for row in rows]


async def contribution_history(
    connection: AsyncConnection, principal: Principal, contribution_id: UUID
) -> list[HistoryEvent]:
    contribution = await get_contribution(connection, principal, contribution_id)
    return await history_of(connection, history, contribution.id)
