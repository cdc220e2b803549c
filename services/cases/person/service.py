"""Registering, finding and changing people. Queries filter by the caller's scope in SQL."""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.models import access_log_t
from services.cases.access.scope import by_scope_shape, check_unit, person_scope, scope_values
from services.cases.access.sensitive import (
    AccessedRecord,
    RecordReader,
    check_sensitive_write,
    logged_read,
    sensitive_fields,
)
from services.cases.common import change_counter, history, new_record_values
from services.cases.person.errors import (
    MoveNeedsTransfer,
    NationalIdExists,
    PersonMerged,
    PersonNotFound,
    PossibleDuplicate,
    PossibleDuplicateElsewhere,
    RegisteredElsewhere,
)
from services.cases.person.models import SENSITIVE_PERSON_FIELDS, category_t, person_t
from services.cases.person.schemas import PersonCreate, PersonUpdate
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from shared.admin_units import legacy_communes, units_2025
from shared.auth import Principal
from shared.changes import next_change_seq
from shared.db import AnyRow
from shared.edit_merge import ByElement, rebase
from shared.errors import ValidationFailed, field_error
from shared.fastsql import PreparedQuery
from shared.history import record_event
from shared.records import archive, insert_record, lock, save_changes, serialize, unique_or
from shared.sqlfunc import comma_list
from shared.text import search_key

# The person's category codes in the same round trip ("a,b"), on Postgres and SQLite alike.
CATEGORY_CODES = (
    sa.select(comma_list(category_t.c.category_code))
    .where(category_t.c.person_id == person_t.c.id)
    .scalar_subquery()
    .label("category_codes")
)


def codes_of(row: AnyRow) -> list[str]:
    return sorted(row.category_codes.split(",")) if row.category_codes else []


def _by_id_in_scope(principal: Principal) -> sa.Select[Any]:
    return sa.select(person_t, CATEGORY_CODES).where(
        person_t.c.id == sa.bindparam("person_id"), person_scope(principal)
    )


# The hot read paths (shared.fastsql): each kind of caller's statement is compiled once, and
# the caller's own unit comes in as parameters (scope_values).
_person_by_id = by_scope_shape(
    lambda p: PreparedQuery(_by_id_in_scope(p), json_columns=["caregivers"])
)
_logged_person_read = by_scope_shape(
    lambda p: logged_read(
        # An alias (a record merged into another) is not read: its reader is redirected.
        _by_id_in_scope(p).where(person_t.c.merged_into_id.is_(None)),
        copied={"person_id": "id"},
        json_columns=["caregivers"],
    )
)
_alias_target = by_scope_shape(
    lambda p: PreparedQuery(
        sa.select(person_t.c.merged_into_id).where(
            person_t.c.id == sa.bindparam("person_id"),
            person_t.c.merged_into_id.is_not(None),
            person_scope(p),
        )
    )
)


async def get_person(connection: AsyncConnection, principal: Principal, person_id: UUID) -> AnyRow:
    """The person's row, with `category_codes`, if it is in the caller's scope."""
    row = await _person_by_id(principal).one_or_none(
        connection, {"person_id": person_id, **scope_values(principal)}
    )
    if row is None:
        raise PersonNotFound()
    return row


async def read_person(reader: RecordReader, person_id: UUID) -> AnyRow | UUID:
    """`get_person` for a read on its own: the read is logged in the same statement. For an
    alias in the caller's scope, the id of the record it was merged into instead (nothing of
    the alias is read, so nothing is logged)."""
    params = {"person_id": person_id, **scope_values(reader.principal)}
    row = await reader.one(
        _logged_person_read(reader.principal),
        params,
        AccessedRecord.PERSON,
        sensitive=reader.sees_sensitive,
    )
    if row is not None:
        return row
    # Off the hot path: only a read that found no live record looks for an alias.
    alias = await _alias_target(reader.principal).one_on(reader.database, params)
    if alias is None:
        raise PersonNotFound()
    survivor: UUID = alias.merged_into_id
    return survivor


def check_not_merged(person: AnyRow) -> None:
    """Writes to an alias are refused with the survivor's id: they belong there."""
    if person.merged_into_id is not None:
        raise PersonMerged(person.merged_into_id)


async def get_writable_person(
    connection: AsyncConnection, principal: Principal, person_id: UUID
) -> AnyRow:
    """The person a new record (a case, a transfer) is about, if not an alias. The row is
    share-locked first, so a merge cannot make it an alias between this check and the
    commit: the merge's lock waits for ours, or the check sees the merge."""
    lock_share = sa.select(person_t.c.id).where(person_t.c.id == person_id)
    await connection.execute(lock_share.with_for_update(read=True))
    person = await get_person(connection, principal, person_id)
    check_not_merged(person)
    return person


