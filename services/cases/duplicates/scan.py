"""The batch scan: every likely duplicate pair of a province's active people, into the
review queue, without comparing every person with every other.

People are compared only inside blocks that SQL builds with equality joins (hash joins on
PostgreSQL), which together hold every pair the rules (matching.py) can accept:
- the same national ID (kept unique on `person`, so this block is empty today; it stays so
  the scan remains right if that ever changes, and it costs one index-backed join);
- the same folded name and the same birth year: same date, day and month swapped, near;
- the same folded name and the next birth year: near dates across a new year, and
  estimated dates one year apart.
Every rule keeps the birth years at most one apart, so no pair falls between the blocks. A
block holds the few people of one name born in one year, so the work grows with the
province, not with its square. Inside a block the database drops the pairs no rule could
accept (dates that cannot agree, no ward, phone or caregivers to share) before Python
scores the rest. Rows are streamed, and only matches are kept in memory.

Rescans are idempotent: a pair is one row (unique on the ordered pair, inserted with ON
CONFLICT DO NOTHING); an open pair gets its score and reasons updated; a pair a reviewer
decided (not_duplicate, merged) is never reopened; an open pair no longer found (a record
was changed, archived or merged away) becomes `outdated`, and is reopened if it is found
again. Scans of one province take turns (a named lock), and a write to an open pair
repeats `status = 'open'`, so a dismissal made meanwhile stands.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.duplicates.matching import NEAR_DAYS, Facts, Match, facts, match
from services.cases.duplicates.models import candidate_t
from services.cases.person.models import person_t
from shared.db import AnyRow, utcnow
from shared.models import new_id
from shared.records import serialize

FACT_COLUMNS = (
    "id",
    "full_name",
    "birth_date",
    "birth_date_estimated",
    "ward_code",
    "national_id",
    "phone",
    "caregivers",
)
INSERT_CHUNK = 500
STREAM_CHUNK = 2000
Pair = tuple[UUID, UUID]


@dataclass
class ScanCounts:
    province_code: str
    pairs_examined: int = 0
    found: int = 0
    created: int = 0
    updated: int = 0
    reopened: int = 0
    unchanged: int = 0
    kept_reviewed: int = 0
    outdated: int = 0
    pairs: dict[Pair, Match] = field(default_factory=dict, repr=False)


def row_facts(row: Any, prefix: str = "") -> Facts:
    """Matching's view of a person row (columns FACT_COLUMNS, optionally prefixed)."""

    def get(name: str) -> Any:
        return getattr(row, prefix + name)

    return facts(
        id=get("id"),
        full_name=get("full_name"),
        birth_date=get("birth_date"),
        birth_date_estimated=bool(get("birth_date_estimated")),
        ward_code=get("ward_code"),
        national_id=get("national_id"),
        phone=get("phone"),
        caregivers=get("caregivers") or [],
    )


def _birth_year(table: sa.FromClause) -> sa.ColumnElement[Any]:
    return sa.extract("year", table.c.birth_date)


def _days_apart(a: sa.FromClause, b: sa.FromClause, dialect: str) -> sa.ColumnElement[Any]:
    if dialect == "postgresql":
        return sa.func.abs(a.c.birth_date - b.c.birth_date)
    return sa.func.abs(sa.func.julianday(a.c.birth_date) - sa.func.julianday(b.c.birth_date))


def _part(name: str, table: sa.FromClause) -> sa.ColumnElement[Any]:
    return sa.extract(name, table.c.birth_date)


def _worth_scoring(a: sa.FromClause, b: sa.FromClause, dialect: str) -> sa.ColumnElement[bool]:
    """What matching.match needs of a pair that shares a name, as SQL: birth dates that can
    agree, and some other evidence there can be. Necessary, not sufficient, so the database
    sends Python only the pairs worth scoring; `match` decides."""
    dates = sa.or_(
        _days_apart(a, b, dialect) <= NEAR_DAYS,
        a.c.birth_date_estimated,
        b.c.birth_date_estimated,
        sa.and_(_part("month", a) == _part("day", b), _part("day", a) == _part("month", b)),
    )
    evidence = sa.or_(
        a.c.ward_code == b.c.ward_code,
        a.c.phone == b.c.phone,
        sa.and_(_has_caregivers(a), _has_caregivers(b)),
    )
    return sa.and_(dates, evidence)


def _has_caregivers(table: sa.FromClause) -> sa.ColumnElement[bool]:
    # Stored as JSON text; an empty list is written "[]" (json.dumps).
    return sa.func.coalesce(sa.cast(table.c.caregivers, sa.Text), "[]") != "[]"


