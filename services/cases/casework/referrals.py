"""Referrals to another facility: pending → accepted | rejected | cancelled; accepted →
contacted | completed | cancelled; contacted → completed | cancelled. The receiving facility
answers, reaches the person and completes; the sending side cancels. Each step before the
first contact runs against a clock (casework/deadlines.py)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import case_scope, incoming_referrals, referral_scope
from services.cases.case.models import case_t
from services.cases.casework import deadlines, schemas
from services.cases.casework.errors import (
    IllegalReferralStep,
    OutcomeRequired,
    ReasonRequired,
    RecordNotFound,
    ReferralStepForbidden,
)
from services.cases.casework.models import referral_t
from services.cases.casework.records import add_record, record_step, renumber
from services.cases.events import service as events
from services.cases.events.schemas import EventType
from services.cases.reference.codes import RiskLevel
from services.cases.settings import DeadlineHours
from shared.auth import Principal, Role
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.errors import PreconditionFailed, ValidationFailed, field_error

Deadlines = Mapping[RiskLevel, DeadlineHours]
Direction = Literal["incoming", "outgoing", "all"]
Step = schemas.ReferralStepStatus

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "pending": ("accepted", "rejected", "cancelled"),
    # Completing straight from accepted stays allowed: a one-visit service is its own contact.
    "accepted": ("contacted", "completed", "cancelled"),
    "contacted": ("completed", "cancelled"),
    "rejected": (),
    "completed": (),
    "cancelled": (),
}
RECEIVER_STEPS = frozenset({"accepted", "rejected", "contacted", "completed"})


async def add_referral(
    connection: AsyncConnection,
    principal: Principal,
    case: AnyRow,
    data: schemas.ReferralCreate,
    clocks: Deadlines,
) -> UUID:
    if not data.consent_confirmed:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "consent_confirmed"],
                    "a referral shares the person's data: consent first",
                    "consent_required",
                )
            ]
        )
    sender = case.managing_facility_id or principal.facility_id
    if sender == data.to_facility_id:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "to_facility_id"], "the case is already managed there", "same_facility"
                )
            ]
        )
    made = utcnow()
    answer_by = deadlines.respond_by(clocks, case.risk_level, made)
    values = {
        **data.model_dump(mode="python"),
        "from_facility_id": sender,
        "status": "pending",
        "version": 1,
        "created_at": made,
        "respond_by": answer_by,
    }
    referral_id = await add_record(
        connection,
        principal,
        case.id,
        referral_t,
        values,
        entity_type="referral",
        changes={"to_facility_id": str(data.to_facility_id)},
    )
    await renumber(connection, referral_t, referral_id)
    event = events.referral_data(referral_id, case.id, sender, data.to_facility_id, "pending")
    event["respond_by"] = answer_by
    await events.emit(
        connection, EventType.REFERRAL_MADE, case_id=case.id, record_id=referral_id, data=event
    )
    return referral_id


async def get_referral(
    connection: AsyncConnection, principal: Principal, referral_id: UUID
) -> AnyRow:
    """A referral the caller sent (its case is in scope) or receives (its facility)."""
    query = (
        sa.select(referral_t)
        .join(case_t, case_t.c.id == referral_t.c.case_id)
        .where(referral_t.c.id == referral_id, referral_scope(principal))
    )
    row = (await connection.execute(query)).first()
    if row is None:
        raise RecordNotFound()
    return row


def _check_actor(principal: Principal, referral: AnyRow, status: str) -> None:
    receiving = (
        principal.facility_id is not None and principal.facility_id == referral.to_facility_id
    )
    if principal.has_role(Role.PROVINCE_OFFICER):
        return
    if (status in RECEIVER_STEPS) != receiving:
        raise ReferralStepForbidden()


def check_step(step: schemas.ReferralStep) -> None:
    """What the step's own body must hold, whatever the referral: a rejection's reason, a
    completion's outcome, and an outcome on nothing else."""
    if step.status == Step.REJECTED and not (step.note or "").strip():
        raise ReasonRequired()
    if step.status == Step.COMPLETED:
        if step.outcome is None:
            raise OutcomeRequired("outcome", "say what came of the referral")
        if step.outcome in schemas.DELIVERING_OUTCOMES and not step.services_delivered:
            raise OutcomeRequired("services_delivered", "name the services delivered")
    elif step.outcome is not None or step.services_delivered:
        field = "outcome" if step.outcome is not None else "services_delivered"
        raise ValidationFailed(
            [field_error(["body", field], "only completing records an outcome", "not_completing")]
        )


