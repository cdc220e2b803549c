"""The review queue of likely duplicate people, and the check of would-be people.

- `scan_province` (scan.py) fills the queue; `ctxh find-duplicates` and
  `POST /duplicates/scan` run it.
- A province officer lists the open pairs, compares the two people and dismisses a pair
  ("not the same person"); the dismissal is in both people's history.
- `mark_merged(connection, person_a, person_b)` is for the merge of two people
  (`POST /person-merges`, built elsewhere): it closes their pair as `merged`, in the
  merge's transaction, so no scan reopens it.
- `check_rows(connection, principal, rows)` answers, for would-be people (a bulk import's
  rows), the people in the caller's scope each looks like, by the same rules.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import duplicate_scope, person_scope
from services.cases.common import history
from services.cases.duplicates.errors import DuplicateDecided, DuplicateNotFound
from services.cases.duplicates.matching import Facts, Match, match
from services.cases.duplicates.models import candidate_t
from services.cases.duplicates.scan import FACT_COLUMNS, ordered, row_facts
from services.cases.duplicates.schemas import MAX_MATCHES_PER_ROW, DuplicateDismissal
from services.cases.person.models import category_t, person_t
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.history import record_event
from shared.pagination import keyset_page
from shared.records import lock
from shared.sqlfunc import comma_list

BRIEF_COLUMNS = ("id", "full_name", "sex", "birth_date", "birth_date_estimated", "ward_code")
FULL_COLUMNS = (
    *BRIEF_COLUMNS,
    "national_id",
    "phone",
    "legacy_ward_code",
    "address_line",
    "caregivers",
    "archived_at",
    "created_by",
    "created_at",
)


def _category_codes(person: sa.FromClause, label: str) -> sa.Label[Any]:
    return (
        sa.select(comma_list(category_t.c.category_code))
        .where(category_t.c.person_id == person.c.id)
        .scalar_subquery()
        .label(label)
    )


def _with_people(
    columns: Sequence[str], *, categories: bool = False, active_only: bool = False
) -> sa.Select[Any]:
    """Pairs with their two people (columns prefixed a_ and b_), both in the pair's
    province: a person who moved away is no longer the province's to review."""
    a, b = person_t.alias("a"), person_t.alias("b")
    active = [a.c.archived_at.is_(None), b.c.archived_at.is_(None)] if active_only else []
    selected: list[Any] = [candidate_t]
    for side, alias in (("a", a), ("b", b)):
        selected += [alias.c[n].label(f"{side}_{n}") for n in columns]
        if categories:
            selected.append(_category_codes(alias, f"{side}_category_codes"))
    return (
        sa.select(*selected)
        .join(a, a.c.id == candidate_t.c.person_a_id)
        .join(b, b.c.id == candidate_t.c.person_b_id)
        .where(
            a.c.province_code == candidate_t.c.province_code,
            b.c.province_code == candidate_t.c.province_code,
            *active,
        )
    )


async def list_duplicates(
    connection: AsyncConnection,
    principal: Principal,
    *,
    status: str,
    cursor: str | None,
    limit: int,
) -> tuple[list[AnyRow], str | None]:
    """The province's pairs in `status`, highest score first. An open pair whose person
    has been archived since the last scan is left out: there is nothing to review."""
    query = _with_people(BRIEF_COLUMNS, active_only=status == "open").where(
        duplicate_scope(principal), candidate_t.c.status == status
    )
    keys: list[sa.ColumnElement[Any]] = [candidate_t.c.score, candidate_t.c.id]
    return await keyset_page(connection, query, keys, cursor=cursor, limit=limit, descending=True)


async def get_duplicate(
    connection: AsyncConnection, principal: Principal, duplicate_id: UUID
) -> AnyRow:
    """The pair with both people side by side, if it is the caller's province's."""
    query = _with_people(FULL_COLUMNS, categories=True).where(
        candidate_t.c.id == duplicate_id, duplicate_scope(principal)
    )
    row: AnyRow | None = (await connection.execute(query)).first()
    if row is None:
        raise DuplicateNotFound()
    return row


