"""`GET /api/v1/changes?since=`: people and cases changed in the caller's scope since a cursor.

Archived records are included (marked), so a client can drop them; so is a person who left
the caller's scope by a transfer to another province (`left_scope`, with their cases). A case
appears when anything inside it changed; fetch its records to see what.

Why no change is ever skipped: every write takes its numbers from one counter row and holds
that row's lock until it commits (shared.changes), so numbers are handed out in commit
order, and a writer still running holds every number above the last committed one. The feed
reads people, cases and transfers in one snapshot (shared.db.SnapshotSessionDep): what it
sees is exactly the changes up to some number N. Its cursor never passes a number it has
not returned, and anything committed later gets a number above N.
"""

from typing import Annotated, Literal
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.cases.access.policy import CaseworkCaller
from services.cases.access.scope import case_scope, person_scope
from services.cases.case.models import case_t
from services.cases.case.render import case_summary
from services.cases.case.schemas import CaseSummary
from services.cases.case.service import CASE_WITH_PERSON
from services.cases.person.models import person_t
from services.cases.person.render import person_summary
from services.cases.person.schemas import PersonSummary
from services.cases.person.service import CATEGORY_CODES, codes_of
from services.cases.transfer.models import transfer_t
from shared.auth import Principal
from shared.db import SnapshotSessionDep
from shared.pagination import LimitQuery

router = APIRouter(tags=["sync"])


class Change(BaseModel):
    type: Literal["person", "case", "left_scope"]
    change_seq: int
    archived: bool
    person: PersonSummary | None = None
    case: CaseSummary | None = None
    person_id: UUID | None = Field(
        default=None, description="left_scope: drop this person and their cases"
    )


def _left_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """Transfers that took people out of the caller's unit. Telling a client about a person
    it never held is harmless; missing one it holds is not."""
    units = []
    if principal.province_code:
        units.append(transfer_t.c.from_province_code == principal.province_code)
    if principal.commune_code:
        units.append(transfer_t.c.from_ward_code == principal.commune_code)
    return sa.or_(sa.false(), *units)


class ChangesPage(BaseModel):
    items: list[Change]
    next_since: str = Field(description="Pass as `since` next time")
    has_more: bool


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
    after = int(since)
    people = (
        await session.execute(
            sa.select(person_t, CATEGORY_CODES)
            .where(person_t.c.change_seq > after, person_scope(principal))
            .order_by(person_t.c.change_seq)
            .limit(limit + 1)
        )
    ).all()
    cases = (
        await session.execute(
            CASE_WITH_PERSON.where(case_t.c.change_seq > after, case_scope(principal))
            .order_by(case_t.c.change_seq)
            .limit(limit + 1)
        )
    ).all()
    exits = (
        await session.execute(
            sa.select(transfer_t.c.person_id, transfer_t.c.change_seq)
            .where(transfer_t.c.change_seq > after, _left_scope(principal))
            .order_by(transfer_t.c.change_seq)
            .limit(limit + 1)
        )
    ).all()
    changes = [
        Change(type="left_scope", change_seq=seq, archived=False, person_id=person_id)
        for person_id, seq in exits
    ]
    changes += [
        Change(
            type="person",
            change_seq=p.change_seq,
            archived=p.archived_at is not None,
            person=person_summary(p, codes_of(p)),
        )
        for p in people
    ]
    changes += [
        Change(
            type="case",
            change_seq=c.change_seq,
            archived=c.archived_at is not None,
            case=case_summary(c),
        )
        for c in cases
    ]
    changes.sort(key=lambda change: change.change_seq)
    page = changes[:limit]
    next_since = str(page[-1].change_seq) if page else since
    return ChangesPage(items=page, next_since=next_since, has_more=len(changes) > limit)
