"""People imported in bulk by an import job (shared.sheets.jobs): a province's registry moved
from spreadsheets, checked as POST /persons checks one person and written by COPY.

Each row goes through the API's own model (PersonCreate), the same unit and sensitive-data
rules, and the same duplicate rules as POST /persons and POST /duplicates/check
(services/cases/duplicates/matching.py: Vietnamese names folded, birth dates near or with day
and month swapped, a shared ward, caregiver or phone):

- a national ID already registered, or given twice in the file, is a problem of its row;
- a row that looks like a person already in the caller's scope, or like an earlier row of
  the file, is a problem too, naming the person (or row) and the reasons, unless the job was
  started with `allow_likely_duplicates` (as POST /persons?allow_duplicate=true): the
  duplicates scan then finds the pairs for review.

Written people take numbers in the sync feed reserved under a hold (shared.changes): other
writers go on meanwhile, and a phone's sync sees the job's people all at once, when it
commits, never skipping past them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import check_unit, person_scope
from services.cases.access.sensitive import check_sensitive_write, sensitive_fields
from services.cases.common import change_counter, change_holds, history
from services.cases.duplicates.matching import Facts, Match, facts, match
from services.cases.duplicates.scan import FACT_COLUMNS, row_facts
from services.cases.importing.columns import BY_KEY, PERSON_COLUMNS, with_caregiver
from services.cases.person.models import category_t, person_t
from services.cases.person.schemas import PersonCreate
from services.cases.person.service import person_values
from shared.auth import Principal
from shared.changes import release_hold, reserve_change_seqs, take_change_seqs
from shared.db import utcnow
from shared.errors import Problem
from shared.history import HistoryAction, HistoryEntityType
from shared.models import new_id, new_record_values
from shared.sheets.bulk import insert_rows
from shared.sheets.cells import Column
from shared.sheets.checks import Batch, cells_of, first_per_cell, model_of
from shared.sheets.jobs import Chunk, SideTransactions
from shared.sheets.reader import RowError

# Two birth years either side, as the duplicate scan blocks people (an estimated birth date
# may be a year out, and a date near the new year crosses it).
YEARS_APART = 1


@dataclass
class _Rows:
    people: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    # What the registry is asked about: each new person's row and facts.
    facts: list[tuple[int, Facts]] = field(default_factory=list)


def _reasons(found: Match) -> str:
    return ", ".join(reason.value for reason in found.reasons)


class PersonImporter:
    columns: list[Column] = PERSON_COLUMNS

    def __init__(self, principal: Principal, allow_likely_duplicates: bool = False) -> None:
        self.principal = principal
        self.allow_likely = allow_likely_duplicates
        # The file's people so far, by folded name and by national ID: each row is compared
        # only with the rows it could match, as the scan blocks people.
        self.by_name: defaultdict[str, list[tuple[int, Facts]]] = defaultdict(list)
        self.by_national_id: dict[str, int] = {}
        self.written: set[UUID] = set()
        self._now = utcnow()
        self._side: SideTransactions | None = None
        self._hold = new_id()
        self._held = False

    async def begin(self, connection: AsyncConnection, side: SideTransactions | None) -> None:
        self._side = side
        if connection.dialect.name == "postgresql":
            # Each chunk's lookalike query is planned as costly enough to compile, which
            # costs more than it saves on a few thousand index probes.
            await connection.execute(sa.text("SET LOCAL jit = off"))

    async def finish(self, connection: AsyncConnection) -> None:
        """The people become visible as the hold goes: in the same commit."""
        if self._held:
            await release_hold(connection, change_holds, self._hold)

    async def abandon(self) -> None:
        if self._held and self._side is not None:
            async with self._side() as (connection, transaction):
                await release_hold(connection, change_holds, self._hold)
                await transaction.commit()

    def check(self, rows: list[tuple[int, dict[str, Any]]]) -> Chunk:
        batch, out = Batch(), _Rows()
        self._now = utcnow()
        for number, raw in rows:
            self._row(number, with_caregiver(cells_of(number, raw, BY_KEY, batch)), batch, out)
        return Chunk(rows=len(rows), errors=first_per_cell(batch.errors), items=[out])

    def _row(self, number: int, values: dict[str, Any], batch: Batch, out: _Rows) -> None:
        person = model_of(number, PersonCreate, values, BY_KEY, batch)
        if person is None:
            return
        payload = person.model_dump(mode="python", exclude={"id"})
        try:
            check_sensitive_write(self.principal, sensitive_fields(payload))
            row = person_values(payload)
            check_unit(self.principal, row["province_code"], row["ward_code"])
        except Problem as problem:
            batch.fail(number, None, problem.detail)
            return
        known = facts(
            full_name=row["full_name"],
            birth_date=row.get("birth_date"),
            birth_date_estimated=row["birth_date_estimated"],
            ward_code=row["ward_code"],
            national_id=row.get("national_id"),
            phone=row.get("phone"),
            caregivers=row["caregivers"],
            name_key=row["name_key"],
        )
        if not self._unique_in_file(number, known, batch):
            return
        row.update(new_record_values(self.principal.subject, self._now))
        row.update(registered_by_facility_id=self.principal.facility_id, merged_into_id=None)
        out.people.append(row)
        out.categories += [
            {"person_id": row["id"], "category_code": c} for c in payload["categories"]
        ]
        out.facts.append((number, known))

    def _unique_in_file(self, number: int, known: Facts, batch: Batch) -> bool:
        if known.national_id:
            if (first := self.by_national_id.get(known.national_id)) is not None:
                batch.fail(number, BY_KEY["national_id"].header, f"the same as row {first}")
                return False
            self.by_national_id[known.national_id] = number
        block = self.by_name[known.name_key]
        if not self.allow_likely:
            for other_number, other in block:
                if (found := match(known, other)) is not None:
                    reason = f"looks like row {other_number} ({_reasons(found)})"
                    batch.fail(number, BY_KEY["full_name"].header, reason)
                    break
        block.append((number, known))
        return True

    async def check_registry(self, connection: AsyncConnection, chunk: Chunk) -> list[RowError]:
        out: _Rows = chunk.items[0]
        errors = await self._national_ids_taken(connection, out)
        if not self.allow_likely:
            errors += await self._lookalikes(connection, out)
        return sorted(errors, key=lambda e: e.row)

    async def _national_ids_taken(self, connection: AsyncConnection, out: _Rows) -> list[RowError]:
        rows = {f.national_id: n for n, f in out.facts if f.national_id}
        if not rows:
            return []
        query = sa.select(person_t.c.national_id).where(person_t.c.national_id.in_(list(rows)))
        header, reason = BY_KEY["national_id"].header, "a person with this ID is already registered"
        return [
            RowError(rows[n], header, reason) for n in (await connection.execute(query)).scalars()
        ]

    async def _lookalikes(self, connection: AsyncConnection, out: _Rows) -> list[RowError]:
        """Each row against the people in the caller's scope with its folded name and a birth
        year within YEARS_APART (a national ID was checked above): a few rows each."""
        dated = [(n, f) for n, f in out.facts if f.birth_date is not None]
        if not dated:
            return []
        found: defaultdict[str, list[Facts]] = defaultdict(list)
        for row in await _same_name_near_birth(connection, self.principal, dated):
            if row.id not in self.written:
                found[row.name_key].append(row_facts(row))
        errors = []
        for number, wanted in dated:
            for known in found.get(wanted.name_key, ()):
                if (matched := match(wanted, known)) is not None:
                    reason = f"looks like person {known.id} ({_reasons(matched)})"
                    errors.append(RowError(number, BY_KEY["full_name"].header, reason))
                    break
        return errors

    async def write(self, connection: AsyncConnection, chunk: Chunk) -> int:
        out: _Rows = chunk.items[0]
        if not out.people:
            return 0
        last = await self._change_numbers(connection, len(out.people))
        for offset, person in enumerate(out.people):
            person["change_seq"] = last - len(out.people) + 1 + offset
        written = await insert_rows(connection, person_t, out.people)
        await insert_rows(connection, category_t, out.categories)
        await insert_rows(connection, history, self._events(out))
        self.written.update(p["id"] for p in out.people)
        return written

    async def _change_numbers(self, connection: AsyncConnection, count: int) -> int:
        """`count` numbers in the sync feed, the last returned. Reserved in a transaction of
        their own under the job's hold (shared.changes), so the counter is locked for a
        moment, not for the whole job, and no writer waits on the job; the feeds hold back
        from the hold's lowest number until the job commits or gives up. Without side
        transactions (SQLite, tests) they are taken in the job's own transaction."""
        if self._side is None:
            return await take_change_seqs(connection, change_counter, count)
        async with self._side() as (side, transaction):
            last = await reserve_change_seqs(side, change_counter, change_holds, self._hold, count)
            await transaction.commit()
        self._held = True
        return last

    def _events(self, out: _Rows) -> list[dict[str, Any]]:
        """What create_person records, one event per person."""
        codes: defaultdict[UUID, list[str]] = defaultdict(list)
        for category in out.categories:
            codes[category["person_id"]].append(category["category_code"])
        return [
            {
                "entity_type": HistoryEntityType.PERSON,
                "entity_id": p["id"],
                "parent_id": None,
                "action": HistoryAction.CREATED,
                "actor": self.principal.subject,
                "actor_roles": ",".join(sorted(self.principal.roles)),
                "at": p["created_at"],
                "changes": {"categories": codes.get(p["id"], [])},
                "version": None,
            }
            for p in out.people
        ]


