"""Applying a batch of queued changes in order, each on its own: one refused or conflicting
item neither stops the others nor leaves anything half-saved (each runs in a savepoint).

Each item goes through the same service function, scope checks and merge rules as the
single operation it names, so a batch can do nothing a caller could not do one by one."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.case import service as cases
from services.cases.case.models import case_t
from services.cases.case.schemas import CaseCreate, CaseUpdate
from services.cases.casework import schemas as casework_schemas
from services.cases.casework import service as casework
from services.cases.conflicts.schemas import ConflictRecordType
from services.cases.conflicts.service import Edit, apply_or_queue
from services.cases.person import service as people
from services.cases.person.models import person_t
from services.cases.person.schemas import PersonCreate, PersonUpdate
from services.cases.sync.schemas import BatchItem, BatchItemResult, BatchOperation, BatchOutcome
from shared.auth import Principal
from shared.concurrency import etag
from shared.errors import Problem, ProblemDetails, ValidationFailed, field_error


@dataclass(frozen=True)
class Step:
    """One item, checked, with what it needs to run."""

    connection: AsyncConnection
    principal: Principal
    item: BatchItem
    data: Any
    location: list[str | int]  # where the item is in the request, for problems

    @property
    def record_id(self) -> UUID:
        if self.item.record_id is None:
            what = "the record to change" if "update" in self.item.op else "the case"
            raise ValidationFailed(
                [field_error([*self.location, "record_id"], f"name {what}", "missing")]
            )
        return self.item.record_id


Apply = Callable[[Step], Awaitable[tuple[UUID, Problem | None]]]
Update = Callable[[AsyncConnection, Principal, UUID, Any, str | None], Awaitable[None]]


async def _create_person(step: Step) -> tuple[UUID, Problem | None]:
    allow = step.item.allow_duplicate
    return await people.create_person(
        step.connection, step.principal, step.data, allow_duplicate=allow
    ), None


async def _create_case(step: Step) -> tuple[UUID, Problem | None]:
    return await cases.create_case(step.connection, step.principal, step.data), None


def _updating(record_type: ConflictRecordType, update: Update) -> Apply:
    """An edit, merged as the single PATCH merges it; a conflict is queued and answered."""

    async def apply(step: Step) -> tuple[UUID, Problem | None]:
        record_id, connection, principal = step.record_id, step.connection, step.principal
        conflict = await apply_or_queue(
            connection,
            principal,
            Edit(record_type, record_id, step.item.body),
            lambda: update(connection, principal, record_id, step.data, step.item.if_match),
        )
        return record_id, conflict

    return apply


def _adding(
    add: Callable[[AsyncConnection, Principal, Any, Any], Awaitable[UUID]],
) -> Apply:
    async def apply(step: Step) -> tuple[UUID, Problem | None]:
        case = await cases.get_open_case(step.connection, step.principal, step.record_id)
        return await add(step.connection, step.principal, case, step.data), None

    return apply


# Each operation: its body, how it applies, and the table whose ETag the answer carries.
OPERATIONS: dict[BatchOperation, tuple[type[BaseModel], Apply, sa.Table | None]] = {
    BatchOperation.CREATE_PERSON: (PersonCreate, _create_person, person_t),
    BatchOperation.UPDATE_PERSON: (
        PersonUpdate,
        _updating(ConflictRecordType.PERSON, people.update_person),
        person_t,
    ),
    BatchOperation.CREATE_CASE: (CaseCreate, _create_case, case_t),
    BatchOperation.UPDATE_CASE: (
        CaseUpdate,
        _updating(ConflictRecordType.CASE, cases.update_case),
        case_t,
    ),
    BatchOperation.ADD_SERVICE: (
        casework_schemas.ServiceCreate,
        _adding(casework.add_service),
        None,
    ),
    BatchOperation.ADD_FOLLOW_UP: (
        casework_schemas.FollowUpCreate,
        _adding(casework.add_follow_up),
        None,
    ),
    BatchOperation.ADD_NOTE: (casework_schemas.NoteCreate, _adding(casework.add_note), None),
}

CREATED = {BatchOperation.CREATE_PERSON, BatchOperation.CREATE_CASE}


async def apply_batch(
    connection: AsyncConnection,
    principal: Principal,
    items: list[BatchItem],
    *,
    instance: str,
    request_id: str | None,
) -> list[BatchItemResult]:
    results = []
    for index, item in enumerate(items):
        try:
            async with connection.begin_nested():
                result = await _apply(connection, principal, index, item, instance, request_id)
        except Problem as problem:
            result = _answer(item, BatchOutcome.REFUSED, problem, instance, request_id)
        results.append(result)
    return results


async def _apply(
    connection: AsyncConnection,
    principal: Principal,
    index: int,
    item: BatchItem,
    instance: str,
    request_id: str | None,
) -> BatchItemResult:
    schema, apply, table = OPERATIONS[item.op]
    location: list[str | int] = ["body", "items", index]
    step = Step(connection, principal, item, _checked(schema, item.body, location), location)
    before = await _version(connection, table, item.record_id)
    record_id, conflict = await apply(step)
    if conflict is not None:
        return _answer(item, BatchOutcome.CONFLICT, conflict, instance, request_id)
    after = await _version(connection, table, record_id)
    stale = before is not None and etag(before) not in (item.if_match or "")
    return BatchItemResult(
        ref=item.ref,
        op=item.op,
        outcome=BatchOutcome.MERGED if stale else BatchOutcome.APPLIED,
        status=201 if item.op in CREATED or table is None else 200,
        id=record_id,
        etag=None if after is None else etag(after),
    )


def _checked(schema: type[BaseModel], body: dict[str, Any], location: list[str | int]) -> Any:
    try:
        return schema.model_validate(body)
    except ValidationError as error:
        raise ValidationFailed(
            [
                field_error([*location, "body", *e["loc"]], e["msg"], e["type"])
                for e in error.errors()
            ]
        ) from None


async def _version(
    connection: AsyncConnection, table: sa.Table | None, record_id: UUID | None
) -> int | None:
    if table is None or record_id is None:
        return None
    query = sa.select(table.c.version).where(table.c.id == record_id)
    version: int | None = (await connection.execute(query)).scalar_one_or_none()
    return version


def _answer(
    item: BatchItem,
    outcome: BatchOutcome,
    problem: Problem,
    instance: str,
    request_id: str | None,
) -> BatchItemResult:
    body = ProblemDetails.model_validate(problem.body(instance, request_id))
    return BatchItemResult(
        ref=item.ref, op=item.op, outcome=outcome, status=problem.status, problem=body
    )
