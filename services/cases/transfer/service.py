"""Moving a person to another province: requested by the unit that holds them, accepted (or
declined) by the receiving province's officers, or cancelled by the sender.

On acceptance the person, and every case of theirs, moves to the new ward: the province
follows the ward, and the sending unit no longer sees them. Both sides keep the transfer
itself, and the person's history tells the move.
"""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import check_unit, transfer_scope
from services.cases.case.caseload import record_assignment
from services.cases.case.models import case_t
from services.cases.common import change_counter, history
from services.cases.person.models import person_t
from services.cases.person.service import CATEGORY_CODES, get_writable_person
from services.cases.transfer.errors import (
    NotYourSide,
    PersonMovedMeanwhile,
    TransferDecided,
    TransferNotFound,
    TransferPending,
)
from services.cases.transfer.models import transfer_t
from services.cases.transfer.schemas import TransferCreate, TransferStep
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.changes import next_change_seq
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.errors import ValidationFailed, field_error
from shared.history import record_event
from shared.models import new_id
from shared.records import lock, save_changes, unique_or

# A transfer with what its receiving side needs to recognise the person.
TRANSFER_WITH_PERSON = sa.select(
    transfer_t,
    person_t.c.full_name,
    person_t.c.sex,
    person_t.c.birth_date,
    person_t.c.national_id,
    CATEGORY_CODES,
).join(person_t, person_t.c.id == transfer_t.c.person_id)


async def request_transfer(
    connection: AsyncConnection, principal: Principal, person_id: UUID, data: TransferCreate
) -> UUID:
    person = await get_writable_person(connection, principal, person_id)
    check_unit(principal, person.province_code, person.ward_code)
    to_province = units_2025().wards[data.ward_code].province_code
    if to_province == person.province_code:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "ward_code"],
                    f"ward {data.ward_code} is in the person's own province: change the ward "
                    "with PATCH /persons/{id}",
                    "same_province",
                )
            ]
        )
    transfer_id = new_id()
    values = {
        "id": transfer_id,
        "person_id": person.id,
        "from_province_code": person.province_code,
        "from_ward_code": person.ward_code,
        "to_province_code": to_province,
        "to_ward_code": data.ward_code,
        "to_legacy_ward_code": data.legacy_ward_code,
        "reason": data.reason,
        "status": "pending",
        "requested_by": principal.subject,
        "version": 1,
    }
    # The one-pending-transfer index decides, not a check made before the write.
    pending = TransferPending("answer or cancel the open transfer first")
    async with unique_or(connection, lambda: pending):
        await connection.execute(transfer_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="person",
        entity_id=person.id,
        action="transfer_requested",
        changes={"transfer_id": str(transfer_id), "to_ward_code": data.ward_code},
    )
    return transfer_id


async def get_transfer(
    connection: AsyncConnection, principal: Principal, transfer_id: UUID
) -> AnyRow:
    query = TRANSFER_WITH_PERSON.where(transfer_t.c.id == transfer_id, transfer_scope(principal))
    row = (await connection.execute(query)).first()
    if row is None:
        raise TransferNotFound()
    return row


async def requested_transfer(connection: AsyncConnection, transfer_id: UUID) -> AnyRow:
    """The transfer just requested, read back for its requester: a commune worker who asked
    is outside the province officers' transfer scope."""
    query = TRANSFER_WITH_PERSON.where(transfer_t.c.id == transfer_id)
    return (await connection.execute(query)).one()


async def list_transfers(
    connection: AsyncConnection,
    principal: Principal,
    *,
    direction: str,
    status: str | None,
    limit: int,
) -> list[AnyRow]:
    side = (
        transfer_t.c.to_province_code
        if direction == "incoming"
        else transfer_t.c.from_province_code
    )
    query = TRANSFER_WITH_PERSON.where(side == principal.province_code)
    if status is not None:
        query = query.where(transfer_t.c.status == status)
    query = query.order_by(transfer_t.c.requested_at.desc(), transfer_t.c.id.desc()).limit(limit)
    return list((await connection.execute(query)).all())


def _check_side(principal: Principal, transfer: Any, step: TransferStep) -> None:
    if step.status == "cancelled":
        if principal.province_code != transfer.from_province_code:
            raise NotYourSide("only the sending province cancels a transfer")
    elif principal.province_code != transfer.to_province_code:
        raise NotYourSide("only the receiving province accepts or declines a transfer")


async def step_transfer(
    connection: AsyncConnection,
    principal: Principal,
    transfer_id: UUID,
    step: TransferStep,
    if_match: str | None,
) -> None:
    await get_transfer(connection, principal, transfer_id)
    transfer = await lock(connection, transfer_t, transfer_id, TransferNotFound)
    check_if_match(if_match, transfer.version)
    _check_side(principal, transfer, step)
    if transfer.status != "pending":
        raise TransferDecided(f"the transfer is already {transfer.status}")
    values: dict[str, Any] = {
        "status": step.status,
        "decided_by": principal.subject,
        "decided_at": utcnow(),
        "decision_note": step.note,
    }
    if step.status == "accepted":
        await _move(connection, principal, transfer)
        values["change_seq"] = await next_change_seq(connection, change_counter)
    await connection.execute(
        transfer_t.update()
        .where(transfer_t.c.id == transfer_id)
        .values(**values, version=transfer.version + 1, updated_at=utcnow())
    )
    await record_event(
        connection,
        history,
        principal,
        entity_type="person",
        entity_id=transfer.person_id,
        action=f"transfer_{step.status}",
        changes={"transfer_id": str(transfer_id), "note": step.note},
    )


async def _move(connection: AsyncConnection, principal: Principal, transfer: Any) -> None:
    """The person and their cases go to the new ward, in one transaction with the answer."""
    person = await lock(connection, person_t, transfer.person_id)
    if person.archived_at is not None or person.province_code != transfer.from_province_code:
        raise PersonMovedMeanwhile("the person was archived or moved since the request")

    async def sync_values() -> dict[str, Any]:
        return {"change_seq": await next_change_seq(connection, change_counter)}

    await save_changes(
        connection,
        person_t,
        person,
        {
            "province_code": transfer.to_province_code,
            "ward_code": transfer.to_ward_code,
            "legacy_ward_code": transfer.to_legacy_ward_code,
        },
        history=history,
        principal=principal,
        entity_type="person",
        action="transferred",
        extra_changes={"transfer_id": str(transfer.id)},
        on_change=sync_values,
    )
    cases = await connection.execute(
        sa.select(case_t.c.id, case_t.c.assigned_worker_id)
        .where(case_t.c.person_id == transfer.person_id)
        .with_for_update()
    )
    for case in list(cases):
        await _move_case(connection, principal, case, transfer)


async def _move_case(
    connection: AsyncConnection, principal: Principal, case: AnyRow, transfer: Any
) -> None:
    # The sending province's worker no longer serves the person; the new one is assigned there.
    case_id = case.id
    seq = await next_change_seq(connection, change_counter)
    await connection.execute(
        case_t.update()
        .where(case_t.c.id == case_id)
        .values(
            province_code=transfer.to_province_code,
            ward_code=transfer.to_ward_code,
            assigned_worker_id=None,
            version=case_t.c.version + 1,
            updated_at=utcnow(),
            change_seq=seq,
        )
    )
    await record_assignment(connection, case_id, case.assigned_worker_id, None, change_seq=seq)
    await record_event(
        connection,
        history,
        principal,
        entity_type="case",
        entity_id=case_id,
        action="transferred",
        changes={"transfer_id": str(transfer.id), "to_ward_code": transfer.to_ward_code},
    )
