"""HTTP for transfers: POST /persons/{id}/transfers, and each province's transfer lists."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from services.cases.access.policy import TransferCaller, TransferRequester
from services.cases.deps import IdempotencyDep
from services.cases.person.errors import OutsideScope, PersonMerged, PersonNotFound
from services.cases.transfer import service
from services.cases.transfer.errors import (
    NotYourSide,
    PersonMovedMeanwhile,
    TransferDecided,
    TransferNotFound,
    TransferPending,
)
from services.cases.transfer.render import transfer_read
from services.cases.transfer.schemas import (
    TransferCreate,
    TransferList,
    TransferRead,
    TransferStatus,
    TransferStep,
)
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import LimitQuery
from shared.responses import model_response

router = APIRouter(tags=["transfers"])


@router.post(
    "/persons/{person_id}/transfers",
    status_code=201,
    response_model=TransferRead,
    responses=problem_responses(PersonNotFound, PersonMerged, OutsideScope, TransferPending),
)
async def request_transfer(
    person_id: UUID,
    body: TransferCreate,
    session: SessionDep,
    principal: TransferRequester,
    idempotency: IdempotencyDep,
) -> Response:
    """Ask the province of the person's new ward to take them over; until it accepts, the
    person stays with you."""
    transfer_id = await service.request_transfer(session, principal, person_id, body)
    item = transfer_read(await service.requested_transfer(session, transfer_id))
    headers = {"Location": f"/api/v1/transfers/{transfer_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("/transfers")
async def list_transfers(
    session: SessionDep,
    principal: TransferCaller,
    direction: Annotated[
        Literal["incoming", "outgoing"], Query(description="incoming: into my province")
    ] = "incoming",
    status: TransferStatus | None = None,
    limit: LimitQuery = 100,
) -> TransferList:
    """Transfers into (incoming) or out of (outgoing) your province, newest first."""
    rows = await service.list_transfers(
        session, principal, direction=direction, status=status, limit=limit
    )
    return TransferList(items=[transfer_read(r) for r in rows])


@router.get(
    "/transfers/{transfer_id}",
    response_model=TransferRead,
    responses=problem_responses(TransferNotFound),
)
async def get_transfer(
    transfer_id: UUID, session: SessionDep, principal: TransferCaller
) -> Response:
    """One transfer into or out of your province."""
    item = transfer_read(await service.get_transfer(session, principal, transfer_id))
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/transfers/{transfer_id}/transitions",
    response_model=TransferRead,
    responses=problem_responses(
        TransferNotFound, NotYourSide, TransferDecided, PersonMovedMeanwhile
    ),
)
async def step_transfer(
    transfer_id: UUID,
    body: TransferStep,
    session: SessionDep,
    principal: TransferCaller,
    if_match: IfMatchHeader,
) -> Response:
    """Accept or decline (receiving province) or cancel (sending province) a transfer; on
    acceptance the person and their cases move to the new ward."""
    await service.step_transfer(session, principal, transfer_id, body, if_match)
    item = transfer_read(await service.get_transfer(session, principal, transfer_id))
    return model_response(item, headers={"ETag": etag(item.version)})
