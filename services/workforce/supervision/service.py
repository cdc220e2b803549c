"""Supervision checks: recorded once, in the province of the officer who made them."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import supervision_scope
from services.workforce.common import history
from services.workforce.facility.service import get_facility
from services.workforce.reference.codes import Finding
from services.workforce.supervision.models import supervision_t
from services.workforce.supervision.schemas import SupervisionCreate, SupervisionRead
from services.workforce.worker.service import get_worker
from shared.auth import Principal
from shared.db import AnyRow
from shared.history import record_event
from shared.models import new_record_values


async def create_supervision(
    connection: AsyncConnection, principal: Principal, data: SupervisionCreate
) -> SupervisionRead:
    # The worker or facility checked must be one the caller may see: else it answers 404.
    if data.worker_id:
        await get_worker(connection, principal, data.worker_id)
    if data.facility_id:
        await get_facility(connection, principal, data.facility_id)
    values = {
        **data.model_dump(mode="python"),
        **new_record_values(principal.subject),
        "province_code": principal.province_code,
    }
    await connection.execute(supervision_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="supervision",
        entity_id=values["id"],
        parent_id=data.worker_id or data.facility_id,
        action="created",
        changes={"finding": data.finding},
    )
    return SupervisionRead.model_validate(values)


async def list_supervisions(
    connection: AsyncConnection,
    principal: Principal,
    worker_id: UUID | None,
    facility_id: UUID | None,
    finding: Finding | None,
) -> list[AnyRow]:
    """Checks in the caller's scope matching every filter given, newest first."""
    query = sa.select(supervision_t).where(supervision_scope(principal))
    for column, value in (
        (supervision_t.c.worker_id, worker_id),
        (supervision_t.c.facility_id, facility_id),
        (supervision_t.c.finding, finding),
    ):
        if value is not None:
            query = query.where(column == value)
    rows = await connection.execute(query.order_by(supervision_t.c.checked_on.desc()))
    return list(rows)