async def _step_values(
    connection: AsyncConnection,
    referral: AnyRow,
    step: schemas.ReferralStep,
    now: datetime,
    clocks: Deadlines,
) -> dict[str, Any]:
    """The columns a step sets beyond its status: the time of the answer, the clock it
    starts or stops, the outcome."""
    values: dict[str, Any] = {}
    if step.status in (Step.ACCEPTED, Step.REJECTED):
        values["answered_at"] = now
    if step.status == Step.ACCEPTED:
        risk = sa.select(case_t.c.risk_level).where(case_t.c.id == referral.case_id)
        level = (await connection.execute(risk)).scalar_one()
        values["first_contact_by"] = deadlines.first_contact_by(clocks, level, now)
    elif step.status == Step.CONTACTED:
        values["first_contacted_at"] = now
    elif step.status == Step.COMPLETED:
        values["outcome"] = step.outcome
        values["services_delivered"] = list(step.services_delivered)
    return values


async def step_referral(
    connection: AsyncConnection,
    principal: Principal,
    referral_id: UUID,
    step: schemas.ReferralStep,
    if_match: str | None,
    clocks: Deadlines,
) -> AnyRow:
    check_step(step)
    referral = await get_referral(connection, principal, referral_id)
    check_if_match(if_match, referral.version)
    allowed = NEXT_STEPS[referral.status]
    if step.status not in allowed:
        raise IllegalReferralStep(
            f"a {referral.status} referral can become: {', '.join(allowed) or 'nothing'}",
            allowed=list(allowed),
        )
    _check_actor(principal, referral, step.status)
    now = utcnow()
    changed = await _step_values(connection, referral, step, now, clocks)
    values = {
        "status": step.status,
        "response_note": step.note,
        "responded_at": now,
        "version": referral.version + 1,
        **changed,
    }
    statement = referral_t.update().where(
        referral_t.c.id == referral_id, referral_t.c.version == referral.version
    )
    if (await connection.execute(statement.values(**values))).rowcount != 1:
        raise PreconditionFailed("the referral changed while you were saving; reload it")
    await record_step(
        connection,
        principal,
        referral.case_id,
        referral_id,
        entity_type="referral",
        action=step.status,
        changes={"status": [referral.status, step.status]},
    )
    await renumber(connection, referral_t, referral_id)
    await _emit_step(connection, referral, step.status, changed)
    return referral


async def _emit_step(
    connection: AsyncConnection, referral: AnyRow, status: str, changed: dict[str, Any]
) -> None:
    data = events.referral_data(
        referral.id, referral.case_id, referral.from_facility_id, referral.to_facility_id, status
    )
    data["previous_status"] = referral.status
    # Codes and times only: the note stays on the referral, for readers in its scope.
    for key in ("first_contact_by", "outcome", "services_delivered"):
        if key in changed:
            data[key] = changed[key]
    await events.emit(
        connection,
        EventType(f"referral.{status}"),
        case_id=referral.case_id,
        record_id=referral.id,
        data=data,
    )


def _sides(principal: Principal, direction: Direction) -> list[sa.ColumnElement[bool]]:
    """incoming: to the caller's facility; outgoing: from cases in the caller's scope, to
    elsewhere; all: either (a province officer's: every case of the province)."""
    if direction == "incoming":
        return [incoming_referrals(principal)]
    if direction == "all":
        return [referral_scope(principal)]
    where = [case_scope(principal)]
    if principal.facility_id is not None:
        where.append(referral_t.c.to_facility_id != principal.facility_id)
    return where


async def list_referrals(
    connection: AsyncConnection,
    principal: Principal,
    *,
    direction: Direction,
    status: str | None,
    limit: int,
) -> list[AnyRow]:
    where = _sides(principal, direction)
    if status:
        where.append(referral_t.c.status == status)
    query = (
        sa.select(referral_t)
        .join(case_t, case_t.c.id == referral_t.c.case_id)
        .where(*where)
        .order_by(referral_t.c.created_at.desc())
        .limit(limit)
    )
    return list((await connection.execute(query)).all())


async def list_overdue(
    connection: AsyncConnection,
    principal: Principal,
    *,
    direction: Direction,
    escalated: bool | None,
    limit: int,
) -> list[AnyRow]:
    """Referrals of one side (or both) past a deadline they have not met, longest overdue
    first, each with the deadline passed and its escalation."""
    deadline, due_at, escalated_at = deadlines.overdue_columns()
    where = [
        *_sides(principal, direction),
        deadlines.overdue(utcnow()),
        case_t.c.archived_at.is_(None),
    ]
    if escalated is not None:
        where.append(escalated_at.is_not(None) if escalated else escalated_at.is_(None))
    query = (
        sa.select(referral_t, deadline, due_at, escalated_at)
        .join(case_t, case_t.c.id == referral_t.c.case_id)
        .where(*where)
        .order_by(due_at, referral_t.c.id)
        .limit(limit)
    )
    return list((await connection.execute(query)).all())
