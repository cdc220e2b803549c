"""People, cases and transfers changed in the caller's scope since a change number.

Why no change is ever skipped: every write takes its numbers from one counter row and holds
that row's lock until it commits (shared.changes), so numbers are handed out in commit
order, and a writer still running holds every number above the last committed one. The feed
reads people, cases and transfers in one snapshot (shared.db.SnapshotSessionDep): what it
sees is exactly the changes up to some number N. Its cursor never passes a number it has
not returned, and anything committed later gets a number above N.
"""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import case_scope, person_scope
from services.cases.case.models import case_t
from services.cases.case.render import case_summary
from services.cases.case.service import CASE_WITH_PERSON
from services.cases.changes.schemas import Change
from services.cases.common import change_holds
from services.cases.person.models import person_t
from services.cases.person.render import person_summary
from services.cases.person.service import CATEGORY_CODES, codes_of
from services.cases.transfer.models import transfer_t
from shared.auth import Principal
from shared.changes import served_below
from shared.db import AnyRow


def _left_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """Transfers that took people out of the caller's unit. Telling a client about a person
    it never held is harmless; missing one it holds is not."""
    units = []
    if principal.province_code:
        units.append(transfer_t.c.from_province_code == principal.province_code)
    if principal.commune_code:
        units.append(transfer_t.c.from_ward_code == principal.commune_code)
    return sa.or_(sa.false(), *units)


def _numbered(
    column: sa.ColumnElement[int], after: int, below: int | None
) -> sa.ColumnElement[bool]:
    """Numbers after the cursor, and below a hold's (shared.changes: an import job's
    people, still to commit, come first)."""
    return sa.and_(column > after, column < below) if below is not None else column > after


async def _people_changed(
    connection: AsyncConnection, principal: Principal, seqs: tuple[int, int | None], limit: int
) -> list[AnyRow]:
    query = (
        sa.select(person_t, CATEGORY_CODES)
        .where(_numbered(person_t.c.change_seq, *seqs), person_scope(principal))
        .order_by(person_t.c.change_seq)
        .limit(limit)
    )
    return list((await connection.execute(query)).all())


async def _cases_changed(
    connection: AsyncConnection, principal: Principal, seqs: tuple[int, int | None], limit: int
) -> list[AnyRow]:
    query = (
        CASE_WITH_PERSON.where(_numbered(case_t.c.change_seq, *seqs), case_scope(principal))
        .order_by(case_t.c.change_seq)
        .limit(limit)
    )
    return list((await connection.execute(query)).all())


async def _people_gone(
    connection: AsyncConnection, principal: Principal, seqs: tuple[int, int | None], limit: int
) -> list[AnyRow]:
    query = (
        sa.select(transfer_t.c.person_id, transfer_t.c.change_seq)
        .where(_numbered(transfer_t.c.change_seq, *seqs), _left_scope(principal))
        .order_by(transfer_t.c.change_seq)
        .limit(limit)
    )
    return list((await connection.execute(query)).all())


def _gone_change(row: AnyRow) -> Change:
    return Change(
        type="left_scope", change_seq=row.change_seq, archived=False, person_id=row.person_id
    )


def person_change(row: AnyRow, change_seq: int) -> Change:
    """A person in a feed, numbered `change_seq` (its own, or when it came into a caseload)."""
    return Change(
        type="person",
        change_seq=change_seq,
        archived=row.archived_at is not None,
        person=person_summary(row, codes_of(row)),
    )


def case_change(row: AnyRow, change_seq: int) -> Change:
    """A case in a feed, numbered as `person_change` is."""
    return Change(
        type="case",
        change_seq=change_seq,
        archived=row.archived_at is not None,
        case=case_summary(row),
    )


async def changes_after(
    connection: AsyncConnection, principal: Principal, *, after: int, limit: int
) -> list[Change]:
    """Up to `limit` + 1 changes numbered above `after`, oldest first: one more than a page,
    to tell whether more follow. Each kind is read up to that many: a change left unread
    comes after that many of its own kind, so none is missed among those returned."""
    fetch = limit + 1
    seqs = (after, await served_below(connection, change_holds))
    people = await _people_changed(connection, principal, seqs, fetch)
    cases = await _cases_changed(connection, principal, seqs, fetch)
    gone = await _people_gone(connection, principal, seqs, fetch)
    changes = [_gone_change(row) for row in gone]
    changes += [person_change(row, row.change_seq) for row in people]
    changes += [case_change(row, row.change_seq) for row in cases]
    changes.sort(key=lambda change: change.change_seq)
    return changes[:fetch]
