"""Sheets as provinces send them, of any size, for the import benchmark and tests: workers
(with their positions) and people, with the Vietnamese headers, dd/mm/yyyy dates and labels
people type, written as CSV straight to a file."""

import csv
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bench.seed_cases import FAMILY, GIVEN, MIDDLE
from services.cases.importing.columns import PERSON_COLUMNS
from services.workforce.importing.columns import WORKER_COLUMNS

WORKER_HEADERS = [c.header for c in WORKER_COLUMNS]
POSITIONS = ["Chuyên trách", "Cộng tác viên", "Tình nguyện viên", "part_time"]


def _name(rng: random.Random, sex: str) -> str:
    middle = "Thị" if sex == "Nữ" and rng.random() < 0.6 else rng.choice(MIDDLE)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def worker_rows(
    count: int, facility_codes: Sequence[str], *, first_id: int = 0, seed: int = 11
) -> list[list[str]]:
    """`count` rows, one worker each with a position at one of `facility_codes`; national
    IDs 0319xxxxxxxx counted from `first_id`, so that runs can be kept apart."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        sex = rng.choice(["Nam", "Nữ"])
        start = date(2019, 1, 1) + timedelta(days=rng.randint(0, 2000))
        rows.append(
            [
                _name(rng, sex),
                sex,
                _day(date(1965, 1, 1) + timedelta(days=rng.randint(0, 13000))),
                f"0319{first_id + i:08d}",
                f"09{rng.randint(0, 99_999_999):08d}",
                "",
                rng.choice(["Trung cấp", "Đại học", "Chưa qua đào tạo CTXH"]),
                "",
                rng.choice(facility_codes),
                rng.choice(POSITIONS),
                rng.choice(["Có", "Có", "Không"]),
                _day(start),
                "",
                f"{rng.randint(5, 60) * 100_000:,}".replace(",", "."),
            ]
        )
    return rows


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


PERSON_HEADERS = [c.header for c in PERSON_COLUMNS]
CHILD_CATEGORIES = [
    "Trẻ em mồ côi không nơi nương tựa",
    "abandoned_child",
    "child_lost_parental_care",
]
ADULT_CATEGORIES = [
    "older_person",
    "Người thuộc hộ nghèo",
    "person_with_disability; poor_household",
]


def person_rows(
    count: int, wards: Sequence[str], *, first_id: int = 0, seed: int = 13
) -> list[list[str]]:
    """`count` people of `wards`: children with a caregiver and no ID card, adults with one
    (national IDs 0319xxxxxxxx counted from `first_id`), each in a category or two."""
    rng = random.Random(seed)
    today = date(2025, 6, 30)
    rows = []
    for i in range(count):
        sex = rng.choice(["Nam", "Nữ"])
        child = rng.random() < 0.45
        age_days = rng.randint(0, 15 * 365) if child else rng.randint(18 * 365, 90 * 365)
        caregiver = [_name(rng, "Nữ"), "mẹ", f"09{rng.randint(0, 99_999_999):08d}"]
        rows.append(
            [
                _name(rng, sex),
                sex,
                _day(today - timedelta(days=age_days)),
                "",
                "" if child else f"0319{first_id + i:08d}",
                "",
                "" if child else f"09{rng.randint(0, 99_999_999):08d}",
                rng.choice(wards),
                "",
                f"Thôn {rng.randint(1, 12)}",
                rng.choice(CHILD_CATEGORIES if child else ADULT_CATEGORIES),
                "",
                "",
                *(caregiver if child else ["", "", ""]),
            ]
        )
    return rows
