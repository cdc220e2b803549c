"""Whether two records are likely one person: a score out of 100 and the reasons for it.

Pure: no database, no clock. The batch scan (`scan.py`), the check of would-be people
(`service.check_rows`) and their tests all decide with `match`, so the rules live here once.

A pair is:
- two records with the same national ID (CCCD), always (score 100); two *different*
  national IDs are two citizens, never a pair;
- otherwise the same folded name (`shared.text.search_key`: case, diacritics, đ/d, spacing
  and NFC/NFD differences fold away) AND birth dates that match, are near or have day and
  month transposed AND at least one more piece of evidence: the same ward, a caregiver in
  common (same folded name or same phone) or the same phone.

A common name and a birth date (or year) alone are not enough: "Nguyễn Văn An" born in
2015 is many children in one province. Names differing in their middle names ("Nguyễn An"
and "Nguyễn Văn An") are not matched: the family and given names alone are shared by too
many people to keep the queue worth reading. Sex does not decide either way: the reviewer
sees it side by side.

"Near" is within NEAR_DAYS days for recorded dates (a mistyped day), and within one year
of each other when either date is an estimate (`birth_date_estimated`: often only the year
was known, written as 01/01). Every rule keeps the birth years at most one apart, which is
what lets the scan block people by name and birth year (scan.py).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from shared.labels import LabelledEnum, labelled
from shared.text import search_key

NEAR_DAYS = 7
ESTIMATED_YEARS = 1
MAX_SCORE = 100


class DuplicateReason(LabelledEnum):
    """Why two records look like one person."""

    SAME_NATIONAL_ID = "same_national_id"
    SAME_NAME = "same_name"
    SAME_BIRTH_DATE = "same_birth_date"
    BIRTH_DATE_DAY_MONTH_SWAPPED = "birth_date_day_month_swapped"
    BIRTH_DATE_NEAR = "birth_date_near"
    SAME_WARD = "same_ward"
    SHARED_CAREGIVER = "shared_caregiver"
    SAME_PHONE = "same_phone"


DUPLICATE_REASONS = labelled(
    DuplicateReason,
    (DuplicateReason.SAME_NATIONAL_ID, "Trùng số CCCD", "Same national ID (CCCD)"),
    (
        DuplicateReason.SAME_NAME,
        "Trùng họ tên (không kể dấu, chữ hoa, khoảng trắng)",
        "Same name (ignoring accents, case and spacing)",
    ),
    (DuplicateReason.SAME_BIRTH_DATE, "Trùng ngày sinh", "Same date of birth"),
    (
        DuplicateReason.BIRTH_DATE_DAY_MONTH_SWAPPED,
        "Ngày sinh bị đảo ngày và tháng",
        "Date of birth with day and month swapped",
    ),
    (DuplicateReason.BIRTH_DATE_NEAR, "Ngày sinh gần nhau", "Dates of birth close together"),
    (DuplicateReason.SAME_WARD, "Cùng xã, phường", "Same ward"),
    (DuplicateReason.SHARED_CAREGIVER, "Có chung người chăm sóc", "A caregiver in common"),
    (DuplicateReason.SAME_PHONE, "Trùng số điện thoại", "Same phone number"),
)

# What each reason adds. The least a pair can show (name, a near date, one piece of
# evidence) is 60; the same date, ward and caregiver reach 100.
WEIGHTS = {
    DuplicateReason.SAME_NATIONAL_ID: MAX_SCORE,
    DuplicateReason.SAME_NAME: 30,
    DuplicateReason.SAME_BIRTH_DATE: 35,
    DuplicateReason.BIRTH_DATE_DAY_MONTH_SWAPPED: 25,
    DuplicateReason.BIRTH_DATE_NEAR: 15,
    DuplicateReason.SAME_WARD: 15,
    DuplicateReason.SHARED_CAREGIVER: 20,
    DuplicateReason.SAME_PHONE: 25,
}


@dataclass(frozen=True)
class Facts:
    """What matching looks at, for a stored person or a would-be one."""

    name_key: str
    birth_date: date | None
    birth_date_estimated: bool
    ward_code: str | None
    national_id: str | None
    phone: str | None
    caregiver_names: frozenset[str]
    caregiver_phones: frozenset[str]
    id: UUID | None = None


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[DuplicateReason, ...]


_NOT_DIGITS = re.compile(r"\D")


def phone_key(phone: str | None) -> str | None:
    """+84 912 345 678 and 0912345678 are one number."""
    if not phone:
        return None
    digits = _NOT_DIGITS.sub("", phone)
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits or None


def facts(
    *,
    full_name: str,
    birth_date: date | None,
    birth_date_estimated: bool = False,
    ward_code: str | None = None,
    national_id: str | None = None,
    phone: str | None = None,
    caregivers: Iterable[Mapping[str, Any]] = (),
    id: UUID | None = None,
    name_key: str | None = None,
) -> Facts:
    """`name_key`, when the caller has folded the name already (search_key(full_name))."""
    caregivers = list(caregivers)
    names = {search_key(c.get("full_name") or "") for c in caregivers}
    phones = {phone_key(c.get("phone")) for c in caregivers}
    return Facts(
        name_key=name_key if name_key is not None else search_key(full_name),
        birth_date=birth_date,
        birth_date_estimated=birth_date_estimated,
        ward_code=ward_code,
        national_id=national_id or None,
        phone=phone_key(phone),
        caregiver_names=frozenset(n for n in names if n),
        caregiver_phones=frozenset(p for p in phones if p),
        id=id,
    )


def _swapped(a: date, b: date) -> bool:
    return a.year == b.year and a.day == b.month and a.month == b.day and a.day != a.month


def birth_date_reason(a: Facts, b: Facts) -> DuplicateReason | None:
    """How the two birth dates agree, if they do."""
    if a.birth_date is None or b.birth_date is None:
        return None
    if a.birth_date == b.birth_date:
        return DuplicateReason.SAME_BIRTH_DATE
    if _swapped(a.birth_date, b.birth_date):
        return DuplicateReason.BIRTH_DATE_DAY_MONTH_SWAPPED
    if a.birth_date_estimated or b.birth_date_estimated:
        near = abs(a.birth_date.year - b.birth_date.year) <= ESTIMATED_YEARS
    else:
        near = abs((a.birth_date - b.birth_date).days) <= NEAR_DAYS
    return DuplicateReason.BIRTH_DATE_NEAR if near else None


def evidence(a: Facts, b: Facts) -> list[DuplicateReason]:
    """What else the two records share."""
    found = []
    if a.ward_code and a.ward_code == b.ward_code:
        found.append(DuplicateReason.SAME_WARD)
    names = a.caregiver_names & b.caregiver_names
    if names or a.caregiver_phones & b.caregiver_phones:
        found.append(DuplicateReason.SHARED_CAREGIVER)
    if a.phone and a.phone == b.phone:
        found.append(DuplicateReason.SAME_PHONE)
    return found


def _score(reasons: list[DuplicateReason]) -> int:
    return min(MAX_SCORE, sum(WEIGHTS[r] for r in reasons))


def match(a: Facts, b: Facts) -> Match | None:
    """The pair's score and reasons, or None when the two are not likely one person."""
    same_name = bool(a.name_key) and a.name_key == b.name_key
    if a.national_id and b.national_id:
        if a.national_id != b.national_id:
            return None  # two national IDs are two citizens
        reasons = [DuplicateReason.SAME_NATIONAL_ID]
        if same_name:
            reasons.append(DuplicateReason.SAME_NAME)
        dates = birth_date_reason(a, b)
        reasons += ([dates] if dates else []) + evidence(a, b)
        return Match(MAX_SCORE, tuple(reasons))
    # Cheapest first: an import compares each row with every namesake of its file.
    if not same_name or (dates := birth_date_reason(a, b)) is None:
        return None
    if not (others := evidence(a, b)):
        return None
    reasons = [DuplicateReason.SAME_NAME, dates, *others]
    return Match(_score(reasons), tuple(reasons))


def within(rows: Sequence[Facts]) -> list[list[tuple[int, Match]]]:
    """For each row, the other rows of the same batch it looks like: compared only with
    rows of the same name or national ID, as the scan blocks people."""
    blocks: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(rows):
        blocks.setdefault(("name", row.name_key), []).append(index)
        if row.national_id:
            blocks.setdefault(("national_id", row.national_id), []).append(index)
    pairs = {(i, j) for block in blocks.values() for i in block for j in block if i != j}
    found: list[list[tuple[int, Match]]] = [[] for _ in rows]
    for i, j in sorted(pairs):
        if (matched := match(rows[i], rows[j])) is not None:
            found[i].append((j, matched))
    return found
