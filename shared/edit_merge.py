"""Edits made against an older version (a phone that was offline) merge field by field.

A change names the version it was made against (If-Match). When the record has moved on,
history says which fields changed since that version (each event keeps the version it
produced), and:
- a field nobody else changed since is applied as sent;
- a field someone else changed is a conflict, unless both now hold the same value;
- a list field (categories, caregivers) merges element by element: the elements this edit
  added or removed relative to its version are added to or removed from the record as it
  is now, and only an element both sides changed differently conflicts.
A conflict refuses the whole change: the record stays as it was (services.cases.conflicts
queues it for the worker). Records inside a case (notes, services, follow-ups) are created,
never edited in place, so they never conflict.

When history cannot say what changed since the version named (events written before
versions were kept, or a version the record never had), the answer is the old one: 412.
"""

from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.concurrency import etag, offered_version
from shared.errors import EditConflict, FieldConflict, PreconditionFailed
from shared.history import plain

# Not more than this many changes are replayed to rebase one edit: an edit that old is
# better reread than merged.
MAX_CHANGES_SINCE = 200


@dataclass(frozen=True)
class ByElement:
    """A list field merged element by element; `key` names one element in every version
    (a category is its code; a caregiver, their folded name)."""

    key: Callable[[Any], Hashable]
    max_items: int | None = None


@dataclass
class _Changed:
    base: Any
    actor: str
    at: datetime
    version: int


@dataclass(frozen=True)
class Rebased:
    values: dict[str, Any]
    merged: bool  # made against an older version, and merged with what changed since


async def rebase(
    connection: AsyncConnection,
    history: sa.Table,
    entity_id: UUID,
    *,
    if_match: str | None,
    current_version: int,
    current: Mapping[str, Any],
    proposed: dict[str, Any],
    lists: Mapping[str, ByElement] | None = None,
    hidden: Collection[str] = (),
) -> Rebased:
    """`proposed` as it applies to the record now (`current`, at `current_version`), or
    EditConflict naming every field both sides changed. `current` must hold every field
    `proposed` may name; values compare as history stores them (shared.history.plain)."""
    base_version = offered_version(if_match, current_version)
    if base_version == current_version:
        return Rebased(proposed, merged=False)
    changed = await _changed_since(connection, history, entity_id, base_version, current_version)
    values: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for field, mine in proposed.items():
        since = changed.get(field)
        if since is None:
            values[field] = mine
        elif lists and field in lists:
            try:
                merged, clashes = _merge_list(field, lists[field], since, mine, current[field])
            except (TypeError, KeyError, AttributeError):
                # History written before values were kept as JSON holds lists as text.
                raise _cannot_merge(current_version) from None
            values[field] = merged
            conflicts += clashes
        elif plain(mine) != plain(current[field]):
            conflicts.append(_conflict(field, since, mine, current[field], field in hidden))
    if conflicts:
        raise EditConflict(
            f"fields changed since version {base_version} by someone else: "
            + ", ".join(sorted({c.field for c in conflicts})),
            conflicts=conflicts,
            merged={k: v for k, v in values.items() if k not in {c.field for c in conflicts}},
            base_version=base_version,
            current_etag=etag(current_version),
        )
    return Rebased(values, merged=True)


async def _changed_since(
    connection: AsyncConnection,
    history: sa.Table,
    entity_id: UUID,
    base_version: int,
    current_version: int,
) -> dict[str, _Changed]:
    """Each field changed after `base_version`: its value then, and who changed it last."""
    if current_version - base_version > MAX_CHANGES_SINCE:
        raise _cannot_merge(current_version)
    query = (
        sa.select(history.c.version, history.c.actor, history.c.at, history.c.changes)
        .where(history.c.entity_id == entity_id, history.c.version > base_version)
        .order_by(history.c.version)
    )
    rows = (await connection.execute(query)).all()
    if [row.version for row in rows] != list(range(base_version + 1, current_version + 1)):
        raise _cannot_merge(current_version)
    changed: dict[str, _Changed] = {}
    for row in rows:
        for field, (before, _after) in row.changes.items():
            first = changed.get(field)
            base = before if first is None else first.base
            changed[field] = _Changed(base, row.actor, row.at, row.version)
    return changed


def _cannot_merge(current_version: int) -> PreconditionFailed:
    return PreconditionFailed(
        "the record changed since you read it and those changes cannot be merged with "
        "yours; reload and reapply your change",
        current_etag=etag(current_version),
    )


def _conflict(
    field: str, since: _Changed, mine: Any, theirs: Any, hidden: bool, element: str | None = None
) -> FieldConflict:
    shown = {} if hidden else {"base": since.base, "yours": plain(mine), "theirs": plain(theirs)}
    return FieldConflict(
        field=field,
        element=element,
        hidden=hidden,
        changed_by=since.actor,
        changed_at=since.at,
        changed_in_version=since.version,
        **shown,
    )


def _merge_list(
    field: str, rule: ByElement, since: _Changed, mine: Any, theirs: Any
) -> tuple[list[Any], list[FieldConflict]]:
    """Three-way merge by element: what this edit changed relative to its base, applied to
    the list as it is now, in the current order with additions after."""
    base = {rule.key(item): item for item in since.base}
    ours = {rule.key(item): item for item in mine or []}
    now = {rule.key(item): item for item in theirs or []}
    merged: dict[Hashable, Any] = {}
    conflicts: list[FieldConflict] = []
    for key in [*now, *(k for k in ours if k not in now), *(k for k in base if k not in now)]:
        was, mine_now, theirs_now = base.get(key), ours.get(key), now.get(key)
        if plain(mine_now) == plain(was):  # untouched by this edit: the record decides
            chosen = theirs_now
        elif plain(theirs_now) in (plain(was), plain(mine_now)):  # only this edit changed it
            chosen = mine_now
        else:
            conflicts.append(_conflict(field, since, mine_now, theirs_now, False, str(key)))
            chosen = theirs_now
        if chosen is not None:
            merged[key] = chosen
    if rule.max_items is not None and len(merged) > rule.max_items and not conflicts:
        overflow = _conflict(field, since, mine, theirs, False)
        conflicts.append(overflow.model_copy(update={"element": f"more than {rule.max_items}"}))
    return list(merged.values()), conflicts