async def access_log(
    connection: AsyncConnection, principal: Principal, person_id: UUID, *, limit: int
) -> list[AnyRow]:
    """The reads of the person's records, newest first, if the person is in the caller's
    scope."""
    await get_person(connection, principal, person_id)
    query = (
        sa.select(access_log_t)
        .where(access_log_t.c.person_id == person_id)
        .order_by(access_log_t.c.at.desc(), access_log_t.c.id.desc())
        .limit(limit)
    )
    return list((await connection.execute(query)).all())


async def _in_scope(
    connection: AsyncConnection, principal: Principal, query: sa.Select[tuple[UUID]]
) -> list[tuple[UUID, bool]]:
    """The ids `query` finds, each with whether the caller may see it."""
    rows = await connection.execute(query.add_columns(person_scope(principal)))
    return [(found, bool(visible)) for found, visible in rows]


async def _check_duplicates(
    connection: AsyncConnection,
    principal: Principal,
    values: dict[str, Any],
    *,
    likely_too: bool = True,
) -> None:
    """409 for a national ID already registered; and, unless waived, for a likely twin. Ids
    are named only when the caller may see the record: elsewhere the answer says that a record
    exists, not whose or where, so the check cannot be used to look people up."""
    if values.get("national_id"):
        # An alias keeps its national ID: the record to name is the one it was merged into.
        named = sa.func.coalesce(person_t.c.merged_into_id, person_t.c.id)
        query = sa.select(named).where(person_t.c.national_id == values["national_id"])
        for found, visible in await _in_scope(connection, principal, query):
            if visible:
                raise NationalIdExists(existing_id=str(found))
            raise RegisteredElsewhere(TRANSFER_HINT)
    if likely_too and values.get("birth_date"):
        query = sa.select(person_t.c.id).where(
            person_t.c.name_key == values["name_key"],
            person_t.c.birth_date == values["birth_date"],
            person_t.c.ward_code == values["ward_code"],
            person_t.c.archived_at.is_(None),
        )
        likely = await _in_scope(connection, principal, query)
        if candidates := [str(i) for i, visible in likely if visible]:
            raise PossibleDuplicate(
                "resend with allow_duplicate=true if this is a different person",
                candidate_ids=candidates,
            )
        if likely:
            raise PossibleDuplicateElsewhere(
                "resend with allow_duplicate=true if this is a different person; if it is the "
                "same person, " + TRANSFER_HINT
            )


# Lists an edit made offline merges element by element (shared.edit_merge): a category by
# its code, a caregiver by their name as search folds it.
PERSON_LISTS = {
    "categories": ByElement(key=lambda code: code),
    "caregivers": ByElement(key=lambda caregiver: search_key(caregiver["full_name"]), max_items=10),
}

TRANSFER_HINT = (
    "ask the unit that registered them to transfer the person to you "
    "(POST /persons/{id}/transfers on their side)"
)


def person_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "categories"}
    if "full_name" in values:
        values["full_name"] = " ".join(values["full_name"].split())
        values["name_key"] = search_key(values["full_name"])
    if values.get("ward_code"):
        values["province_code"] = units_2025().wards[values["ward_code"]].province_code
    if "caregivers" in values:
        values["caregivers"] = [dict(c) for c in values["caregivers"] or []]
    return values


async def _replace_categories(
    connection: AsyncConnection, person_id: UUID, codes: list[str], keep: set[str]
) -> None:
    await connection.execute(
        category_t.delete().where(
            category_t.c.person_id == person_id, category_t.c.category_code.not_in(keep)
        )
    )
    rows = [{"person_id": person_id, "category_code": c} for c in sorted(set(codes) - keep)]
    if rows:
        await connection.execute(category_t.insert(), rows)


async def create_person(
    connection: AsyncConnection, principal: Principal, data: PersonCreate, *, allow_duplicate: bool
) -> UUID:
    payload = data.model_dump(mode="python", exclude={"id"})
    check_sensitive_write(principal, sensitive_fields(payload))
    values = person_values(payload)
    check_unit(principal, values["province_code"], values["ward_code"])
    # Twins registered at the same moment would each pass the likely-duplicate check: the
    # same name, birth date and ward take turns.
    twin = (values["name_key"], values.get("birth_date"), values["ward_code"])
    await serialize(connection, "person:" + ":".join(str(part) for part in twin))
    await _check_duplicates(connection, principal, values, likely_too=not allow_duplicate)
    values.update(new_record_values(principal.subject))
    if data.id is not None:
        values["id"] = data.id
    values["registered_by_facility_id"] = principal.facility_id
    values["change_seq"] = await next_change_seq(connection, change_counter)
    async with unique_or(connection, NationalIdExists):
        await insert_record(connection, person_t, values)
    await _replace_categories(connection, values["id"], payload["categories"], set())
    await record_event(
        connection,
        history,
        principal,
        entity_type="person",
        entity_id=values["id"],
        action="created",
        changes={"categories": payload["categories"]},
    )
    created: UUID = values["id"]
    return created


