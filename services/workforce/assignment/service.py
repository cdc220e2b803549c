"""Positions and allowances over time. Nothing is overwritten: an assignment is ended, an
allowance is followed by the next one."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import check_province, worker_scope
from services.workforce.assignment.errors import AssignmentNotFound, AssignmentOverlap
from services.workforce.assignment.models import allowance_t, assignment_t
from services.workforce.assignment.schemas import (
    AllowanceCreate,
    AssignmentCreate,
    AssignmentEnd,
    AssignmentRead,
)
from services.workforce.common import history
from services.workforce.facility.models import facility_t
from services.workforce.facility.service import get_facility
from services.workforce.worker.models import worker_t
from services.workforce.worker.service import get_worker
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow
from shared.errors import ValidationFailed, field_error
from shared.history import record_event
from shared.models import new_id, new_record_values
from shared.records import lock, save_changes, unique_or


async def get_assignment(
    connection: AsyncConnection, principal: Principal, assignment_id: UUID
) -> AnyRow:
    query = (
        sa.select(assignment_t)
        .join(worker_t, worker_t.c.id == assignment_t.c.worker_id)
        .where(assignment_t.c.id == assignment_id, worker_scope(principal))
    )
    row = (await connection.execute(query)).first()
    if row is None:
        raise AssignmentNotFound()
    return row


async def _check_overlap(
    connection: AsyncConnection,
    worker_id: UUID,
    facility_id: UUID,
    start: date,
    end: date | None,
    exclude: UUID | None = None,
) -> None:
    conditions = [
        assignment_t.c.worker_id == worker_id,
        assignment_t.c.facility_id == facility_id,
        assignment_t.c.archived_at.is_(None),
        sa.or_(assignment_t.c.end_date.is_(None), assignment_t.c.end_date >= start),
    ]
    if end is not None:
        conditions.append(assignment_t.c.start_date <= end)
    if exclude is not None:
        conditions.append(assignment_t.c.id != exclude)
    query = sa.select(assignment_t.c.id).where(*conditions).limit(1)
    if (clash := (await connection.execute(query)).scalar()) is not None:
        raise AssignmentOverlap(f"it overlaps assignment {clash}", existing_id=str(clash))


async def _add_allowance(
    connection: AsyncConnection, principal: Principal, assignment_id: UUID, amount: int, start: date
) -> None:
    await connection.execute(
        allowance_t.insert().values(
            id=new_id(),
            assignment_id=assignment_id,
            amount_vnd=amount,
            start_date=start,
            end_date=None,
            created_by=principal.subject,
        )
    )


def _outside(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", field], message, "date_range")])


def _check_dates(worker: Any, facility: Any, data: AssignmentCreate) -> None:
    """A position lies before its holder left and before its facility closed."""
    for last, what in ((worker.left_on, "the worker left"), (facility.active_to, "it closed")):
        if last is None:
            continue
        if data.start_date > last:
            raise _outside("start_date", f"{what} on {last}")
        if data.end_date is None or data.end_date > last:
            raise _outside("end_date", f"{what} on {last}: end the position by then")


async def create_assignment(
    connection: AsyncConnection, principal: Principal, worker_id: UUID, data: AssignmentCreate
) -> UUID:
    await get_worker(connection, principal, worker_id)
    await get_facility(connection, principal, data.facility_id)
    # Locked to the end of the transaction: a worker leaving or a facility closing meanwhile
    # waits, and so does a concurrent assignment that could overlap this one.
    worker = await lock(connection, worker_t, worker_id)
    facility = await lock(connection, facility_t, data.facility_id)
    check_province(principal, facility.province_code)
    _check_dates(worker, facility, data)
    await _check_overlap(connection, worker.id, facility.id, data.start_date, data.end_date)
    values = data.model_dump(mode="python", exclude={"monthly_allowance_vnd"})
    values.update(new_record_values(principal.subject), worker_id=worker.id)
    # PostgreSQL's no-overlap constraint, behind the locks.
    overlap = AssignmentOverlap("another position over those dates was just recorded")
    async with unique_or(connection, lambda: overlap):
        await connection.execute(assignment_t.insert().values(**values))
    if data.monthly_allowance_vnd is not None:
        await _add_allowance(
            connection, principal, values["id"], data.monthly_allowance_vnd, data.start_date
        )
    await record_event(
        connection,
        history,
        principal,
        entity_type="assignment",
        entity_id=values["id"],
        parent_id=worker.id,
        action="created",
        changes={
            "facility_id": str(facility.id),
            "position_kind": data.position_kind,
            "allowance_vnd": data.monthly_allowance_vnd,
        },
    )
    created: UUID = values["id"]
    return created


async def _check_facility_province(
    connection: AsyncConnection, principal: Principal, facility_id: UUID
) -> None:
    """A post is part of its facility's registry: an officer who may read the worker (their
    own province's) still changes only posts at their own province's facilities, as when
    creating one."""
    query = sa.select(facility_t.c.province_code).where(facility_t.c.id == facility_id)
    check_province(principal, (await connection.execute(query)).scalar_one())


async def end_assignment(
    connection: AsyncConnection,
    principal: Principal,
    assignment_id: UUID,
    data: AssignmentEnd,
    if_match: str | None,
) -> None:
    await get_assignment(connection, principal, assignment_id)
    # Locked: an allowance change running meanwhile would leave a period past the end.
    current = await lock(connection, assignment_t, assignment_id, AssignmentNotFound)
    await _check_facility_province(connection, principal, current.facility_id)
    check_if_match(if_match, current.version)
    if data.end_date < current.start_date:
        raise ValidationFailed(
            [field_error(["body", "end_date"], "must not be before the start", "date_order")]
        )
    await _check_no_allowance_after(connection, current.id, data.end_date)
    await _check_overlap(
        connection,
        current.worker_id,
        current.facility_id,
        current.start_date,
        data.end_date,
        exclude=current.id,
    )
    values = data.model_dump(mode="python", exclude_unset=True)
    await save_changes(
        connection,
        assignment_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="assignment",
        action="ended",
        parent_id=current.worker_id,
        unique_conflict=AssignmentOverlap,  # PostgreSQL's no-overlap constraint
    )
    await connection.execute(
        allowance_t.update()
        .where(allowance_t.c.assignment_id == current.id, allowance_t.c.end_date.is_(None))
        .values(end_date=data.end_date)
    )


async def change_allowance(
    connection: AsyncConnection, principal: Principal, assignment_id: UUID, data: AllowanceCreate
) -> None:
    await get_assignment(connection, principal, assignment_id)
    # Locked to the end of the transaction: concurrent changes take their turn, so the
    # periods never overlap (PostgreSQL's exclusion constraint backs this).
    current = await lock(connection, assignment_t, assignment_id, AssignmentNotFound)
    await _check_facility_province(connection, principal, current.facility_id)
    if data.start_date < current.start_date or (
        current.end_date and data.start_date > current.end_date
    ):
        raise ValidationFailed(
            [
                field_error(
                    ["body", "start_date"], "must fall within the assignment's dates", "date_range"
                )
            ]
        )
    latest = (
        await connection.execute(
            sa.select(allowance_t)
            .where(allowance_t.c.assignment_id == current.id)
            .order_by(allowance_t.c.start_date.desc())
            .limit(1)
        )
    ).first()
    if latest is not None and data.start_date <= latest.start_date:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "start_date"],
                    f"must be after the current allowance's start {latest.start_date}",
                    "date_order",
                )
            ]
        )
    if latest is not None and latest.end_date is None:
        await connection.execute(
            allowance_t.update()
            .where(allowance_t.c.id == latest.id)
            .values(end_date=data.start_date - timedelta(days=1))
        )
    await _add_allowance(connection, principal, current.id, data.amount_vnd, data.start_date)
    before = latest.amount_vnd if latest is not None else None
    await record_event(
        connection,
        history,
        principal,
        entity_type="assignment",
        entity_id=current.id,
        parent_id=current.worker_id,
        action="allowance_changed",
        changes={"amount_vnd": [before, data.amount_vnd], "from": str(data.start_date)},
    )


async def _check_no_allowance_after(
    connection: AsyncConnection, assignment_id: UUID, end: date
) -> None:
    query = sa.select(sa.func.max(allowance_t.c.start_date)).where(
        allowance_t.c.assignment_id == assignment_id
    )
    latest = (await connection.execute(query)).scalar()
    if latest is not None and latest > end:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "end_date"],
                    f"an allowance starts on {latest}, after that end",
                    "date_order",
                )
            ]
        )


async def assignments_with_allowances(
    connection: AsyncConnection, where: sa.ColumnElement[bool]
) -> list[dict[str, Any]]:
    rows = (
        await connection.execute(
            sa.select(assignment_t)
            .where(where, assignment_t.c.archived_at.is_(None))
            .order_by(assignment_t.c.start_date, assignment_t.c.id)
        )
    ).all()
    ids = [r.id for r in rows]
    periods: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for p in await connection.execute(
            sa.select(allowance_t)
            .where(allowance_t.c.assignment_id.in_(ids))
            .order_by(allowance_t.c.start_date)
        ):
            periods[p.assignment_id].append(
                {"amount_vnd": p.amount_vnd, "start_date": p.start_date, "end_date": p.end_date}
            )
    return [{**r._asdict(), "allowances": periods[r.id]} for r in rows]


async def read_assignment(connection: AsyncConnection, assignment_id: UUID) -> AssignmentRead:
    """An assignment with its allowances, for a caller already found to be in scope."""
    items = await assignments_with_allowances(connection, assignment_t.c.id == assignment_id)
    return AssignmentRead.model_validate(items[0])


async def worker_assignments(
    connection: AsyncConnection, principal: Principal, worker_id: UUID
) -> list[AssignmentRead]:
    worker = await get_worker(connection, principal, worker_id)
    items = await assignments_with_allowances(connection, assignment_t.c.worker_id == worker.id)
    return [AssignmentRead.model_validate(i) for i in items]


async def facility_assignments(
    connection: AsyncConnection, principal: Principal, facility_id: UUID, on: date | None
) -> list[AssignmentRead]:
    """The facility's positions: all of them, or only those held on `on`."""
    facility = await get_facility(connection, principal, facility_id)
    where = assignment_t.c.facility_id == facility.id
    if on is not None:
        where = (
            where
            & (assignment_t.c.start_date <= on)
            & (assignment_t.c.end_date.is_(None) | (assignment_t.c.end_date >= on))
        )
    items = await assignments_with_allowances(connection, where)
    return [AssignmentRead.model_validate(i) for i in items]
