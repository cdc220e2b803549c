"""`GET /api/v1/changes?since=`: people and cases changed in the caller's scope since a cursor.

Archived records are included (marked), so a client can drop them; so is a person who left
the caller's scope by a transfer to another province (`left_scope`, with their cases). A case
appears when anything inside it changed; fetch its records to see what.

The feed reads in one snapshot (shared.db.SnapshotSessionDep), so that no change is ever
skipped: see services.cases.changes.service.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from services.cases.access.policy import CaseworkCaller
from services.cases.changes import service
from services.cases.changes.schemas import ChangesPage
from shared.db import SnapshotSessionDep
from shared.pagination import LimitQuery

router = APIRouter(tags=["sync"])


@router.get("/changes")
async def list_changes(
    session: SnapshotSessionDep,
    principal: CaseworkCaller,
    since: Annotated[
        str, Query(pattern=r"^\d{1,18}$", description="0 for a first full sync")
    ] = "0",
    limit: LimitQuery = 100,
) -> ChangesPage:
    """What changed in your scope since `since`, oldest change first."""
    changes = await service.changes_after(session, principal, after=int(since), limit=limit)
    page = changes[:limit]
    # The cursor never passes a number it has not returned.
    next_since = str(page[-1].change_seq) if page else since
    return ChangesPage(items=page, next_since=next_since, has_more=len(changes) > limit)
