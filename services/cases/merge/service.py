"""Merging two records of one person, and undoing a merge exactly.

A merge locks both person rows (in id order, so two merges of overlapping pairs take turns
instead of deadlocking), checks both under the lock, gives the survivor the chosen values and
the union of the categories, moves the merged record's rows to it (merge/moves.py), and
leaves the merged record as an archived alias pointing at the survivor. The merge record
keeps what moved and the survivor's values before and after, so the undo puts everything
back, and refuses (409 merge_superseded) once the survivor's values changed since.
"""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.scope import merge_scope, province_people
from services.cases.access.sensitive import check_sensitive_write
from services.cases.duplicates.service import mark_merged
from services.cases.merge.errors import (
    MergeAcrossProvinces,
    MergeAlias,
    MergeArchived,
    MergeChain,
    MergeNotFound,
    MergeSamePerson,
    MergeSuperseded,
    MergeTransferPending,
    MergeUndone,
)
from services.cases.merge.models import merge_t
from services.cases.merge.moves import move_back, move_rows
from services.cases.merge.schemas import MergeField, MergeSide, PersonMergeCreate
from services.cases.merge.values import chosen_values, restored, snapshot
from services.cases.person.errors import PersonNotFound
from services.cases.person.models import SENSITIVE_PERSON_FIELDS, category_t, person_t
from services.cases.person.service import save_person
from services.cases.transfer.models import transfer_t
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.db import AnyRow, utcnow
from shared.models import new_id
from shared.records import lock, unique_or


async def merge(connection: AsyncConnection, principal: Principal, data: PersonMergeCreate) -> UUID:
    if data.survivor_id == data.merged_id:
        raise MergeSamePerson("name two different records")
    chosen = [f.value for f, side in data.keep.items() if side == MergeSide.MERGED]
    check_sensitive_write(principal, set(chosen) & set(SENSITIVE_PERSON_FIELDS))
    await _check_visible(connection, principal, data.survivor_id, data.merged_id)
    survivor, merged = await _lock_pair(connection, data.survivor_id, data.merged_id)
    await _check_mergeable(connection, survivor, merged)
    merge_id = new_id()
    values, changed = chosen_values(survivor, merged, data.keep)
    merged_before = await _make_alias(connection, principal, merge_id, merged, survivor, values)
    moved = await move_rows(connection, principal, merge_id, from_id=merged.id, to_id=survivor.id)
    before, after = await _absorb(connection, principal, merge_id, survivor, merged, values)
    record = {
        "id": merge_id,
        "survivor_id": survivor.id,
        "merged_id": merged.id,
        "province_code": survivor.province_code,
        "status": "merged",
        "kept": {f.value: data.keep.get(f, MergeSide.SURVIVOR).value for f in MergeField},
        "changed_fields": [f.value for f in changed],
        "survivor_before": before,
        "survivor_after": after,
        "merged_before": merged_before,
        "moved": moved,
        "merged_by": principal.subject,
        "merged_at": utcnow(),
        "version": 1,
        "updated_at": utcnow(),
    }
    # Row locks already make merges of one record take turns; the index says so too.
    async with unique_or(connection, lambda: MergeAlias("the record was merged meanwhile")):
        await connection.execute(merge_t.insert().values(**record))
    # The pair leaves the duplicate review queue for good; an unmerge leaves it closed, as
    # the officer has decided the two are different people.
    await mark_merged(connection, survivor.id, merged.id, by=principal.subject)
    return merge_id


