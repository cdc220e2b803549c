"""Opening, reading, changing, moving and archiving cases, always within the caller's scope."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import by_scope_shape, case_scope, scope_values
from services.cases.access.sensitive import AccessedRecord, RecordReader, logged_read
from services.cases.case.caseload import record_assignment
from services.cases.case.errors import (
    CaseArchived,
    CaseNotFound,
    IllegalTransition,
    TransitionPrerequisiteMissing,
    after_closing,
    reason_required,
)
from services.cases.case.lifecycle import REQUIRED_BEFORE, allowed_from
from services.cases.case.models import case_t
from services.cases.case.numbers import next_case_number
from services.cases.case.schemas import CaseCreate, CaseTransition, CaseUpdate
from services.cases.casework.models import (
    assessment_t,
    follow_up_t,
    plan_t,
    service_t,
)
from services.cases.common import change_counter, history, new_record_values
from services.cases.events import service as events
from services.cases.events.schemas import EventType
from services.cases.person.errors import OutsideScope
from services.cases.person.models import person_t
from services.cases.person.service import get_writable_person
from services.cases.reference.codes import CaseStatus, Stage
from shared.auth import Principal, Role
from shared.changes import next_change_seq
from shared.concurrency import check_if_match
from shared.dates import today_in_vietnam
from shared.db import AnyRow, utcnow
from shared.edit_merge import rebase
from shared.errors import ValidationFailed, field_error
from shared.fastsql import PreparedQuery
from shared.history import record_event
from shared.records import archive, insert_record, lock, save_changes

CASE_WITH_PERSON = sa.select(
    case_t,
    person_t.c.full_name.label("person_full_name"),
    person_t.c.sex.label("person_sex"),
    person_t.c.birth_date.label("person_birth_date"),
).join(person_t, person_t.c.id == case_t.c.person_id)


def _by_id_in_scope(principal: Principal) -> sa.Select[Any]:
    return CASE_WITH_PERSON.where(case_t.c.id == sa.bindparam("case_id"), case_scope(principal))


# The hot read paths (shared.fastsql): each kind of caller's statement is compiled once, and
# the caller's own unit comes in as parameters (scope_values).
_case_by_id = by_scope_shape(lambda p: PreparedQuery(_by_id_in_scope(p)))
_logged_case_read = by_scope_shape(
    lambda p: logged_read(_by_id_in_scope(p), copied={"person_id": "person_id", "case_id": "id"})
)


async def get_case(connection: AsyncConnection, principal: Principal, case_id: UUID) -> AnyRow:
    row = await _case_by_id(principal).one_or_none(
        connection, {"case_id": case_id, **scope_values(principal)}
    )
    if row is None:
        raise CaseNotFound()
    return row


async def read_case(reader: RecordReader, case_id: UUID) -> AnyRow:
    """`get_case` for a read on its own: the read is logged in the same statement. A case
    shows nothing sensitive of its person."""
    row = await reader.one(
        _logged_case_read(reader.principal),
        {"case_id": case_id, **scope_values(reader.principal)},
        AccessedRecord.CASE,
        sensitive=False,
    )
    if row is None:
        raise CaseNotFound()
    return row


async def get_open_case(connection: AsyncConnection, principal: Principal, case_id: UUID) -> AnyRow:
    """A case that may still take new records (not archived), locked until the transaction
    ends: what is checked against its state (archived, closing date) stays true to commit."""
    await lock(connection, case_t, case_id, CaseNotFound)
    row = await get_case(connection, principal, case_id)
    if row.archived_at is not None:
        raise CaseArchived()
    return row


def check_not_after_closing(case: Any, field: str, value: date | None) -> None:
    """Nothing recorded on a case is dated after it closed."""
    if value is not None and case.closed_date is not None and value > case.closed_date:
        raise after_closing(field, value, case.closed_date)


async def _latest_recorded(connection: AsyncConnection, case_id: UUID) -> date | None:
    """The last date anything recorded on the case happened: a service, an assessment, a
    follow-up started or done."""
    latest = [
        sa.select(sa.func.max(column)).where(table.c.case_id == case_id).scalar_subquery()
        for table, column in (
            (service_t, service_t.c.delivered_on),
            (assessment_t, assessment_t.c.assessed_on),
            (follow_up_t, follow_up_t.c.start_date),
            (follow_up_t, follow_up_t.c.done_date),
        )
    ]
    row = (await connection.execute(sa.select(*latest))).one()
    return max((d for d in row if d is not None), default=None)


def _managing_facility(principal: Principal, data: CaseCreate) -> UUID | None:
    if principal.has_role(Role.FACILITY_WORKER, Role.INTEGRATION) and principal.facility_id:
        return data.managing_facility_id or principal.facility_id
    return data.managing_facility_id


async def _check_in_scope(connection: AsyncConnection, principal: Principal, case_id: UUID) -> None:
    """A case written by a caller must stay where they see it. A commune worker who sees a
    person only through a case assigned to them in another ward would otherwise open a case,
    or hand one away, and lose it from sight: refused (the write rolled back), with the way
    out named, rather than a 404 for the case just written."""
    query = sa.select(case_scope(principal)).where(case_t.c.id == case_id)
    if not (await connection.execute(query)).scalar_one():
        raise OutsideScope(
            "the case would be outside your unit: keep it assigned to yourself "
            "(assigned_worker_id), or ask the person's ward or a province officer"
        )


async def create_case(connection: AsyncConnection, principal: Principal, data: CaseCreate) -> UUID:
    person = await get_writable_person(connection, principal, data.person_id)
    if person.archived_at is not None:
        raise ValidationFailed(
            [field_error(["body", "person_id"], "person is archived", "archived")]
        )
    opened = data.opened_date or today_in_vietnam()
    values: dict[str, Any] = {
        **new_record_values(principal.subject),
        "case_number": await next_case_number(connection, person.province_code, opened.year),
        "person_id": person.id,
        "province_code": person.province_code,
        "ward_code": person.ward_code,
        "managing_facility_id": _managing_facility(principal, data),
        "assigned_worker_id": data.assigned_worker_id,
        "registered_by_facility_id": principal.facility_id,
        "risk_level": data.risk_level,
        "intake_source": data.intake_source,
        "stage": Stage.INTAKE,
        "status": CaseStatus.ACTIVE,
        "opened_date": opened,
        "next_review_date": data.next_review_date,
        "change_seq": await next_change_seq(connection, change_counter),
    }
    if data.id is not None:
        values["id"] = data.id
    await insert_record(connection, case_t, values)
    await record_assignment(
        connection, values["id"], None, data.assigned_worker_id, change_seq=values["change_seq"]
    )
    await _check_in_scope(connection, principal, values["id"])
    await record_event(
        connection,
        history,
        principal,
        entity_type="case",
        entity_id=values["id"],
        parent_id=person.id,
        action="opened",
        changes={"case_number": values["case_number"], "stage": Stage.INTAKE.value},
    )
    await events.emit(
        connection,
        EventType.CASE_OPENED,
        case_id=values["id"],
        record_id=values["id"],
        data=_case_event(values),
    )
    created: UUID = values["id"]
    return created


def _case_event(case: dict[str, Any]) -> dict[str, Any]:
    """What an integrator learns of a case from an event: no name, no note, no reason."""
    keys = ("case_number", "stage", "status", "risk_level", "managing_facility_id")
    return {"case_id": case["id"], **{key: case[key] for key in keys}}


async def update_case(
    connection: AsyncConnection,
    principal: Principal,
    case_id: UUID,
    data: CaseUpdate,
    if_match: str | None,
) -> None:
    current = await get_open_case(connection, principal, case_id)
    rebased = await rebase(
        connection,
        history,
        case_id,
        if_match=if_match,
        current_version=current.version,
        current=current._asdict(),
        proposed=data.model_dump(mode="python", exclude_unset=True),
    )
    values = rebased.values
    if values.get("status") == CaseStatus.CLOSED or (
        "status" in values and current.status == CaseStatus.CLOSED
    ):
        raise IllegalTransition("open and close cases through /transitions", allowed=[])
    assigning = set(values) & {"assigned_worker_id", "managing_facility_id"}
    action = "assigned" if assigning else "edit_merged" if rebased.merged else "updated"
    await save_case(connection, principal, current, values, action)
    if "assigned_worker_id" in values:
        await record_assignment(
            connection, case_id, current.assigned_worker_id, values["assigned_worker_id"]
        )
    await _check_in_scope(connection, principal, case_id)


async def _has_prerequisite(connection: AsyncConnection, case_id: UUID, what: str) -> bool:
    if what == "approved_plan":
        query = sa.select(plan_t.c.id).where(
            plan_t.c.case_id == case_id, plan_t.c.status == "approved"
        )
    else:
        kind = "initial_risk" if what == "initial_risk_assessment" else "detailed_needs"
        query = sa.select(assessment_t.c.id).where(
            assessment_t.c.case_id == case_id, assessment_t.c.kind == kind
        )
    return (await connection.execute(query.limit(1))).first() is not None


def _transition_values(current: AnyRow, move: CaseTransition) -> dict[str, Any]:
    on_date = move.on_date or today_in_vietnam()
    if on_date < current.opened_date:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "on_date"],
                    f"must not be before the case opened ({current.opened_date})",
                    "date_order",
                )
            ]
        )
    if move.to_stage == Stage.CLOSED:
        if move.closure_reason is None:
            raise reason_required("closure_reason", "closing a case needs a closure reason")
        return {
            "stage": Stage.CLOSED,
            "status": CaseStatus.CLOSED,
            "closed_date": on_date,
            "closure_reason": move.closure_reason,
            "closure_note": move.reason,
        }
    if current.stage == Stage.CLOSED:
        if not move.reason:
            raise reason_required("reason", "reopening a case needs a reason")
        return {
            "stage": move.to_stage,
            "status": CaseStatus.ACTIVE,
            "closed_date": None,
            "closure_reason": None,
            "closure_note": None,
        }
    return {"stage": move.to_stage}


async def transition_case(
    connection: AsyncConnection,
    principal: Principal,
    case_id: UUID,
    move: CaseTransition,
    if_match: str | None,
) -> None:
    current = await get_open_case(connection, principal, case_id)
    check_if_match(if_match, current.version)
    stage = Stage(current.stage)
    allowed = allowed_from(stage)
    if move.to_stage not in allowed:
        raise IllegalTransition(
            f"a case in {stage.value} can move to: {', '.join(s.value for s in allowed)}",
            current_stage=stage.value,
            allowed=[s.value for s in allowed],
        )
    needed = REQUIRED_BEFORE.get((stage, move.to_stage))
    if needed and not await _has_prerequisite(connection, case_id, needed):
        raise TransitionPrerequisiteMissing(
            f"moving to {move.to_stage.value} needs: {needed.replace('_', ' ')}", missing=needed
        )
    values = _transition_values(current, move)
    if move.to_stage == Stage.CLOSED:
        last = await _latest_recorded(connection, case_id)
        if last is not None and last > values["closed_date"]:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "on_date"],
                        f"the case has records dated up to {last}; close it on or after then",
                        "before_records",
                    )
                ]
            )
    action = "reopened" if stage == Stage.CLOSED else "stage_changed"
    await save_case(connection, principal, current, values, action, extra={"reason": move.reason})
    happened = (
        EventType.CASE_CLOSED
        if move.to_stage == Stage.CLOSED
        else EventType.CASE_REOPENED
        if stage == Stage.CLOSED
        else EventType.CASE_STAGE_CHANGED
    )
    after = {**current._asdict(), **values}
    data = {**_case_event(after), "previous_stage": stage.value}
    await events.emit(connection, happened, case_id=case_id, record_id=case_id, data=data)


async def archive_case(
    connection: AsyncConnection, principal: Principal, case_id: UUID, if_match: str | None
) -> None:
    current = await get_case(connection, principal, case_id)
    await archive(
        connection,
        case_t,
        current,
        if_match,
        history=history,
        principal=principal,
        entity_type="case",
        parent_id=current.person_id,
        on_change=lambda: _sync_values(connection),
    )


async def save_case(
    connection: AsyncConnection,
    principal: Principal,
    current: Any,
    values: dict[str, Any],
    action: str,
    extra: dict[str, Any] | None = None,
) -> None:
    await save_changes(
        connection,
        case_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="case",
        action=action,
        parent_id=current.person_id,
        extra_changes={k: v for k, v in (extra or {}).items() if v is not None},
        on_change=lambda: _sync_values(connection),
    )


async def _sync_values(connection: AsyncConnection) -> dict[str, Any]:
    return {"change_seq": await next_change_seq(connection, change_counter)}


async def touch_case(connection: AsyncConnection, case_id: UUID) -> None:
    """A record inside the case changed: offline clients must see the case in /changes."""
    seq = await next_change_seq(connection, change_counter)
    await connection.execute(
        case_t.update().where(case_t.c.id == case_id).values(change_seq=seq, updated_at=utcnow())
    )
