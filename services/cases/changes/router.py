"""`GET /api/v1/changes?since=`: what changed in the caller's scope since a cursor.

`scope=unit` (the default): people and cases of the caller's unit scope. Archived records
are included (marked), so a client can drop them; so is a person who left the caller's
scope by a transfer to another province (`left_scope`, with their cases). A case appears
when anything inside it changed; fetch its records to see what.

`scope=caseload`: only the cases assigned to the calling commune worker, their people and
their referrals, and `left_caseload` for a case that was reassigned or moved away
(changes/caseload.py).

Both read in one snapshot (shared.db.SnapshotSessionDep), so that no change is ever
skipped: see services.cases.changes.service and services.cases.changes.caseload.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from services.cases.access.policy import CaseworkCaller
from services.cases.case.errors import NoCaseload
from services.cases.changes import caseload, service
from services.cases.changes.schemas import ChangesPage, SyncScope
from shared.db import SnapshotSessionDep
from shared.errors import problem_responses
from shared.pagination import LimitQuery

router = APIRouter(tags=["sync"])


@router.get("/changes", responses=problem_responses(NoCaseload))
async def list_changes(
    session: SnapshotSessionDep,
    principal: CaseworkCaller,
    since: Annotated[
        str, Query(pattern=r"^\d{1,18}$", description="0 for a first full sync")
    ] = "0",
    limit: LimitQuery = 100,
    scope: Annotated[
        SyncScope,
        Query(
            description="unit: your whole unit scope; caseload: only the cases assigned to "
            "you (commune workers), their people and referrals. A cursor belongs to its "
            "scope: start again from 0 when you switch"
        ),
    ] = "unit",
) -> ChangesPage:
    """What changed in your scope (or your caseload) since `since`, oldest change first."""
    if scope == "caseload":
        page, has_more = await caseload.caseload_changes(
            session, principal, after=int(since), limit=limit
        )
    else:
        changes = await service.changes_after(session, principal, after=int(since), limit=limit)
        page, has_more = changes[:limit], len(changes) > limit
    # The cursor never passes a number it has not returned.
    next_since = str(page[-1].change_seq) if page else since
    return ChangesPage(items=page, next_since=next_since, has_more=has_more)
