"""Sensitive data: who may read it, on what grounds, and the record of every read.

Health status (HIV among it), ethnicity, drug use and criminal records are sensitive (Law
91/2025, Decree 356/2025), and so are the categories that reveal them (`child_with_hiv`,
`violence_victim`, ...). A `Reader` is the caller of a personal-data route with the purpose
they stated: it decides what they see of those fields and categories (in records, lists,
filters, history and statistics) and writes the access log. Routes take one, so no route
decides any of this on its own.
"""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.models import access_log_t
from services.cases.access.policy import AGGREGATES, DUPLICATE_REVIEW, PERSONAL_DATA
from services.cases.common import history
from services.cases.person.errors import SensitiveWriteForbidden
from services.cases.person.models import SENSITIVE_PERSON_FIELDS
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from shared.access import AccessPolicy, PurposeHeader, PurposeQuery, stated_purpose
from shared.auth import Principal, Role
from shared.auth.deps import BearerCredentials
from shared.db import AnyRow, Database, SessionDep, utcnow
from shared.errors import ValidationFailed, field_error
from shared.fastsql import LoggedRead, PreparedQuery
from shared.history import HistoryEvent, history_of
from shared.labels import LabelledEnum, labelled
from shared.problem_handlers import request_id_of


class AccessedRecord(LabelledEnum):
    """What was read, in the access log."""

    PERSON = "person"
    PERSON_LIST = "person_list"
    CASE = "case"
    CASE_LIST = "case_list"
    ASSESSMENT = "assessment"
    CASE_NOTE = "case_note"
    HISTORY = "history"
    STATS = "stats"


ACCESSED_RECORDS = labelled(
    AccessedRecord,
    (AccessedRecord.PERSON, "Hồ sơ đối tượng", "A person's record"),
    (AccessedRecord.PERSON_LIST, "Danh sách đối tượng", "A list of people"),
    (AccessedRecord.CASE, "Hồ sơ trường hợp", "A case"),
    (AccessedRecord.CASE_LIST, "Danh sách trường hợp", "A list of cases"),
    (AccessedRecord.ASSESSMENT, "Đánh giá nhu cầu", "A needs assessment"),
    (AccessedRecord.CASE_NOTE, "Ghi chép trường hợp", "A case note"),
    (AccessedRecord.HISTORY, "Lịch sử thay đổi", "A change history"),
    (AccessedRecord.STATS, "Số liệu thống kê", "Statistics counting the person"),
)

# One entry per record read is on the hot read path: compiled once (see shared.fastsql).
_LOG_ONE = PreparedQuery(access_log_t.insert())
HIDDEN = "[hidden]"


def check_sensitive_write(principal: Principal, what: Iterable[str]) -> None:
    """Writing sensitive data needs the same scope as reading it."""
    named = sorted(what)
    if named and not principal.can_read_sensitive:
        raise SensitiveWriteForbidden(
            "sensitive data needs scope sensitive:read: " + "; ".join(named)
        )


def sensitive_fields(values: dict[str, Any]) -> list[str]:
    """The sensitive person fields and categories a write sets."""
    fields = [f for f in SENSITIVE_PERSON_FIELDS if values.get(f) is not None]
    categories = sorted(set(values.get("categories") or ()) & SENSITIVE_CATEGORIES)
    return fields + ([f"categories: {', '.join(categories)}"] if categories else [])


@dataclass(frozen=True)
class Caller:
    """A caller of a personal-data route, the purpose they gave, and what they may see."""

    principal: Principal
    purpose: str | None
    request_id: str | None

    @property
    def sees_sensitive(self) -> bool:
        """Sensitive parts are served only to callers with sensitive:read who say why."""
        return self.principal.can_read_sensitive and self.purpose is not None

    @property
    def hidden_categories(self) -> frozenset[str]:
        return frozenset() if self.sees_sensitive else SENSITIVE_CATEGORIES

    @property
    def counts_everything(self) -> bool:
        """Aggregates with sensitive categories in: the reporting service, which publishes
        nothing itself, and readers who may see sensitive data and said why."""
        return self.principal.has_role(Role.SERVICE) or self.sees_sensitive

    @property
    def hidden_from_counts(self) -> frozenset[str]:
        """Categories aggregates are computed without, as if nobody belonged to them."""
        return frozenset() if self.counts_everything else SENSITIVE_CATEGORIES

    @property
    def audits_counts(self) -> bool:
        """A person reading sensitive counts leaves a trail for each person counted in them."""
        return self.sees_sensitive and not self.principal.has_role(Role.SERVICE)

    def categories(self, codes: Iterable[str]) -> list[str]:
        """The categories this reader may see of these."""
        return sorted(c for c in codes if c not in self.hidden_categories)

    def check_filter(self, categories: Iterable[str], loc: list[str | int]) -> bool:
        """Listing by a sensitive category discloses it for every record listed, so it needs
        what reading it needs. Returns whether the filter is sensitive (the list is logged)."""
        asked = sorted(set(categories) & SENSITIVE_CATEGORIES)
        if asked and not self.sees_sensitive:
            why = "needs scope sensitive:read and a purpose (X-Access-Purpose)"
            raise ValidationFailed(
                [field_error(loc, f"{', '.join(asked)}: {why}", "sensitive_filter")]
            )
        return bool(asked)

    def log_entry(self, record_type: AccessedRecord, *, sensitive: bool) -> dict[str, Any]:
        """An access-log entry's columns, but for the person and case read."""
        return {
            "at": utcnow(),
            "actor": self.principal.subject,
            "actor_roles": ",".join(sorted(self.principal.roles)),
            "record_type": record_type,
            "sensitive": sensitive,
            "purpose": self.purpose,
            "request_id": self.request_id,
        }