def blocks(province_code: str, dialect: str = "postgresql") -> list[sa.Select[Any]]:
    """The blocking joins: each row is a pair of the province's active people to score."""
    a, b = person_t.alias("a"), person_t.alias("b")
    columns = [a.c[n].label(f"a_{n}") for n in FACT_COLUMNS]
    columns += [b.c[n].label(f"b_{n}") for n in FACT_COLUMNS]
    active = [
        a.c.province_code == province_code,
        b.c.province_code == province_code,
        a.c.archived_at.is_(None),
        b.c.archived_at.is_(None),
    ]
    same_name = sa.and_(a.c.name_key == b.c.name_key, _worth_scoring(a, b, dialect))
    joins = [
        sa.and_(a.c.national_id == b.c.national_id, a.c.id < b.c.id),
        sa.and_(same_name, _birth_year(a) == _birth_year(b), a.c.id < b.c.id),
        # Asymmetric in the year, so each pair comes once without ordering the ids.
        sa.and_(same_name, _birth_year(b) == _birth_year(a) + 1),
    ]
    return [sa.select(*columns).select_from(a.join(b, on)).where(*active) for on in joins]


def ordered(a: UUID, b: UUID) -> Pair:
    return (a, b) if a < b else (b, a)


async def find_pairs(connection: AsyncConnection, province_code: str, counts: ScanCounts) -> None:
    """Score every pair in the blocks; keep those that match."""
    for query in blocks(province_code, connection.dialect.name):
        result = await connection.stream(query.execution_options(yield_per=STREAM_CHUNK))
        async for row in result:
            counts.pairs_examined += 1
            found = match(row_facts(row, "a_"), row_facts(row, "b_"))
            if found is not None:
                counts.pairs[ordered(row.a_id, row.b_id)] = found
    counts.found = len(counts.pairs)


def _codes(found: Match) -> list[str]:
    return [reason.value for reason in found.reasons]


async def _existing(connection: AsyncConnection, province_code: str) -> dict[Pair, AnyRow]:
    query = sa.select(
        candidate_t.c.id,
        candidate_t.c.person_a_id,
        candidate_t.c.person_b_id,
        candidate_t.c.status,
        candidate_t.c.score,
        candidate_t.c.reasons,
    ).where(candidate_t.c.province_code == province_code)
    rows = (await connection.execute(query)).all()
    return {(row.person_a_id, row.person_b_id): row for row in rows}


async def _insert(
    connection: AsyncConnection, province_code: str, new: Iterable[tuple[Pair, Match]]
) -> int:
    """Insert the pairs not yet known; a pair another scan inserted meanwhile is skipped."""
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "person_a_id": pair[0],
            "person_b_id": pair[1],
            "province_code": province_code,
            "score": found.score,
            "reasons": _codes(found),
            "status": "open",
            "found_at": now,
            "updated_at": now,
            "version": 1,
        }
        for pair, found in new
    ]
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = (
            dialect.insert(candidate_t)
            .values(rows[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["person_a_id", "person_b_id"])
            .returning(candidate_t.c.id)
        )
        inserted += len((await connection.execute(statement)).all())
    return inserted


async def _set(connection: AsyncConnection, row: AnyRow, was: str, values: dict[str, Any]) -> bool:
    """Change a pair still in status `was`: a reviewer's decision made meanwhile stands."""
    statement = (
        candidate_t.update()
        .where(candidate_t.c.id == row.id, candidate_t.c.status == was)
        .values(**values, version=candidate_t.c.version + 1, updated_at=utcnow())
    )
    return (await connection.execute(statement)).rowcount == 1


async def _refresh(
    connection: AsyncConnection, existing: dict[Pair, AnyRow], counts: ScanCounts
) -> list[tuple[Pair, Match]]:
    """Bring known pairs up to date; the pairs not known yet."""
    new = []
    for pair, found in counts.pairs.items():
        row = existing.get(pair)
        if row is None:
            new.append((pair, found))
        elif row.status in ("not_duplicate", "merged"):
            counts.kept_reviewed += 1
        elif row.status == "outdated":
            values = {"status": "open", "score": found.score, "reasons": _codes(found)}
            counts.reopened += await _set(connection, row, "outdated", values)
        elif (row.score, list(row.reasons)) == (found.score, _codes(found)):
            counts.unchanged += 1
        else:
            values = {"score": found.score, "reasons": _codes(found)}
            counts.updated += await _set(connection, row, "open", values)
    for pair, row in existing.items():
        if row.status == "open" and pair not in counts.pairs:
            counts.outdated += await _set(connection, row, "open", {"status": "outdated"})
    return new


async def scan_province(connection: AsyncConnection, province_code: str) -> ScanCounts:
    """Find the province's likely duplicates and bring the review queue up to date, in the
    caller's transaction."""
    await serialize(connection, f"duplicates-scan:{province_code}")
    counts = ScanCounts(province_code)
    await find_pairs(connection, province_code, counts)
    existing = await _existing(connection, province_code)
    new = await _refresh(connection, existing, counts)
    counts.created = await _insert(connection, province_code, new)
    counts.unchanged += len(new) - counts.created
    return counts
