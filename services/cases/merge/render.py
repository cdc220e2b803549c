"""Merge records as responses: what was decided and moved, never the values themselves (the
survivor's former values may be sensitive; its history shows them to whoever may see them)."""

from services.cases.merge.schemas import MovedRows, PersonMergeRead
from shared.db import AnyRow


def merge_read(row: AnyRow) -> PersonMergeRead:
    moved = MovedRows(
        cases=row.moved["case_file"],
        service_deliveries=row.moved["service_delivery"],
        access_log_entries=len(row.moved["access_log"]),
    )
    fields = {k: getattr(row, k) for k in PersonMergeRead.model_fields if k not in ("moved",)}
    return PersonMergeRead(**fields, moved=moved)
