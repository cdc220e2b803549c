"""`GET /changes?scope=caseload`: what changed in the caller's own caseload since a number.

The caseload of a commune worker is the cases assigned to it (access.scope.in_caseload),
their people and every referral of those cases, whichever facility sends or receives it.

Why no record is ever missed. The unit feed's argument (changes/service.py) holds here
too: every write takes its change numbers from one counter row whose lock it holds until it
commits, so numbers follow commit order; a page is read in one snapshot, which holds exactly
the changes numbered up to some N; the cursor never passes a number the page has not
returned, so whatever commits later gets a number above the cursor. What is new is that a
record can come into the caseload without changing: a case assigned to me brings a person
and referrals whose own numbers may be far below my cursor. So each row of the feed is
*changed at* the greatest of

- its own change number (person, case, referral: taken by every write of that row), and
- the number of the assignment that brought its case into my caseload, written down in
  caseload_change in the assignment's transaction, under the case write's own number
  (case/caseload.py); a person held through several of my cases takes the latest.

An assignment to me commits after every page I was already sent, so its number is above my
cursor, and so is the changed-at of the case, its person and its referrals: the next poll
delivers them, however old they are. A later change of any of them takes a higher number
still. A person's changed-at falls back when one of two of my cases holding them leaves:
that loses nothing, since the other case brought the person to me before, and the person's
own number still marks any change of theirs since.

Leaving is a row too: a case reassigned away from me, or moved with its person to another
province (its assignment cleared), writes a `left` row at the write's number, and the feed
answers `left_caseload` with the case's id, and with the person's id when, in the page's
snapshot, no case of mine holds that person any more. A case that left and came back shows
both, in order: drop, then the case again. A first sync (`since=0`) holds nothing to drop,
so it gets no `left_caseload` items.

Several rows can share one number (a case, its person and its referrals at the assignment
that brought them), so a page never ends inside a number: it stops before it, or, when the
first `limit` rows all share it, runs past `limit` with the rest of that one assignment.
"""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import caseload_worker, in_caseload
from services.cases.case.models import case_t, caseload_t
from services.cases.case.service import CASE_WITH_PERSON
from services.cases.casework.models import referral_t
from services.cases.casework.schemas import ReferralRead
from services.cases.changes.schemas import Change
from services.cases.changes.service import case_change, person_change
from services.cases.person.models import person_t
from services.cases.person.service import CATEGORY_CODES
from shared.auth import Principal
from shared.db import AnyRow
from shared.sqlfunc import greatest

# Within one number, the order a phone applies them in: drop, then the person, its case,
# the case's referrals.
ORDER = {"left_caseload": 0, "person": 1, "case": 2, "referral": 3}


def _entered(worker: UUID, case: sa.FromClause = case_t) -> sa.ScalarSelect[Any]:
    """When `case` last entered the worker's caseload: its latest caseload_change row for
    the worker (one of my cases' latest row is its entry), found in the primary key."""
    return (
        sa.select(sa.func.max(caseload_t.c.change_seq))
        .where(caseload_t.c.worker_id == worker, caseload_t.c.case_id == case.c.id)
        .scalar_subquery()
    )


def _since(changed: sa.ColumnElement[Any], after: int, at: int | None) -> sa.ColumnElement[bool]:
    """Rows changed after the cursor; or, for a page that must not end inside a number,
    every row changed at exactly that number."""
    return changed == at if at is not None else changed > after


def _bounded(query: sa.Select[Any], changed: Any, limit: int | None) -> sa.Select[Any]:
    query = query.order_by(changed)
    return query if limit is None else query.limit(limit)


async def _cases(
    connection: AsyncConnection, worker: UUID, after: int, at: int | None, limit: int | None
) -> list[AnyRow]:
    changed = greatest(case_t.c.change_seq, sa.func.coalesce(_entered(worker), 0))
    query = CASE_WITH_PERSON.add_columns(changed.label("changed_at")).where(
        in_caseload(worker), _since(changed, after, at)
    )
    return list((await connection.execute(_bounded(query, changed, limit))).all())


