"""HTTP for a phone's queued changes: POST /api/v1/sync/batch."""

from fastapi import APIRouter, Request, Response

from services.cases.access.sensitive import PersonalReader
from services.cases.deps import RequiredIdempotencyDep
from services.cases.sync import service
from services.cases.sync.schemas import SyncBatch, SyncBatchResult
from shared.problem_handlers import request_id_of

router = APIRouter(prefix="/sync", tags=["sync"])


@router.post("/batch", response_model=SyncBatchResult)
async def sync_batch(
    request: Request,
    body: SyncBatch,
    reader: PersonalReader,
    idempotency: RequiredIdempotencyDep,
) -> Response:
    """Apply a phone's queued changes in order, each on its own, and answer each: `applied`,
    `merged` (made on an older version, merged field by field), `conflict` (queued at
    /conflicts) or `refused` (with the problem the single operation would have answered).
    An item may name records made by the items before it (ids chosen on the phone)."""
    results = await service.apply_batch(
        reader.connection,
        reader.principal,
        body.items,
        instance=request.url.path,
        request_id=request_id_of(request),
    )
    answer = SyncBatchResult(items=results).model_dump(mode="json")
    return await idempotency.respond(answer, 200, {})