def _years(day: date) -> tuple[date, date]:
    return date(day.year - YEARS_APART, 1, 1), date(day.year + YEARS_APART, 12, 31)


async def _same_name_near_birth(
    connection: AsyncConnection, principal: Principal, dated: list[tuple[int, Facts]]
) -> list[Any]:
    """The caller's people each row could be: the same folded name, born within a year or
    so, and some evidence to share (matching.evidence: the ward, a phone, caregivers), as
    the duplicate scan narrows its blocks. `match` then decides."""
    columns = [person_t.c[name] for name in {*FACT_COLUMNS, "id", "name_key"}]
    scope = [person_t.c.archived_at.is_(None), person_scope(principal)]
    if connection.dialect.name == "postgresql":
        query = sa.select(*columns).join_from(person_t, *_rows_wanted(dated)).where(*scope)
    else:
        query = sa.select(*columns).where(
            person_t.c.name_key.in_({f.name_key for _, f in dated}), *scope
        )
    # A person two rows of the chunk could match comes back twice: once is enough.
    return list({row.id: row for row in (await connection.execute(query)).all()}.values())


def _cared_for(row: Facts) -> bool:
    return bool(row.caregiver_names or row.caregiver_phones)


def _rows_wanted(dated: list[tuple[int, Facts]]) -> tuple[Any, sa.ColumnElement[bool]]:
    """The chunk's rows as a table (unnest of arrays), and how a person joins one: a range
    scan of ix_person_name_birth per row, and the evidence checked on what it finds."""
    arrays = {
        "name_key": ([f.name_key for _, f in dated], sa.Text),
        "low": ([_years(f.birth_date)[0] for _, f in dated if f.birth_date], sa.Date),
        "high": ([_years(f.birth_date)[1] for _, f in dated if f.birth_date], sa.Date),
        "ward_code": ([f.ward_code for _, f in dated], sa.Text),
        "phone": ([f.phone for _, f in dated], sa.Text),
        "cared_for": (
            [bool(f.caregiver_names or f.caregiver_phones) for _, f in dated],
            sa.Boolean,
        ),
    }
    wanted = (
        sa.func.unnest(*(sa.cast(values, sa.ARRAY(kind)) for values, kind in arrays.values()))
        .table_valued(*arrays)
        .render_derived(name="wanted")
    )
    person = person_t.c
    evidence = sa.or_(
        person.ward_code == wanted.c.ward_code,
        person.phone == wanted.c.phone,
        sa.and_(wanted.c.cared_for, sa.func.json_array_length(person.caregivers) > 0),
    )
    joined = sa.and_(
        person.name_key == wanted.c.name_key,
        person.birth_date.between(wanted.c.low, wanted.c.high),
        evidence,
    )
    return wanted, joined