async def update_person(
    connection: AsyncConnection,
    principal: Principal,
    person_id: UUID,
    data: PersonUpdate,
    if_match: str | None,
) -> None:
    # Locked first: concurrent edits take turns, so each merges with the one before it
    # (shared.edit_merge) instead of losing a race it could have merged.
    await lock(connection, person_t, person_id, PersonNotFound)
    current = await get_person(connection, principal, person_id)
    check_not_merged(current)
    payload = data.model_dump(mode="python", exclude_unset=True)
    check_sensitive_write(principal, sensitive_fields(payload))
    if "full_name" in payload:
        payload["full_name"] = " ".join(payload["full_name"].split())
    rebased = await rebase(
        connection,
        history,
        person_id,
        if_match=if_match,
        current_version=current.version,
        current={**current._asdict(), "categories": codes_of(current)},
        proposed=payload,
        lists=PERSON_LISTS,
        hidden=SENSITIVE_PERSON_FIELDS,
    )
    payload = rebased.values
    values = person_values(payload)
    if "ward_code" in values:
        _check_stays(principal, current, values)
    _check_legacy_commune(current, values)
    if values.get("national_id") and values["national_id"] != current.national_id:
        await _check_duplicates(
            connection, principal, {"national_id": values["national_id"]}, likely_too=False
        )
    changes: dict[str, Any] = {}
    if "categories" in payload:
        before = codes_of(current)
        # Sensitive categories the caller cannot see are kept as they are, not wiped.
        hidden = set() if principal.can_read_sensitive else set(before) & SENSITIVE_CATEGORIES
        await _replace_categories(connection, person_id, payload["categories"], hidden)
        after = sorted(set(payload["categories"]) | hidden)
        if after != before:
            changes["categories"] = [before, after]
    action = "edit_merged" if rebased.merged else "updated"
    await save_person(connection, principal, current, values, action, changes)


def _check_stays(principal: Principal, current: Any, values: dict[str, Any]) -> None:
    """A ward change stays within the caller's unit and the person's province; moving a person
    to another province is a transfer that province accepts."""
    if values["province_code"] != current.province_code:
        raise MoveNeedsTransfer(
            f"ward {values['ward_code']} is in province {values['province_code']}: "
            "request a transfer (POST /persons/{id}/transfers)"
        )
    check_unit(principal, values["province_code"], values["ward_code"])


def _check_legacy_commune(current: Any, values: dict[str, Any]) -> None:
    """A move to another ward drops the legacy commune unless a new one is given; one given
    alone must fit the ward the person is in."""
    if "ward_code" in values and "legacy_ward_code" not in values:
        if values["ward_code"] != current.ward_code:
            values["legacy_ward_code"] = None
        return
    legacy, ward = values.get("legacy_ward_code"), values.get("ward_code", current.ward_code)
    if legacy is not None and ward not in legacy_communes()[legacy].successor_ward_codes:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "legacy_ward_code"],
                    f"commune {legacy} did not go into ward {ward}",
                    "value_error",
                )
            ]
        )


async def archive_person(
    connection: AsyncConnection, principal: Principal, person_id: UUID, if_match: str | None
) -> None:
    current = await get_person(connection, principal, person_id)
    check_not_merged(current)
    await archive(
        connection,
        person_t,
        current,
        if_match,
        history=history,
        principal=principal,
        entity_type="person",
        on_change=lambda: _sync_values(connection),
    )


async def save_person(
    connection: AsyncConnection,
    principal: Principal,
    current: Any,
    values: dict[str, Any],
    action: str,
    extra_changes: dict[str, Any] | None = None,
) -> None:
    """Write a person's changed fields, with their history and a sync number."""
    await save_changes(
        connection,
        person_t,
        current,
        values,
        history=history,
        principal=principal,
        entity_type="person",
        action=action,
        extra_changes=extra_changes,
        unique_conflict=NationalIdExists,
        on_change=lambda: _sync_values(connection),
    )


async def _sync_values(connection: AsyncConnection) -> dict[str, Any]:
    return {"change_seq": await next_change_seq(connection, change_counter)}
