"""Vietnam's administrative units, from the maintained `vietnamadminunits` dataset (offline).

Codes are the statistics office's: 2-digit provinces, 5-digit wards/communes. The 2025 scheme
(34 provinces, two tiers) is what records carry; the legacy scheme (63 provinces) is what
older plans were written on.
"""

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import vietnamadminunits

DATASET = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
CONVERTER = DATASET.with_name("converter_2025.json")


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


class UnknownLegacyProvince(LookupError):
    """A legacy province code the dataset does not know; a typo must not read as an empty area."""


@dataclass(frozen=True, slots=True)
class LegacyTerritory:
    """The 2025 wards that now hold a legacy province's former communes.

    A plan written on a legacy province covers these wards. `shared_wards` names, for each ward
    that also took communes from other legacy provinces, those other provinces: counting such a
    ward in full for this province over-counts. `unmapped_legacy_wards` lists legacy communes the
    converter does not place; it is empty for every province in the shipped data. The island
    districts that had no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) count as a
    commune of their own and would appear there by their 3-digit district code.
    """

    legacy_code: str
    legacy_name: str
    current_province_codes: frozenset[str]
    ward_codes: frozenset[str]
    shared_wards: Mapping[str, frozenset[str]]
    unmapped_legacy_wards: frozenset[str]


@dataclass(frozen=True, slots=True)
class _LegacyCommune:
    province_code: str
    code: str
    district_code: str


@dataclass(frozen=True, slots=True)
class LegacyCommune:
    """A commune (xã, phường, thị trấn) as it was before 01/07/2025, and the 2025 wards its
    area went into (more than one when it was divided)."""

    code: str
    name: str
    province_code: str
    district_code: str
    successor_ward_codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class LegacyDistrict:
    code: str
    name: str
    province_code: str


@cache
def legacy_provinces() -> dict[str, Province]:
    rows = _rows(
        "SELECT DISTINCT provinceCode, province FROM admin_units_legacy ORDER BY provinceCode"
    )
    return {r["provinceCode"]: Province(r["provinceCode"], r["province"]) for r in rows}


@cache
def _legacy_communes() -> dict[str, _LegacyCommune]:
    """Legacy communes by the converter's "province_district_ward" key.

    An island district without communes has a NULL ward in the dataset and an empty ward part in
    the converter's key, so it stands in for its own commune under its district code.
    """
    rows = _rows(
        "SELECT provinceCode, provinceKey, districtCode, districtKey, wardCode, wardKey"
        " FROM admin_units_legacy"
    )
    return {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": _LegacyCommune(
            r["provinceCode"], r["wardCode"] or r["districtCode"], r["districtCode"]
        )
        for r in rows
    }


@cache
def _current_ward_codes() -> dict[tuple[str, str], str]:
    """2025 ward codes by (2025 province key, ward key), which is how the converter names them.

    Ward keys repeat across provinces, and a province key can mean different provinces in the two
    schemes ("tinhgialai" is legacy 64 but 2025's 52), so new wards resolve only in this table.
    """
    rows = _rows("SELECT provinceKey, wardKey, wardCode FROM admin_units")
    return {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in rows}


@cache
def _successors() -> dict[str, frozenset[str]]:
    """The 2025 wards each legacy commune went into, by the commune's converter key.

    A divided commune counts toward every ward that received part of it, not only its default
    one, because its people now live in all of them. Upstream lists the same parts for communes of
    the same name within one new province (Xã Hòa Bình of Kim Thành and of Vĩnh Bảo both split
    three ways), which is where most cross-province `shared_wards` come from.
    """
    converter = json.loads(CONVERTER.read_text(encoding="utf-8"))
    wards = _current_ward_codes()
    successors: defaultdict[str, set[str]] = defaultdict(set)
    for province_key, merged in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, legacy_keys in merged.items():
            for legacy_key in legacy_keys:
                successors[legacy_key].add(wards[province_key, ward_key])
    for province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for legacy_key, parts in divided.items():
            successors[legacy_key].update(wards[province_key, p["newWardKey"]] for p in parts)
    return {key: frozenset(codes) for key, codes in successors.items()}


@cache
def _contributors() -> dict[str, frozenset[str]]:
    """The legacy provinces whose communes went into each 2025 ward."""
    successors = _successors()
    contributors: defaultdict[str, set[str]] = defaultdict(set)
    for key, commune in _legacy_communes().items():
        for ward_code in successors.get(key, ()):
            contributors[ward_code].add(commune.province_code)
    return {ward_code: frozenset(codes) for ward_code, codes in contributors.items()}


@cache
def legacy_territory(legacy_province_code: str) -> LegacyTerritory:
    province = legacy_provinces().get(legacy_province_code)
    if province is None:
        raise UnknownLegacyProvince(f"no legacy province with code {legacy_province_code!r}")
    successors = _successors()
    communes = {
        key: commune
        for key, commune in _legacy_communes().items()
        if commune.province_code == legacy_province_code
    }
    ward_codes = frozenset(w for key in communes for w in successors.get(key, ()))
    contributors = _contributors()
    shared_wards = {
        ward_code: others
        for ward_code in sorted(ward_codes)
        if (others := contributors[ward_code] - {legacy_province_code})
    }
    current = units_2025().wards
    return LegacyTerritory(
        legacy_code=province.code,
        legacy_name=province.name,
        current_province_codes=frozenset(current[w].province_code for w in ward_codes),
        ward_codes=ward_codes,
        shared_wards=MappingProxyType(shared_wards),
        unmapped_legacy_wards=frozenset(
            commune.code for key, commune in communes.items() if key not in successors
        ),
    )


@cache
def legacy_communes() -> dict[str, LegacyCommune]:
    """Every legacy commune by its code, with the 2025 wards it went into."""
    names = {
        r["wardCode"] or r["districtCode"]: r["ward"] or r["district"]
        for r in _rows("SELECT districtCode, district, wardCode, ward FROM admin_units_legacy")
    }
    successors = _successors()
    return {
        commune.code: LegacyCommune(
            commune.code,
            names[commune.code],
            commune.province_code,
            commune.district_code,
            successors.get(key, frozenset()),
        )
        for key, commune in _legacy_communes().items()
    }


@cache
def legacy_districts() -> dict[str, LegacyDistrict]:
    rows = _rows("SELECT DISTINCT districtCode, district, provinceCode FROM admin_units_legacy")
    return {
        r["districtCode"]: LegacyDistrict(r["districtCode"], r["district"], r["provinceCode"])
        for r in rows
    }


@cache
def _predecessors() -> dict[str, frozenset[LegacyCommune]]:
    found: defaultdict[str, set[LegacyCommune]] = defaultdict(set)
    for commune in legacy_communes().values():
        for ward_code in commune.successor_ward_codes:
            found[ward_code].add(commune)
    return {ward_code: frozenset(communes) for ward_code, communes in found.items()}


def predecessors(
    ward_code: str, legacy_province_code: str | None = None
) -> frozenset[LegacyCommune]:
    """The legacy communes whose area went into a 2025 ward (only one legacy province's when
    given: what a plan on that province sees of a ward it shares)."""
    communes = _predecessors().get(ward_code, frozenset())
    if legacy_province_code is None:
        return communes
    return frozenset(c for c in communes if c.province_code == legacy_province_code)


def former_district(ward_code: str, legacy_province_code: str | None = None) -> str | None:
    """The one legacy district a ward's area came from, or None when it took communes of
    several (then only a record's own legacy commune can tell)."""
    districts = {c.district_code for c in predecessors(ward_code, legacy_province_code)}
    return districts.pop() if len(districts) == 1 else None