async def _people(
    connection: AsyncConnection, worker: UUID, after: int, at: int | None, limit: int | None
) -> list[AnyRow]:
    held = (
        sa.select(
            case_t.c.person_id, sa.func.coalesce(sa.func.max(_entered(worker)), 0).label("seq")
        )
        .where(in_caseload(worker))
        .group_by(case_t.c.person_id)
        .subquery("held")
    )
    changed = greatest(person_t.c.change_seq, held.c.seq)
    query = (
        sa.select(person_t, CATEGORY_CODES, changed.label("changed_at"))
        .join(held, held.c.person_id == person_t.c.id)
        .where(_since(changed, after, at))
    )
    return list((await connection.execute(_bounded(query, changed, limit))).all())


async def _referrals(
    connection: AsyncConnection, worker: UUID, after: int, at: int | None, limit: int | None
) -> list[AnyRow]:
    mine = (
        sa.select(case_t.c.id, sa.func.coalesce(_entered(worker), 0).label("seq"))
        .where(in_caseload(worker))
        .subquery("mine")
    )
    changed = greatest(referral_t.c.change_seq, mine.c.seq)
    query = (
        sa.select(referral_t, changed.label("changed_at"))
        .join(mine, mine.c.id == referral_t.c.case_id)
        .where(_since(changed, after, at))
    )
    return list((await connection.execute(_bounded(query, changed, limit))).all())


async def _left(
    connection: AsyncConnection, worker: UUID, after: int, at: int | None, limit: int | None
) -> list[AnyRow]:
    if after == 0:
        return []  # a first sync holds nothing to drop
    other = case_t.alias("other")
    still_held = (
        sa.exists()
        .where(other.c.person_id == case_t.c.person_id, other.c.assigned_worker_id == worker)
        .label("person_held")
    )
    changed = caseload_t.c.change_seq
    query = (
        sa.select(caseload_t.c.case_id, case_t.c.person_id, still_held, changed.label("changed_at"))
        .join(case_t, case_t.c.id == caseload_t.c.case_id)
        .where(
            caseload_t.c.worker_id == worker,
            caseload_t.c.entered.is_(False),
            _since(changed, after, at),
        )
    )
    return list((await connection.execute(_bounded(query, changed, limit))).all())


def _left_change(row: AnyRow) -> Change:
    return Change(
        type="left_caseload",
        change_seq=row.changed_at,
        archived=False,
        case_id=row.case_id,
        person_id=None if row.person_held else row.person_id,
    )


def _referral_change(row: AnyRow) -> Change:
    return Change(
        type="referral",
        change_seq=row.changed_at,
        archived=False,  # referrals are never archived; their case says so
        referral=ReferralRead.model_validate(row._mapping),
    )


async def _read(
    connection: AsyncConnection, worker: UUID, after: int, at: int | None, limit: int | None
) -> list[Change]:
    """Each kind up to `limit`, merged in change order: a row left unread comes after
    `limit` of its own kind, so none is missed among the first `limit` merged."""
    args = (connection, worker, after, at, limit)
    changes = [_left_change(row) for row in await _left(*args)]
    changes += [person_change(row, row.changed_at) for row in await _people(*args)]
    changes += [case_change(row, row.changed_at) for row in await _cases(*args)]
    changes += [_referral_change(row) for row in await _referrals(*args)]
    changes.sort(key=lambda c: (c.change_seq, ORDER[c.type]))
    return changes if limit is None else changes[:limit]


async def caseload_changes(
    connection: AsyncConnection, principal: Principal, *, after: int, limit: int
) -> tuple[list[Change], bool]:
    """A page of the caller's caseload changed after `after`, oldest first, and whether more
    follow. The page ends between two numbers (see above)."""
    worker = caseload_worker(principal)
    fetched = await _read(connection, worker, after, None, limit + 1)
    if len(fetched) <= limit:
        return fetched, False
    last = fetched[limit - 1].change_seq
    if fetched[limit].change_seq != last:
        return fetched[:limit], True
    whole = [change for change in fetched[:limit] if change.change_seq < last]
    if whole:
        return whole, True
    # One assignment brought more than a page: all of it, whatever `limit` said. It is one
    # case's person and referrals, so it stays small.
    return await _read(connection, worker, after, last, None), True
