"""Registering, finding and changing workers."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import worker_scope
from services.workforce.assignment.ending import end_positions
from services.workforce.assignment.models import assignment_t
from services.workforce.common import history
from services.workforce.reference.codes import WorkerStatus
from services.workforce.training.models import participation_t
from services.workforce.worker.errors import (
    WorkerNationalIdExists,
    WorkerNotFound,
    WorkerRegisteredElsewhere,
)
from services.workforce.worker.models import Worker, worker_t
from services.workforce.worker.schemas import WorkerCreate, WorkerUpdate
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.dates import today_in_vietnam
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.history import record_event
from shared.models import new_record_values
from shared.pagination import model_page
from shared.records import archive, fetch_in_scope, save_changes
from shared.text import search_key


async def get_worker(connection: AsyncConnection, principal: Principal, worker_id: UUID) -> Worker:
    return await fetch_in_scope(
        connection, Worker, worker_id, worker_scope(principal), WorkerNotFound
    )


async def check_national_id_free(
    connection: AsyncConnection, principal: Principal, national_id: str | None
) -> None:
    """409 when the ID is taken. The id is named only when the caller may read that worker:
    otherwise the check would tell anyone where a person works, across the country."""
    if national_id is None:
        return
    query = sa.select(worker_t.c.id, worker_scope(principal)).where(
        worker_t.c.national_id == national_id
    )
    if (found := (await connection.execute(query)).first()) is not None:
        existing, visible = found
        if visible:
            raise WorkerNationalIdExists(existing_id=str(existing))
        raise WorkerRegisteredElsewhere(
            "ask the province that registered this worker to record their post with you"
        )


def worker_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "status_date"}
    if "full_name" in values:
        values["full_name"] = " ".join(values["full_name"].split())
        values["name_key"] = search_key(values["full_name"])
    return values


def leaving_date(status: str, status_date: date | None, known: date | None = None) -> date | None:
    """The first day a worker is not staff: none while active; else the date given, the one
    already known, or today."""
    if status == WorkerStatus.ACTIVE:
        if status_date is not None:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "status_date"],
                        "only a worker who retired or left has a status date",
                        "inconsistent",
                    )
                ]
            )
        return None
    return status_date or known or today_in_vietnam()


async def create_worker(
    connection: AsyncConnection, principal: Principal, data: WorkerCreate
) -> UUID:
    if principal.province_code is None:
        raise Forbidden("only a province officer registers workers")
    await check_national_id_free(connection, principal, data.national_id)
    values = worker_values(data.model_dump(mode="python"))
    values.update(new_record_values(principal.subject), province_code=principal.province_code)
    values["left_on"] = leaving_date(data.status, data.status_date)
    await connection.execute(worker_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="worker",
        entity_id=values["id"],
        action="created",
    )
    created: UUID = values["id"]
    return created


async def update_worker(
    connection: AsyncConnection,
    principal: Principal,
    worker_id: UUID,
    data: WorkerUpdate,
    if_match: str | None,
) -> None:
    current = await get_worker(connection, principal, worker_id)
    check_if_match(if_match, current.version)
    payload = data.model_dump(mode="python", exclude_unset=True)
    values = worker_values(payload)
    if values.get("national_id") not in (None, current.national_id):
        await check_national_id_free(connection, principal, values["national_id"])
    status = values.get("status", current.status)
    if "status" in values or payload.get("status_date") is not None:
        values["left_on"] = leaving_date(status, payload.get("status_date"), current.left_on)
    changed = await save_changes(
        connection,
        worker_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="worker",
        unique_conflict=WorkerNationalIdExists,
    )
    if changed and values.get("left_on") is not None:
        await end_positions(
            connection,
            principal,
            assignment_t.c.worker_id == current.id,
            values["left_on"],
            because=f"worker_{status}",
        )


async def archive_worker(
    connection: AsyncConnection, principal: Principal, worker_id: UUID, if_match: str | None
) -> None:
    """Archived workers are not staff from the day they were archived (or left, if earlier)."""
    current = await get_worker(connection, principal, worker_id)
    left_on = min(current.left_on or today_in_vietnam(), today_in_vietnam())
    archived = await archive(
        connection,
        worker_t,
        current,
        if_match,
        values={"left_on": left_on},
        history=history,
        principal=principal,
        entity_type="worker",
    )
    if archived:
        await end_positions(
            connection,
            principal,
            assignment_t.c.worker_id == current.id,
            left_on,
            because="worker_archived",
        )


@dataclass(frozen=True)
class WorkerFilters:
    q: str | None = None
    qualification: str | None = None
    facility_id: UUID | None = None
    position_kind: str | None = None
    trained_since: date | None = None
    status: str | None = None
    include_archived: bool = False


def _assigned_today(f: WorkerFilters) -> sa.ColumnElement[bool]:
    today = today_in_vietnam()
    conditions = [
        assignment_t.c.worker_id == worker_t.c.id,
        assignment_t.c.start_date <= today,
        sa.or_(assignment_t.c.end_date.is_(None), assignment_t.c.end_date >= today),
        assignment_t.c.archived_at.is_(None),
    ]
    if f.facility_id:
        conditions.append(assignment_t.c.facility_id == f.facility_id)
    if f.position_kind:
        conditions.append(assignment_t.c.position_kind == f.position_kind)
    return sa.exists().where(*conditions)


def _conditions(principal: Principal, f: WorkerFilters) -> list[sa.ColumnElement[bool]]:
    conditions = [worker_scope(principal)]
    if f.q:
        conditions.append(
            sa.or_(
                # autoescape: "%", "_" (and its escape character) are matched as themselves.
                worker_t.c.name_key.contains(search_key(f.q), autoescape=True),
                worker_t.c.national_id == f.q.strip(),
            )
        )
    if f.qualification:
        conditions.append(worker_t.c.qualification == f.qualification)
    if f.status:
        conditions.append(worker_t.c.status == f.status)
    if f.facility_id or f.position_kind:
        conditions.append(_assigned_today(f))
    if f.trained_since:
        conditions.append(
            sa.exists().where(
                participation_t.c.worker_id == worker_t.c.id,
                participation_t.c.completed.is_(True),
                participation_t.c.completed_on >= f.trained_since,
            )
        )
    if not f.include_archived:
        conditions.append(worker_t.c.archived_at.is_(None))
    return conditions


async def list_workers(
    connection: AsyncConnection,
    principal: Principal,
    filters: WorkerFilters,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[Worker], str | None]:
    query = sa.select(Worker).where(*_conditions(principal, filters))
    return await model_page(
        connection, query, [worker_t.c.name_key, worker_t.c.id], cursor=cursor, limit=limit
    )
