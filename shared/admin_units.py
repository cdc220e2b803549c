"""Vietnam's administrative units, from the maintained `vietnamadminunits` dataset (offline).

Codes are the statistics office's: 2-digit provinces, 5-digit wards/communes. The 2025 scheme
(34 provinces, two tiers) is what records carry; the legacy scheme (63 provinces) is what
older plans were written on.
"""

import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import vietnamadminunits

DATASET = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Ward:
    code: str
    name: str
    province_code: str


@dataclass(frozen=True, slots=True)
class AdminUnits:
    provinces: dict[str, Province]
    wards: dict[str, Ward]

    def wards_of(self, province_code: str) -> list[Ward]:
        return [w for w in self.wards.values() if w.province_code == province_code]


def _rows(sql: str) -> list[sqlite3.Row]:
    # Opened read-only: the dataset ships inside the installed package.
    with sqlite3.connect(f"file:{DATASET}?mode=ro", uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql).fetchall()


@cache
def units_2025() -> AdminUnits:
    rows = _rows("SELECT provinceCode, province, wardCode, ward FROM admin_units ORDER BY wardCode")
    provinces = {r["provinceCode"]: Province(r["provinceCode"], r["province"]) for r in rows}
    wards = {r["wardCode"]: Ward(r["wardCode"], r["ward"], r["provinceCode"]) for r in rows}
    return AdminUnits(provinces=dict(sorted(provinces.items())), wards=wards)
