"""A referral's two clocks, and what happens when one runs out (docs/referrals.md).

- `respond_by`: set when the referral is made, from the case's risk level; the receiving
  facility accepts or rejects before it.
- `first_contact_by`: set when the referral is accepted, from the case's risk level then;
  the receiving facility reaches the person (the `contacted` step) before it. It is counted
  from the acceptance, which is when the facility takes the person on.

A referral is overdue while it is still waiting in the status its clock runs in (pending,
then accepted) past that clock. Time is compared with `now` from shared.clock, sent as a
parameter: the same comparison on PostgreSQL and SQLite, and one a test can move.

`escalate_overdue` marks each overdue referral escalated, once per clock, and tells the
events feed (`referral.overdue`). It takes only a connection and commits a batch at a time,
so a worker process can call it on a timer, and two processes calling it at once escalate
each referral once: every batch locks the rows it takes (skipping those another pass holds,
on PostgreSQL; SQLite runs one writer at a time), and the UPDATE that marks them repeats the
condition, so only the pass that changes a row writes its history and its event.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncTransaction

from services.cases.case.models import case_t
from services.cases.casework.models import referral_t
from services.cases.casework.records import record_step, renumber
from services.cases.casework.schemas import ReferralDeadline
from services.cases.events import service as events
from services.cases.events.schemas import EventType
from services.cases.reference.codes import RiskLevel
from services.cases.settings import DeadlineHours
from shared.auth import Principal, Role
from shared.db import AnyRow, utcnow

# Who the history names for an escalation: no person did it.
ESCALATOR = Principal(
    subject="ctxh-referral-deadlines", name="referral deadlines", roles=frozenset({Role.SERVICE})
)
BATCH_SIZE = 100


@dataclass(frozen=True)
class Clock:
    deadline: ReferralDeadline
    status: str  # the status a referral waits in while this clock runs
    due: sa.Column[Any]
    escalated: sa.Column[Any]

    def past(self, now: datetime) -> sa.ColumnElement[bool]:
        return sa.and_(referral_t.c.status == self.status, self.due < now)


RESPONSE = Clock(
    ReferralDeadline.RESPOND_BY,
    "pending",
    referral_t.c.respond_by,
    referral_t.c.response_escalated_at,
)
FIRST_CONTACT = Clock(
    ReferralDeadline.FIRST_CONTACT_BY,
    "accepted",
    referral_t.c.first_contact_by,
    referral_t.c.first_contact_escalated_at,
)
CLOCKS = (RESPONSE, FIRST_CONTACT)


def respond_by(deadlines: Mapping[RiskLevel, DeadlineHours], risk: str, made: datetime) -> datetime:
    return made + timedelta(hours=deadlines[RiskLevel(risk)].respond_hours)


def first_contact_by(
    deadlines: Mapping[RiskLevel, DeadlineHours], risk: str, accepted: datetime
) -> datetime:
    return accepted + timedelta(hours=deadlines[RiskLevel(risk)].first_contact_hours)


def overdue(now: datetime) -> sa.ColumnElement[bool]:
    """Referrals waiting past the clock of the status they wait in."""
    return sa.or_(*(clock.past(now) for clock in CLOCKS))


def overdue_columns() -> list[sa.ColumnElement[Any]]:
    """For an overdue referral: which clock it passed, when that was, and its escalation."""
    waiting = referral_t.c.status == RESPONSE.status
    return [
        sa.case((waiting, RESPONSE.deadline.value), else_=FIRST_CONTACT.deadline.value).label(
            "deadline"
        ),
        sa.case((waiting, RESPONSE.due), else_=FIRST_CONTACT.due).label("due_at"),
        sa.case((waiting, RESPONSE.escalated), else_=FIRST_CONTACT.escalated).label("escalated_at"),
    ]


async def escalate_overdue(connection: AsyncConnection, *, batch_size: int = BATCH_SIZE) -> int:
    """Escalate every referral past a clock not escalated yet; how many were. One transaction
    per batch on an idle connection (a savepoint inside a caller's transaction)."""
    now = utcnow()  # one instant for the pass: what falls due meanwhile waits for the next
    escalated = 0
    for clock in CLOCKS:
        taken = batch_size
        while taken == batch_size:
            async with _transaction(connection):
                taken, won = await _escalate_batch(connection, clock, now, batch_size)
            escalated += won
    return escalated


def _transaction(connection: AsyncConnection) -> AsyncTransaction:
    return connection.begin_nested() if connection.in_transaction() else connection.begin()


async def _escalate_batch(
    connection: AsyncConnection, clock: Clock, now: datetime, batch_size: int
) -> tuple[int, int]:
    """(referrals taken, referrals this pass escalated)."""
    waiting = sa.and_(clock.past(now), clock.escalated.is_(None))
    due = (
        sa.select(referral_t.c.id)
        .join(case_t, case_t.c.id == referral_t.c.case_id)
        # An archived case was recorded in error: nobody is waiting on its referrals.
        .where(waiting, case_t.c.archived_at.is_(None))
        .order_by(clock.due, referral_t.c.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True, of=referral_t)
    )
    taken = list((await connection.execute(due)).scalars())
    if not taken:
        return 0, 0
    mark = (
        referral_t.update()
        .where(referral_t.c.id.in_(taken), waiting)
        .values({clock.escalated.key: now})
        .returning(
            referral_t.c.id,
            referral_t.c.case_id,
            referral_t.c.from_facility_id,
            referral_t.c.to_facility_id,
            referral_t.c.status,
            clock.due,
        )
    )
    won = (await connection.execute(mark)).all()
    for row in won:
        await _record_escalation(connection, clock, row, now)
    return len(taken), len(won)


async def _record_escalation(
    connection: AsyncConnection, clock: Clock, row: AnyRow, now: datetime
) -> None:
    await record_step(
        connection,
        ESCALATOR,
        row.case_id,
        row.id,
        entity_type="referral",
        action="escalated",
        changes={clock.escalated.key: [None, now.isoformat()]},
    )
    await renumber(connection, referral_t, row.id)
    data = events.referral_data(
        row.id, row.case_id, row.from_facility_id, row.to_facility_id, row.status
    )
    data.update(deadline=clock.deadline.value, due_at=getattr(row, clock.due.key))
    await events.emit(
        connection, EventType.REFERRAL_OVERDUE, case_id=row.case_id, record_id=row.id, data=data
    )