@dataclass(frozen=True)
class Reader(Caller):
    """A caller reading personal data in the request's transaction, and their trail."""

    connection: AsyncConnection

    async def read(
        self,
        people: Iterable[UUID],
        record_type: AccessedRecord,
        *,
        sensitive: bool,
        case_id: UUID | None = None,
    ) -> None:
        """Record that these people's records were read (one entry each)."""
        entry = self.log_entry(record_type, sensitive=sensitive)
        rows = [entry | {"person_id": p, "case_id": case_id} for p in dict.fromkeys(people)]
        if len(rows) == 1:
            await _LOG_ONE.execute(self.connection, rows[0])
        elif rows:
            await self.connection.execute(access_log_t.insert(), rows)

    async def history(
        self, entity_id: UUID, person_id: UUID, case_id: UUID | None = None
    ) -> list[HistoryEvent]:
        """A record's history: sensitive values shown (and the read logged) or hidden."""
        if not self.sees_sensitive:
            return await history_of(self.connection, history, entity_id, redact=_redact)
        events = await history_of(self.connection, history, entity_id)
        if any(_touches_sensitive(e.changes) for e in events):
            await self.read([person_id], AccessedRecord.HISTORY, sensitive=True, case_id=case_id)
        return events


def _touches_sensitive(changes: dict[str, Any]) -> bool:
    if any(key in SENSITIVE_PERSON_FIELDS for key in changes):
        return True
    return _redact(changes) != changes


def _redact(changes: dict[str, Any]) -> dict[str, Any]:
    redacted = {}
    for key, value in changes.items():
        if key in SENSITIVE_PERSON_FIELDS:
            redacted[key] = [HIDDEN, HIDDEN]
        elif key == "categories" and isinstance(value, list):
            redacted[key] = _open_codes(value)
        else:
            redacted[key] = value
    return redacted


def _open_codes(value: list[Any]) -> list[Any]:
    if value and all(isinstance(v, list) for v in value):  # [before, after]
        return [[c for c in side if c not in SENSITIVE_CATEGORIES] for side in value]
    return [c for c in value if c not in SENSITIVE_CATEGORIES]


# The entry's columns a LoggedRead is given; the person and case come from the row read.
_GIVEN_LOG_COLUMNS = (
    "at",
    "actor",
    "actor_roles",
    "record_type",
    "sensitive",
    "purpose",
    "request_id",
)


def logged_read(
    statement: sa.Select[Any], *, copied: dict[str, str], json_columns: Iterable[str] = ()
) -> LoggedRead:
    """A one-record read that writes its access-log entry in the same statement (the hot
    path: shared.fastsql). `copied` names the row's columns the entry takes (person_id,
    case_id)."""
    return LoggedRead(
        statement, access_log_t, copied=copied, given=_GIVEN_LOG_COLUMNS, json_columns=json_columns
    )


@dataclass(frozen=True)
class RecordReader(Caller):
    """A caller reading one record outside any transaction: the read and its access-log
    entry are one statement (`logged_read`), on the driver's pool (shared.db.DriverPool)."""

    database: Database

    async def one(
        self,
        query: LoggedRead,
        params: dict[str, Any],
        record_type: AccessedRecord,
        *,
        sensitive: bool,
    ) -> AnyRow | None:
        """The row `query` finds, its read logged as `record_type` in the same statement."""
        entry = self.log_entry(record_type, sensitive=sensitive)
        return await query.one_or_none(
            self.database, params | {f"log_{name}": value for name, value in entry.items()}
        )


# Each reader takes the caller, the purpose and the connection in one dependency: FastAPI
# solves a route's dependencies again on every request, and each level costs (bench/).
def _reader_under(policy: AccessPolicy) -> Callable[..., Awaitable[Reader]]:
    async def reader(
        request: Request,
        credentials: BearerCredentials,
        connection: SessionDep,
        header: PurposeHeader = None,
        purpose: PurposeQuery = None,
    ) -> Reader:
        principal = await policy.admit(request, credentials)
        purpose = stated_purpose(header, purpose)
        return Reader(principal, purpose, request_id_of(request), connection)

    return policy.declared_by(reader)


personal_reader = _reader_under(PERSONAL_DATA)
aggregate_reader = _reader_under(AGGREGATES)
duplicate_reader = _reader_under(DUPLICATE_REVIEW)


@PERSONAL_DATA.declared_by
async def record_reader(
    request: Request,
    credentials: BearerCredentials,
    header: PurposeHeader = None,
    purpose: PurposeQuery = None,
) -> RecordReader:
    principal = await PERSONAL_DATA.admit(request, credentials)
    database: Database = request.app.state.database
    return RecordReader(
        principal, stated_purpose(header, purpose), request_id_of(request), database
    )


OneRecordReader = Annotated[RecordReader, Depends(record_reader)]
PersonalReader = Annotated[Reader, Depends(personal_reader)]
AggregateReader = Annotated[Reader, Depends(aggregate_reader)]
DuplicateReader = Annotated[Reader, Depends(duplicate_reader)]
