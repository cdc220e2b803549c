"""The person's values a merge chooses between, and how they are kept on the merge record.

The merge record keeps the survivor's values before and right after the merge as JSON, so an
undo can restore them exactly and tell whether anything changed since."""

from datetime import date
from typing import Any

from services.cases.merge.schemas import MergeField, MergeSide
from shared.db import AnyRow

# The columns each choice carries: the name its search key, the ward its former commune.
FIELD_COLUMNS: dict[MergeField, tuple[str, ...]] = {
    field: (field.value,) for field in MergeField
} | {
    MergeField.FULL_NAME: ("full_name", "name_key"),
    MergeField.WARD_CODE: ("ward_code", "legacy_ward_code"),
}
# Every column a merge may change on the survivor, and its province: a survivor that moved
# to another province since its merge cannot take back the merged record's cases.
SNAPSHOT_COLUMNS = ("province_code", *(c for cs in FIELD_COLUMNS.values() for c in cs))
DATE_COLUMNS = frozenset({"birth_date"})


def chosen_values(
    survivor: AnyRow, merged: AnyRow, keep: dict[MergeField, MergeSide]
) -> tuple[dict[str, Any], list[MergeField]]:
    """The survivor's new column values, and the fields that take the merged record's value
    and differ from the survivor's."""
    values: dict[str, Any] = {}
    changed = []
    for field, side in sorted(keep.items()):
        if side != MergeSide.MERGED:
            continue
        columns = FIELD_COLUMNS[field]
        if any(getattr(survivor, c) != getattr(merged, c) for c in columns):
            changed.append(field)
            values.update({c: getattr(merged, c) for c in columns})
    return values, changed


def snapshot(row: AnyRow, categories: list[str]) -> dict[str, Any]:
    """The survivor's values a merge may change, JSON-ready."""
    fields = {c: _plain(c, getattr(row, c)) for c in SNAPSHOT_COLUMNS}
    return {"fields": fields, "categories": sorted(categories)}


def restored(fields: dict[str, Any]) -> dict[str, Any]:
    """Column values from a snapshot's fields."""
    return {
        c: date.fromisoformat(v) if c in DATE_COLUMNS and v is not None else v
        for c, v in fields.items()
    }


def _plain(column: str, value: Any) -> Any:
    if column in DATE_COLUMNS and value is not None:
        return value.isoformat()
    return value
