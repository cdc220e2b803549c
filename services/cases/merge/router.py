"""HTTP for merging two records of one person: /api/v1/person-merges."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from services.cases.access.policy import MergeCaller
from services.cases.deps import IdempotencyDep
from services.cases.merge import service
from services.cases.merge.errors import (
    MergeAcrossProvinces,
    MergeAlias,
    MergeArchived,
    MergeChain,
    MergeNotFound,
    MergeSamePerson,
    MergeSuperseded,
    MergeTransferPending,
    MergeUndone,
)
from services.cases.merge.render import merge_read
from services.cases.merge.schemas import PersonMergeCreate, PersonMergeList, PersonMergeRead
from services.cases.person.errors import (
    NationalIdExists,
    PersonNotFound,
    SensitiveWriteForbidden,
)
from shared.concurrency import IfMatchHeader, etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.pagination import LimitQuery
from shared.responses import model_response

router = APIRouter(prefix="/person-merges", tags=["person merges"])


@router.post(
    "",
    status_code=201,
    response_model=PersonMergeRead,
    responses=problem_responses(
        PersonNotFound,
        SensitiveWriteForbidden,
        MergeSamePerson,
        MergeAlias,
        MergeArchived,
        MergeAcrossProvinces,
        MergeChain,
        MergeTransferPending,
        NationalIdExists,
    ),
)
async def create_person_merge(
    body: PersonMergeCreate,
    session: SessionDep,
    principal: MergeCaller,
    idempotency: IdempotencyDep,
) -> Response:
    """Merge two records of one person: the survivor takes the chosen values and both
    records' categories, cases and access log; the other stays as an archived alias whose
    reads redirect to the survivor. Undo it with POST /person-merges/{id}/unmerge."""
    merge_id = await service.merge(session, principal, body)
    item = merge_read(await service.get_merge(session, principal, merge_id))
    headers = {"Location": f"/api/v1/person-merges/{merge_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("")
async def list_person_merges(
    session: SessionDep,
    principal: MergeCaller,
    person_id: Annotated[
        UUID | None, Query(description="Merges this record survived or was merged away in")
    ] = None,
    limit: LimitQuery = 100,
) -> PersonMergeList:
    """Merges made in your province, newest first."""
    rows = await service.list_merges(session, principal, person_id=person_id, limit=limit)
    return PersonMergeList(items=[merge_read(r) for r in rows])


@router.get(
    "/{merge_id}", response_model=PersonMergeRead, responses=problem_responses(MergeNotFound)
)
async def get_person_merge(merge_id: UUID, session: SessionDep, principal: MergeCaller) -> Response:
    """One merge made in your province."""
    item = merge_read(await service.get_merge(session, principal, merge_id))
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/{merge_id}/unmerge",
    response_model=PersonMergeRead,
    responses=problem_responses(MergeNotFound, MergeUndone, MergeSuperseded, NationalIdExists),
)
async def unmerge_person_merge(
    merge_id: UUID, session: SessionDep, principal: MergeCaller, if_match: IfMatchHeader
) -> Response:
    """Undo a merge exactly: the survivor's values and categories as they were, the moved
    rows back, the alias a record of its own again; 409 merge_superseded once the survivor's
    values changed after the merge."""
    await service.unmerge(session, principal, merge_id, if_match)
    item = merge_read(await service.get_merge(session, principal, merge_id))
    return model_response(item, headers={"ETag": etag(item.version)})