async def dismiss_duplicate(
    connection: AsyncConnection,
    principal: Principal,
    duplicate_id: UUID,
    data: DuplicateDismissal,
    if_match: str | None,
) -> None:
    """Not the same person: the pair leaves the queue for good, and both people's history
    says who decided it."""
    await get_duplicate(connection, principal, duplicate_id)
    pair = await lock(connection, candidate_t, duplicate_id, DuplicateNotFound)
    check_if_match(if_match, pair.version)
    if pair.status not in ("open", "outdated"):
        raise DuplicateDecided(f"the pair is already {pair.status}")
    now = utcnow()
    await connection.execute(
        candidate_t.update()
        .where(candidate_t.c.id == duplicate_id)
        .values(
            status="not_duplicate",
            reviewed_by=principal.subject,
            reviewed_at=now,
            review_note=data.note,
            version=pair.version + 1,
            updated_at=now,
        )
    )
    for person, other in (
        (pair.person_a_id, pair.person_b_id),
        (pair.person_b_id, pair.person_a_id),
    ):
        await record_event(
            connection,
            history,
            principal,
            entity_type="person",
            entity_id=person,
            action="duplicate_dismissed",
            changes={
                "duplicate_id": str(duplicate_id),
                "other_person_id": str(other),
                "note": data.note,
            },
        )


async def mark_merged(
    connection: AsyncConnection, person_a: UUID, person_b: UUID, *, by: str | None = None
) -> bool:
    """Close the pair of these two people as merged, whichever way round they are given;
    whether there was such a pair. For the merge of two people, in its transaction: it
    records its own history, and a scan never reopens a merged pair."""
    first, second = ordered(person_a, person_b)
    statement = (
        candidate_t.update()
        .where(
            candidate_t.c.person_a_id == first,
            candidate_t.c.person_b_id == second,
            candidate_t.c.status != "merged",
        )
        .values(
            status="merged",
            reviewed_by=by,
            reviewed_at=utcnow(),
            version=candidate_t.c.version + 1,
            updated_at=utcnow(),
        )
    )
    return (await connection.execute(statement)).rowcount == 1


@dataclass(frozen=True)
class FoundMatch:
    """A person in the caller's scope that a would-be person looks like."""

    person: AnyRow
    match: Match


def _years(rows: Sequence[Facts]) -> set[int]:
    return {r.birth_date.year + d for r in rows if r.birth_date for d in (-1, 0, 1)}


async def _lookalikes(
    connection: AsyncConnection, principal: Principal, rows: Sequence[Facts]
) -> list[AnyRow]:
    """The caller's active people who share a national ID or a name and a birth year (one
    either side) with any row: the same blocks as the scan."""
    near = sa.and_(
        person_t.c.name_key.in_({r.name_key for r in rows}),
        sa.extract("year", person_t.c.birth_date).in_(_years(rows)),
    )
    national_ids = {r.national_id for r in rows if r.national_id}
    query = sa.select(*(person_t.c[n] for n in {*FACT_COLUMNS, *BRIEF_COLUMNS})).where(
        sa.or_(near, person_t.c.national_id.in_(national_ids)),
        person_t.c.archived_at.is_(None),
        person_scope(principal),
    )
    return list((await connection.execute(query)).all())


async def check_rows(
    connection: AsyncConnection, principal: Principal, rows: Sequence[Facts]
) -> list[list[FoundMatch]]:
    """For each would-be person (matching.facts), the people in the caller's scope it looks
    like, highest score first. A bulk import calls this in its own transaction."""
    people = [(row, row_facts(row)) for row in await _lookalikes(connection, principal, rows)]
    answers = []
    for wanted in rows:
        found = [
            FoundMatch(row, matched)
            for row, known in people
            if (matched := match(wanted, known)) is not None
        ]
        found.sort(key=lambda f: (-f.match.score, str(f.person.id)))
        answers.append(found[:MAX_MATCHES_PER_ROW])
    return answers
