"""Referrals to another facility: pending → accepted | rejected | cancelled; accepted →
completed | cancelled. The receiving facility answers; the sending side cancels."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import case_scope, incoming_referrals, referral_scope
from services.cases.case.models import case_t
from services.cases.casework import schemas
from services.cases.casework.errors import (
    IllegalReferralStep,
    RecordNotFound,
    ReferralStepForbidden,
)
from services.cases.casework.models import referral_t
from services.cases.casework.records import add_record, record_step
from services.cases.events import service as events
from services.cases.events.schemas import EventType
from shared.auth import Principal, Role
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.errors import PreconditionFailed, ValidationFailed, field_error

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "pending": ("accepted", "rejected", "cancelled"),
    "accepted": ("completed", "cancelled"),
    "rejected": (),
    "completed": (),
    "cancelled": (),
}
RECEIVER_STEPS = frozenset({"accepted", "rejected", "completed"})


async def add_referral(
    connection: AsyncConnection, principal: Principal, case: AnyRow, data: schemas.ReferralCreate
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
    values = {
        **data.model_dump(mode="python"),
        "from_facility_id": sender,
        "status": "pending",
        "version": 1,
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
    await events.emit(
        connection,
        EventType.REFERRAL_MADE,
        case_id=case.id,
        record_id=referral_id,
        data=_referral_event(referral_id, case.id, sender, data.to_facility_id, "pending"),
    )
    return referral_id


def _referral_event(
    referral_id: UUID, case_id: UUID, sender: UUID | None, receiver: UUID, status: str
) -> dict[str, object]:
    """What an integrator learns of a referral: who sends, who receives, where it stands;
    never its reason or notes, which may hold what the person told a worker."""
    return {
        "referral_id": referral_id,
        "case_id": case_id,
        "from_facility_id": sender,
        "to_facility_id": receiver,
        "status": status,
    }


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


async def step_referral(
    connection: AsyncConnection,
    principal: Principal,
    referral_id: UUID,
    step: schemas.ReferralStep,
    if_match: str | None,
) -> AnyRow:
    referral = await get_referral(connection, principal, referral_id)
    check_if_match(if_match, referral.version)
    allowed = NEXT_STEPS[referral.status]
    if step.status not in allowed:
        raise IllegalReferralStep(
            f"a {referral.status} referral can become: {', '.join(allowed) or 'nothing'}",
            allowed=list(allowed),
        )
    _check_actor(principal, referral, step.status)
    values = {
        "status": step.status,
        "response_note": step.note,
        "responded_at": utcnow(),
        "version": referral.version + 1,
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
    data = _referral_event(
        referral_id,
        referral.case_id,
        referral.from_facility_id,
        referral.to_facility_id,
        step.status,
    )
    data["previous_status"] = referral.status
    happened = EventType(f"referral.{step.status}")
    await events.emit(
        connection, happened, case_id=referral.case_id, record_id=referral_id, data=data
    )
    return referral


async def list_referrals(
    connection: AsyncConnection,
    principal: Principal,
    *,
    direction: str,
    status: str | None,
    limit: int,
) -> list[AnyRow]:
    if direction == "incoming":
        where = [incoming_referrals(principal)]
    else:
        where = [case_scope(principal)]
        if principal.facility_id is not None:
            where.append(referral_t.c.to_facility_id != principal.facility_id)
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
