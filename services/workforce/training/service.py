"""Courses and who took part in them."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import course_scope
from services.workforce.common import history
from services.workforce.reference.codes import CourseKind
from services.workforce.training.errors import (
    AlreadyParticipating,
    CourseCodeExists,
    CourseNotFound,
)
from services.workforce.training.models import Course, course_t, participation_t
from services.workforce.training.schemas import (
    CourseCreate,
    ParticipationCreate,
    ParticipationUpdate,
)
from services.workforce.worker.service import get_worker
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow
from shared.errors import Forbidden, NotFound, ValidationFailed, field_error
from shared.history import record_event
from shared.models import new_record_values
from shared.records import fetch_in_scope, save_changes, unique_or, values_of


async def list_courses(
    connection: AsyncConnection,
    principal: Principal,
    kind: CourseKind | None,
    starting_from: date | None,
) -> list[AnyRow]:
    """Courses in the caller's scope, not archived, newest first."""
    query = sa.select(course_t).where(course_scope(principal), course_t.c.archived_at.is_(None))
    if kind:
        query = query.where(course_t.c.kind == kind)
    if starting_from:
        query = query.where(course_t.c.start_date >= starting_from)
    rows = await connection.execute(query.order_by(course_t.c.start_date.desc()))
    return list(rows)


async def get_course(connection: AsyncConnection, principal: Principal, course_id: UUID) -> Course:
    return await fetch_in_scope(
        connection, Course, course_id, course_scope(principal), CourseNotFound
    )


async def create_course(
    connection: AsyncConnection, principal: Principal, data: CourseCreate
) -> UUID:
    if principal.province_code is None:
        raise Forbidden("only a province officer records training")
    values = {
        **data.model_dump(mode="python"),
        **new_record_values(principal.subject),
        "province_code": principal.province_code,
    }
    async with unique_or(connection, lambda: CourseCodeExists(f"course code {data.code} is taken")):
        await connection.execute(course_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="course",
        entity_id=values["id"],
        action="created",
    )
    created: UUID = values["id"]
    return created


def _check_completion(completed: bool, completed_on: Any, course: Course) -> None:
    if completed_on is not None and completed_on < course.start_date:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "completed_on"], "must not be before the course starts", "date_order"
                )
            ]
        )
    if completed_on is not None and not completed:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "completed"], "set completed when giving completed_on", "inconsistent"
                )
            ]
        )


async def add_participation(
    connection: AsyncConnection, principal: Principal, course_id: UUID, data: ParticipationCreate
) -> UUID:
    course = await get_course(connection, principal, course_id)
    worker = await get_worker(connection, principal, data.worker_id)
    _check_completion(data.completed, data.completed_on, course)
    values = {
        **data.model_dump(mode="python"),
        **new_record_values(principal.subject),
        "course_id": course.id,
        "worker_id": worker.id,
    }
    if values["completed"] and values["completed_on"] is None:
        values["completed_on"] = course.end_date
    async with unique_or(connection, AlreadyParticipating):
        await connection.execute(participation_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="participation",
        entity_id=values["id"],
        parent_id=worker.id,
        action="created",
        changes={"course_id": str(course.id), "completed": data.completed},
    )
    created: UUID = values["id"]
    return created


async def update_participation(
    connection: AsyncConnection,
    principal: Principal,
    participation_id: UUID,
    data: ParticipationUpdate,
    if_match: str | None,
) -> None:
    query = (
        sa.select(participation_t)
        .join(course_t, course_t.c.id == participation_t.c.course_id)
        .where(participation_t.c.id == participation_id, course_scope(principal))
    )
    current = (await connection.execute(query)).first()
    if current is None:
        raise NotFound("no such participation in your scope")
    check_if_match(if_match, current.version)
    course = await get_course(connection, principal, current.course_id)
    values = data.model_dump(mode="python", exclude_unset=True)
    merged = {**values_of(participation_t, current), **values}
    _check_completion(merged["completed"], merged["completed_on"], course)
    await save_changes(
        connection,
        participation_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="participation",
        parent_id=current.worker_id,
    )


async def get_participation(connection: AsyncConnection, participation_id: UUID) -> AnyRow:
    """A participation just added or changed, by a caller already found to be in scope."""
    query = sa.select(participation_t).where(participation_t.c.id == participation_id)
    return (await connection.execute(query)).one()


async def list_course_participations(
    connection: AsyncConnection, principal: Principal, course_id: UUID
) -> list[AnyRow]:
    course = await get_course(connection, principal, course_id)
    query = sa.select(participation_t).where(
        participation_t.c.course_id == course.id, participation_t.c.archived_at.is_(None)
    )
    return list(await connection.execute(query))


async def list_worker_participations(
    connection: AsyncConnection, principal: Principal, worker_id: UUID
) -> list[AnyRow]:
    worker = await get_worker(connection, principal, worker_id)
    query = sa.select(participation_t).where(
        participation_t.c.worker_id == worker.id, participation_t.c.archived_at.is_(None)
    )
    return list(await connection.execute(query))
