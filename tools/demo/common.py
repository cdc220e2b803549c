"""Dates, money and places every demo generator shares.

Province 31 (2025 scheme) joined the former Hải Dương (legacy 30) and Hải Phòng (legacy 31);
the demo puts about 60% of everything in former-Hải-Dương wards so that reports split by
legacy territory have something on both sides.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Literal

from shared.admin_units import legacy_territory, units_2025

PROVINCE = "31"
FIRST_DAY = date(2020, 12, 15)  # the earliest service the demo records
HAI_DUONG_SHARE = 0.6

Part = Literal["hd", "hp"]
_LEVELS = ("phường", "xã", "đặc khu")


@dataclass(frozen=True, slots=True)
class Place:
    ward_code: str
    ward_name: str  # "Phường Hồng Bàng", "Xã Tứ Kỳ", "Đặc khu Cát Hải"
    part: Part

    @property
    def level(self) -> str:
        """The unit's level as it reads inside a name: phường, xã or đặc khu."""
        return next(p for p in _LEVELS if self.ward_name.lower().startswith(p))

    @property
    def short_name(self) -> str:
        return self.ward_name[len(self.level) + 1 :]

    @property
    def is_urban(self) -> bool:
        return self.ward_name.startswith("Phường")


@cache
def places() -> dict[Part, tuple[Place, ...]]:
    """The 2025 wards of province 31 by legacy part. Wards that took communes from both
    parts are left out: they would blur the 60/40 split."""
    hd = legacy_territory("30").ward_codes
    hp = legacy_territory("31").ward_codes
    wards = units_2025().wards

    def of(part: Part, codes: frozenset[str]) -> tuple[Place, ...]:
        return tuple(Place(c, wards[c].name, part) for c in sorted(codes - (hd & hp)))

    return {"hd": of("hd", hd), "hp": of("hp", hp)}


def pick_part(rng: random.Random) -> Part:
    return "hd" if rng.random() < HAI_DUONG_SHARE else "hp"


def pick_place(rng: random.Random, part: Part | None = None, *, urban: bool = False) -> Place:
    candidates = places()[part or pick_part(rng)]
    return rng.choice([p for p in candidates if p.is_urban] if urban else candidates)


def address_line(rng: random.Random, place: Place) -> str:
    if place.is_urban:
        return f"Số {rng.randint(1, 199)}, tổ dân phố {rng.randint(1, 25)}"
    return f"Thôn {rng.choice(['Đông', 'Tây', 'Nam', 'Bắc', 'Thượng', 'Hạ'])} {rng.randint(1, 9)}"


def random_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def birthday_years_ago(today: date, years: int) -> date:
    """The date `years` before today (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def birth_date_for_age(rng: random.Random, today: date, age: int) -> date:
    """A birth date that makes someone exactly `age` years old today."""
    latest = birthday_years_ago(today, age)
    return random_date(rng, birthday_years_ago(today, age + 1) + timedelta(days=1), latest)


def round_vnd(amount: float, step: int = 10_000) -> int:
    return round(amount / step) * step


def weighted(rng: random.Random, table: Mapping[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def national_id(province_prefix: str, sex: str, birth: date, serial: int) -> str:
    """A CCCD: province of birth (3), century and sex (1), year (2), serial (6). Serials are
    handed out by the caller so every ID in the demo is unique."""
    century = 0 if birth.year < 2000 else 2
    return f"{province_prefix}{century + (sex == 'female')}{birth.year % 100:02d}{serial:06d}"


MOBILE_PREFIXES = (
    "090", "091", "093", "094", "096", "097", "098", "032", "033", "034",
    "035", "036", "037", "038", "039", "081", "083", "088",
)  # fmt: skip


def phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
