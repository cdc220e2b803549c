"""Pairs, matches and scans as responses."""

from collections.abc import Sequence
from typing import Any

from services.cases.duplicates.matching import DUPLICATE_REASONS, DuplicateReason, Match
from services.cases.duplicates.scan import ScanCounts
from services.cases.duplicates.schemas import (
    DuplicateCaregiver,
    DuplicateCheckItem,
    DuplicateFields,
    DuplicateMatch,
    DuplicatePerson,
    DuplicatePersonBrief,
    DuplicateRead,
    DuplicateRowMatch,
    DuplicateScanResult,
    DuplicateSummary,
    ReasonRead,
)
from services.cases.duplicates.service import BRIEF_COLUMNS, FoundMatch
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from shared.db import AnyRow


def reasons_read(codes: Sequence[str]) -> list[ReasonRead]:
    reasons = [DuplicateReason(code) for code in codes]
    return [
        ReasonRead(
            code=r, label_vi=DUPLICATE_REASONS[r].label_vi, label_en=DUPLICATE_REASONS[r].label_en
        )
        for r in reasons
    ]


def _side(row: Any, side: str, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, f"{side}_{name}") for name in names}


def _fields(row: AnyRow) -> dict[str, Any]:
    names = [n for n in DuplicateFields.model_fields if n != "reasons"]
    return {**{n: getattr(row, n) for n in names}, "reasons": reasons_read(row.reasons)}


def duplicate_summary(row: AnyRow) -> DuplicateSummary:
    return DuplicateSummary(
        **_fields(row),
        person_a=DuplicatePersonBrief(**_side(row, "a", BRIEF_COLUMNS)),
        person_b=DuplicatePersonBrief(**_side(row, "b", BRIEF_COLUMNS)),
    )


def _person(row: AnyRow, side: str) -> DuplicatePerson:
    values = _side(row, side, [*BRIEF_COLUMNS, "national_id", "phone", "legacy_ward_code"])
    listed = getattr(row, f"{side}_category_codes")
    categories = sorted(listed.split(",")) if listed else []
    return DuplicatePerson(
        **values,
        address_line=getattr(row, f"{side}_address_line"),
        caregivers=[
            DuplicateCaregiver(
                full_name=c["full_name"], relationship=c["relationship"], phone=c.get("phone")
            )
            for c in getattr(row, f"{side}_caregivers") or []
        ],
        categories=[c for c in categories if c not in SENSITIVE_CATEGORIES],
        archived=getattr(row, f"{side}_archived_at") is not None,
        created_by=getattr(row, f"{side}_created_by"),
        created_at=getattr(row, f"{side}_created_at"),
    )


def duplicate_read(row: AnyRow) -> DuplicateRead:
    return DuplicateRead(**_fields(row), person_a=_person(row, "a"), person_b=_person(row, "b"))


def scan_result(counts: ScanCounts) -> DuplicateScanResult:
    names = DuplicateScanResult.model_fields
    return DuplicateScanResult(**{name: getattr(counts, name) for name in names})


def _match_reasons(found: Match) -> list[ReasonRead]:
    return reasons_read([r.value for r in found.reasons])


def check_item(
    index: int, matches: Sequence[FoundMatch], others: Sequence[tuple[int, Match]]
) -> DuplicateCheckItem:
    return DuplicateCheckItem(
        row=index,
        matches=[
            DuplicateMatch(
                person=DuplicatePersonBrief(**{n: getattr(f.person, n) for n in BRIEF_COLUMNS}),
                score=f.match.score,
                reasons=_match_reasons(f.match),
            )
            for f in matches
        ],
        other_rows=[
            DuplicateRowMatch(row=j, score=m.score, reasons=_match_reasons(m)) for j, m in others
        ],
    )