async def _absorb(
    connection: AsyncConnection,
    principal: Principal,
    merge_id: UUID,
    survivor: AnyRow,
    merged: AnyRow,
    values: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Give the survivor the chosen values and both records' categories; its snapshots
    before and after."""
    before = snapshot(survivor, await _categories(connection, survivor.id))
    categories = sorted(set(before["categories"]) | set(await _categories(connection, merged.id)))
    await _set_categories(connection, survivor.id, categories)
    extra: dict[str, Any] = {"merged_id": str(merged.id), "merge_id": str(merge_id)}
    if categories != before["categories"]:
        extra["categories"] = [before["categories"], categories]
    await save_person(connection, principal, survivor, values, "absorbed", extra)
    return before, snapshot(await lock(connection, person_t, survivor.id), categories)


async def _check_visible(connection: AsyncConnection, principal: Principal, *ids: UUID) -> None:
    """404 for a record outside the officer's province, before anything is locked."""
    query = sa.select(person_t.c.id).where(person_t.c.id.in_(ids), province_people(principal))
    found = set((await connection.execute(query)).scalars())
    if missing := [i for i in ids if i not in found]:
        raise PersonNotFound(f"no person {missing[0]} in your province")


async def _lock_pair(connection: AsyncConnection, first: UUID, second: UUID) -> list[AnyRow]:
    """Both rows, locked in id order: concurrent merges of overlapping pairs queue on the
    same first row instead of each holding one the other waits for."""
    rows = {i: await lock(connection, person_t, i, PersonNotFound) for i in sorted((first, second))}
    return [rows[first], rows[second]]


async def _check_mergeable(connection: AsyncConnection, survivor: AnyRow, merged: AnyRow) -> None:
    """Checked under both row locks: a concurrent merge, archive or transfer of either record
    has committed before, or waits until this one has."""
    for row in (survivor, merged):
        if row.merged_into_id is not None:
            raise MergeAlias(
                f"{row.id} was merged into {row.merged_into_id}: merge with that record",
                survivor_id=str(row.merged_into_id),
            )
        if row.archived_at is not None:
            raise MergeArchived(f"{row.id} is archived")
    if survivor.province_code != merged.province_code:
        raise MergeAcrossProvinces(
            f"{survivor.id} is in province {survivor.province_code}, {merged.id} in "
            f"{merged.province_code}: transfer one of them first"
        )
    absorbed = sa.select(merge_t.c.id).where(
        merge_t.c.survivor_id == merged.id, merge_t.c.status == "merged"
    )
    if (await connection.execute(absorbed.limit(1))).first() is not None:
        raise MergeChain(f"merge into {merged.id} instead, or undo the merges into it first")
    pending = sa.select(transfer_t.c.person_id).where(
        transfer_t.c.person_id.in_((survivor.id, merged.id)), transfer_t.c.status == "pending"
    )
    if (found := (await connection.execute(pending.limit(1))).scalar()) is not None:
        raise MergeTransferPending(f"answer or cancel the transfer of {found} first")


async def _categories(connection: AsyncConnection, person_id: UUID) -> list[str]:
    query = sa.select(category_t.c.category_code).where(category_t.c.person_id == person_id)
    return sorted((await connection.execute(query)).scalars())


async def _set_categories(connection: AsyncConnection, person_id: UUID, codes: list[str]) -> None:
    await connection.execute(
        category_t.delete().where(
            category_t.c.person_id == person_id, category_t.c.category_code.not_in(codes)
        )
    )
    have = set(await _categories(connection, person_id))
    rows = [{"person_id": person_id, "category_code": c} for c in codes if c not in have]
    if rows:
        await connection.execute(category_t.insert(), rows)


async def _make_alias(
    connection: AsyncConnection,
    principal: Principal,
    merge_id: UUID,
    merged: AnyRow,
    survivor: AnyRow,
    values: dict[str, Any],
) -> dict[str, Any]:
    """Archive the merged record as an alias of the survivor; what else changed on it. A
    national ID the survivor takes over leaves the alias first (it is unique)."""
    alias: dict[str, Any] = {"merged_into_id": survivor.id, "archived_at": utcnow()}
    before: dict[str, Any] = {}
    if merged.national_id is not None and values.get("national_id") == merged.national_id:
        alias["national_id"] = None
        before["national_id"] = merged.national_id
    extra = {"survivor_id": str(survivor.id), "merge_id": str(merge_id)}
    await save_person(connection, principal, merged, alias, "merged_into", extra)
    return before


async def get_merge(connection: AsyncConnection, principal: Principal, merge_id: UUID) -> AnyRow:
    query = sa.select(merge_t).where(merge_t.c.id == merge_id, merge_scope(principal))
    row = (await connection.execute(query)).first()
    if row is None:
        raise MergeNotFound()
    return row


async def list_merges(
    connection: AsyncConnection, principal: Principal, *, person_id: UUID | None, limit: int
) -> list[AnyRow]:
    query = sa.select(merge_t).where(merge_scope(principal))
    if person_id is not None:
        query = query.where(
            sa.or_(merge_t.c.survivor_id == person_id, merge_t.c.merged_id == person_id)
        )
    query = query.order_by(merge_t.c.merged_at.desc(), merge_t.c.id.desc()).limit(limit)
    return list((await connection.execute(query)).all())


async def unmerge(
    connection: AsyncConnection, principal: Principal, merge_id: UUID, if_match: str | None
) -> None:
    found = await get_merge(connection, principal, merge_id)
    # The same lock order as a merge: persons first, in id order, then the merge record.
    survivor, merged = await _lock_pair(connection, found.survivor_id, found.merged_id)
    record = await lock(connection, merge_t, merge_id, MergeNotFound)
    # Undone already is the answer whatever version the caller read.
    if record.status != "merged":
        raise MergeUndone(f"undone by {record.unmerged_by} at {record.unmerged_at}")
    check_if_match(if_match, record.version)
    categories = await _categories(connection, survivor.id)
    _check_restorable(survivor, snapshot(survivor, categories), record)
    before = record.survivor_before
    await _set_categories(connection, survivor.id, before["categories"])
    extra: dict[str, Any] = {"merged_id": str(merged.id), "merge_id": str(merge_id)}
    if categories != before["categories"]:
        extra["categories"] = [categories, before["categories"]]
    # The survivor first: it gives back a national ID the alias had.
    await save_person(
        connection, principal, survivor, restored(before["fields"]), "unmerged", extra
    )
    await move_back(
        connection, principal, merge_id, record.moved, from_id=survivor.id, to_id=merged.id
    )
    alias = {"merged_into_id": None, "archived_at": None, **record.merged_before}
    gone = {"survivor_id": str(survivor.id), "merge_id": str(merge_id)}
    await save_person(connection, principal, merged, alias, "unmerged", gone)
    await connection.execute(
        merge_t.update()
        .where(merge_t.c.id == merge_id)
        .values(
            status="unmerged",
            unmerged_by=principal.subject,
            unmerged_at=utcnow(),
            version=record.version + 1,
            updated_at=utcnow(),
        )
    )


def _check_restorable(survivor: AnyRow, now: dict[str, Any], record: AnyRow) -> None:
    """Restoring the survivor's values would silently undo whatever changed them after the
    merge: refused, naming what changed, for the officer to settle by hand."""
    if survivor.archived_at is not None or survivor.merged_into_id is not None:
        raise MergeSuperseded(f"the surviving record {survivor.id} was archived since")
    after = record.survivor_after
    changed = sorted(c for c, v in after["fields"].items() if now["fields"].get(c) != v)
    if now["categories"] != after["categories"]:
        changed.append("categories")
    if changed:
        raise MergeSuperseded(
            "changed on the surviving record since the merge: " + ", ".join(changed),
            changed=changed,
        )
