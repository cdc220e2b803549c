"""Workers imported in bulk by an import job (shared.sheets.jobs): the workers sheet, of any
size up to the job's limit, checked by the same rules as a small file (prepare.py) and written
by COPY.

A row is a worker and, optionally, one position. Rows with the same national ID are the same
worker with several positions, wherever they are in the file: the worker is written with the
first and must read the same on every other. What the API would check record by record is
checked here for the whole file: the models, the facility's province and dates, overlapping
positions of one worker, national IDs repeated in the file or already registered."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.assignment.models import allowance_t, assignment_t
from services.workforce.assignment.schemas import AssignmentCreate
from services.workforce.common import history
from services.workforce.facility.models import facility_t
from services.workforce.importing.columns import WORKER_COLUMNS
from services.workforce.worker.models import worker_t
from services.workforce.worker.schemas import WorkerCreate
from services.workforce.worker.service import worker_values
from shared.auth import Principal
from shared.db import utcnow
from shared.history import HistoryAction, HistoryEntityType
from shared.models import new_id, new_record_values
from shared.sheets.bulk import insert_rows
from shared.sheets.cells import Column
from shared.sheets.checks import Batch, cells_of, first_per_cell, model_of
from shared.sheets.jobs import Chunk, SideTransactions
from shared.sheets.reader import RowError

BY_KEY = {c.key: c for c in WORKER_COLUMNS}


@dataclass(frozen=True)
class _Facility:
    id: UUID
    active_to: date | None


@dataclass
class _Seen:
    """A worker met earlier in the file: their first row, what it said, and their positions."""

    row: int
    worker: WorkerCreate
    id: UUID
    assignments: list[AssignmentCreate] = field(default_factory=list)


@dataclass
class _Rows:
    workers: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    allowances: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # The national IDs of this chunk's new workers, by row: checked against the registry.
    national_ids: dict[str, int] = field(default_factory=dict)


def _overlaps(a: AssignmentCreate, b: AssignmentCreate) -> bool:
    return (
        a.facility_id == b.facility_id
        and (a.end_date is None or b.start_date <= a.end_date)
        and (b.end_date is None or a.start_date <= b.end_date)
    )


class WorkerImporter:
    columns: list[Column] = WORKER_COLUMNS

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.facilities: dict[str, _Facility] = {}
        self.seen: dict[str, _Seen] = {}
        self._now = utcnow()
        self._event_base: dict[str, Any] = {
            "actor": principal.subject,
            "actor_roles": ",".join(sorted(principal.roles)),
            "changes": {},
            "parent_id": None,
            "version": None,
        }

    async def begin(self, connection: AsyncConnection, side: SideTransactions | None) -> None:
        """The province's open facilities by code: a few thousand, read once."""
        query = sa.select(facility_t.c.code, facility_t.c.id, facility_t.c.active_to).where(
            facility_t.c.province_code == self.principal.province_code,
            facility_t.c.archived_at.is_(None),
        )
        rows = (await connection.execute(query)).all()
        self.facilities = {code: _Facility(id_, to) for code, id_, to in rows}

    async def finish(self, connection: AsyncConnection) -> None:
        return None

    async def abandon(self) -> None:
        return None

    def check(self, rows: list[tuple[int, dict[str, Any]]]) -> Chunk:
        batch, out = Batch(), _Rows()
        self._now = utcnow()  # one instant per chunk: the clock is not free at this rate
        for number, raw in rows:
            self._row(number, cells_of(number, raw, BY_KEY, batch), batch, out)
        return Chunk(rows=len(rows), errors=first_per_cell(batch.errors), items=[out])

    def _row(self, number: int, values: dict[str, Any], batch: Batch, out: _Rows) -> None:
        worker = model_of(number, WorkerCreate, values, BY_KEY, batch)
        assignment = self._assignment(number, values, batch)
        if worker is None:
            return
        seen = self.seen.get(worker.national_id) if worker.national_id else None
        if seen is None:
            seen = _Seen(number, worker, new_id())
            if worker.national_id:
                self.seen[worker.national_id] = seen
                out.national_ids[worker.national_id] = number
            out.workers.append(self._worker_row(seen))
        elif seen.worker != worker:
            reason = f"differs from row {seen.row} for the same national ID"
            batch.fail(number, BY_KEY["full_name"].header, reason)
        if assignment is None:
            return
        if any(_overlaps(assignment, other) for other in seen.assignments):
            reason = "overlaps another row's position at this facility"
            batch.fail(number, BY_KEY["start_date"].header, reason)
        seen.assignments.append(assignment)
        self._assignment_rows(seen, assignment, out)

    def _assignment(
        self, number: int, values: dict[str, Any], batch: Batch
    ) -> AssignmentCreate | None:
        code = values.get("facility_code")
        if code is None:
            return None
        facility = self.facilities.get(code)
        if facility is None:
            reason = f"no facility {code} in your province"
            batch.fail(number, BY_KEY["facility_code"].header, reason)
            return None
        data = {**values, "facility_id": facility.id}
        assignment = model_of(number, AssignmentCreate, data, BY_KEY, batch)
        if assignment is not None and facility.active_to is not None:
            last = facility.active_to
            if assignment.start_date > last:
                batch.fail(number, BY_KEY["start_date"].header, f"it closed on {last}")
            elif assignment.end_date is None or assignment.end_date > last:
                reason = f"it closed on {last}: end the position by then"
                batch.fail(number, BY_KEY["end_date"].header, reason)
        return assignment

    def _worker_row(self, seen: _Seen) -> dict[str, Any]:
        values = worker_values(seen.worker.model_dump(mode="python"))
        values.update(new_record_values(self.principal.subject, self._now))
        values.update(id=seen.id, province_code=self.principal.province_code, left_on=None)
        return values

    def _assignment_rows(self, seen: _Seen, data: AssignmentCreate, out: _Rows) -> None:
        values = data.model_dump(mode="python", exclude={"monthly_allowance_vnd"})
        values.update(new_record_values(self.principal.subject, self._now), worker_id=seen.id)
        out.assignments.append(values)
        if data.monthly_allowance_vnd is not None:
            out.allowances.append(
                {
                    "id": new_id(),
                    "assignment_id": values["id"],
                    "amount_vnd": data.monthly_allowance_vnd,
                    "start_date": data.start_date,
                    "end_date": None,
                    "created_by": self.principal.subject,
                }
            )

    async def check_registry(self, connection: AsyncConnection, chunk: Chunk) -> list[RowError]:
        out: _Rows = chunk.items[0]
        if not out.national_ids:
            return []
        query = sa.select(worker_t.c.national_id).where(
            worker_t.c.national_id.in_(list(out.national_ids))
        )
        taken = (await connection.execute(query)).scalars()
        header = BY_KEY["national_id"].header
        reason = "a worker with this ID is already registered"
        return sorted(
            (RowError(out.national_ids[n], header, reason) for n in taken), key=lambda e: e.row
        )

    async def write(self, connection: AsyncConnection, chunk: Chunk) -> int:
        out: _Rows = chunk.items[0]
        written = await insert_rows(connection, worker_t, out.workers)
        await insert_rows(connection, assignment_t, out.assignments)
        await insert_rows(connection, allowance_t, out.allowances)
        await insert_rows(connection, history, self._events(out))
        return written

    def _events(self, out: _Rows) -> list[dict[str, Any]]:
        """What create_worker and create_assignment record, one event per record."""
        events = [
            {
                **self._event_base,
                "entity_type": HistoryEntityType.WORKER,
                "entity_id": w["id"],
                "action": HistoryAction.CREATED,
                "at": w["created_at"],
            }
            for w in out.workers
        ]
        allowances = {a["assignment_id"]: a["amount_vnd"] for a in out.allowances}
        events += [
            {
                **self._event_base,
                "entity_type": HistoryEntityType.ASSIGNMENT,
                "entity_id": a["id"],
                "parent_id": a["worker_id"],
                "action": HistoryAction.CREATED,
                "at": a["created_at"],
                "changes": {
                    "facility_id": str(a["facility_id"]),
                    "position_kind": a["position_kind"],
                    "allowance_vnd": allowances.get(a["id"]),
                },
            }
            for a in out.assignments
        ]
        return events
