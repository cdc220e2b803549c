"""Query parameters every /stats endpoint shares: for which units, over which dates. Who may
ask is each service's access policy; a caller bound to a province is held to it here.

A plan written on a legacy province (Hải Dương, Bình Định) names it with `legacy_province`.
Some 2025 wards took communes from two legacy provinces; a record in such a ward counts for
the plan when the legacy commune it carries lay in that province, and a record that carries
none counts or not as `shared_wards` says. The numbers say how many such unmarked records
there were, so a report can state how the plan's setting treated them.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import Depends, Query
from pydantic import BaseModel

from shared.admin_units import (
    UnknownLegacyProvince,
    former_district,
    legacy_communes,
    legacy_districts,
    legacy_territory,
    units_2025,
)
from shared.auth import PrincipalDep, Role
from shared.breakdown import UNKNOWN_KEY
from shared.dates import Day
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.labels import CodeOf, codes
from shared.sqlfunc import lookup

SharedPolicy = Literal["include", "exclude"]
SHARED_POLICIES = codes(
    (
        "include",
        "Tính cả hồ sơ không ghi xã cũ ở phường, xã dùng chung",
        "Unmarked records in shared wards count",
    ),
    (
        "exclude",
        "Không tính hồ sơ không ghi xã cũ ở phường, xã dùng chung",
        "Unmarked records in shared wards do not count",
    ),
)
SharedWards = Annotated[
    SharedPolicy, CodeOf("SharedWardsPolicy", SHARED_POLICIES, "shared wards policy")
]


@cache
def _shared_wards(legacy_province: str) -> frozenset[str]:
    return frozenset(legacy_territory(legacy_province).shared_wards)


@cache
def _own_communes_in(legacy_province: str, wards: frozenset[str]) -> tuple[str, ...]:
    """The province's legacy communes whose area went into any of these wards."""
    return tuple(
        sorted(
            c.code
            for c in legacy_communes().values()
            if c.province_code == legacy_province and c.successor_ward_codes & wards
        )
    )


@cache
def _districts(wards: frozenset[str], legacy_province: str | None) -> dict[str, dict[str, str]]:
    """For the former-district breakdown: the district of each legacy commune whose area went
    into these wards (a record carrying one belongs there), and of each ward wholly inside one
    district (a record carrying none belongs there)."""
    communes = {
        commune.code: commune.district_code
        for commune in legacy_communes().values()
        if commune.successor_ward_codes & wards and legacy_province in (None, commune.province_code)
    }
    whole = {
        ward: district
        for ward in wards
        if (district := former_district(ward, legacy_province)) is not None
    }
    return {"communes": communes, "wards": whole}


@dataclass(frozen=True)
class UnitScope:
    province_code: str | None
    ward_codes: tuple[str, ...]
    legacy_province: str | None = None
    shared_policy: SharedPolicy = "include"

    def _wards(self) -> frozenset[str]:
        if self.ward_codes:
            return frozenset(self.ward_codes)
        if self.province_code:
            return frozenset(w.code for w in units_2025().wards_of(self.province_code))
        return frozenset()

    def _shared(self) -> frozenset[str]:
        if self.legacy_province is None:
            return frozenset()
        shared = _shared_wards(self.legacy_province)
        return shared & frozenset(self.ward_codes) if self.ward_codes else shared

    def conditions(
        self, province: sa.ColumnElement[Any], ward: sa.ColumnElement[Any], legacy: Any
    ) -> list[sa.ColumnElement[bool]]:
        """Rows of these columns inside the scope, split wards settled as described above."""
        found: list[sa.ColumnElement[bool]] = []
        if self.province_code:
            found.append(province == self.province_code)
        if self.ward_codes:
            found.append(ward.in_(self.ward_codes))
        if shared := self._shared():
            assert self.legacy_province is not None
            own = _own_communes_in(self.legacy_province, shared)
            found.append(
                sa.or_(
                    ward.not_in(sorted(shared)),
                    legacy.in_(own),
                    sa.and_(legacy.is_(None), sa.literal(self.shared_policy == "include")),
                )
            )
        return found

    def unmarked(self, ward: sa.ColumnElement[Any], legacy: Any) -> sa.ColumnElement[bool]:
        """Rows in a split ward that carry no legacy commune."""
        if not (shared := self._shared()):
            return sa.false()
        return sa.and_(ward.in_(sorted(shared)), legacy.is_(None))

    def places(self, ward: sa.ColumnElement[Any], legacy: Any) -> list[sa.ColumnElement[Any]]:
        """The place breakdowns of people targets, as labelled columns: the current ward, and
        the former district where the scope has a province to tell it from."""
        found: list[sa.ColumnElement[Any]] = [ward.label("ward")]
        if (district := self.former_district(ward, legacy)) is not None:
            found.append(district.label("former_district"))
        return found

    def former_district(
        self, ward: sa.ColumnElement[Any], legacy: Any
    ) -> sa.ColumnElement[str] | None:
        """The legacy district of each row: its own legacy commune's, else its ward's when the
        ward lay wholly in one district, else "unknown". None for a scope without a province."""
        wards = self._wards()
        if not wards:
            return None
        districts = _districts(wards, self.legacy_province)
        by_commune = lookup(legacy, districts["communes"])
        by_ward = sa.case((legacy.is_(None), lookup(ward, districts["wards"])))
        return sa.func.coalesce(by_commune, by_ward, sa.literal(UNKNOWN_KEY))


def _check_wards(ward: list[str]) -> None:
    for code in ward:
        if len(code) != 5 or not code.isdigit():
            raise ValidationFailed(
                [field_error(["query", "ward"], f"'{code}' is not a ward code", "pattern")]
            )


def _check_legacy(code: str | None) -> None:
    if code is None:
        return
    try:
        legacy_territory(code)
    except UnknownLegacyProvince:
        raise ValidationFailed(
            [field_error(["query", "legacy_province"], f"no legacy province {code}", "unknown")]
        ) from None


async def unit_scope(
    principal: PrincipalDep,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$", description="2025 scheme")] = None,
    ward: Annotated[
        list[str], Query(max_length=500, description="Only these 2025 wards (repeatable)")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    legacy_province: Annotated[
        str | None,
        Query(
            pattern=r"^\d{2}$",
            description="A legacy province (before 07/2025) the numbers are for: in wards it "
            "shares with another, only records carrying one of its legacy communes count, "
            "and unmarked ones as shared_wards says",
        ),
    ] = None,
    shared_wards: Annotated[
        SharedWards,
        Query(description="Whether unmarked records in shared wards count (with legacy_province)"),
    ] = "include",
) -> UnitScope:
    _check_wards(ward)
    _check_legacy(legacy_province)
    if not principal.has_role(Role.SERVICE, Role.MINISTRY):
        if province not in (None, principal.province_code):
            raise Forbidden("a province officer sees only its own province")
        province = principal.province_code
    return UnitScope(province, tuple(sorted(set(ward))), legacy_province, shared_wards)


@dataclass(frozen=True)
class DateWindow:
    start: date
    end: date


# Dates the statistics accept: wide enough for any record, narrow enough that date arithmetic
# (ages, reporting years) never leaves the calendar.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
StatsDate = Annotated[Day, Query(ge=FIRST_DAY, le=LAST_DAY)]


async def date_window(
    date_from: Annotated[StatsDate, Query(alias="from", description="First day of the window")],
    date_to: Annotated[StatsDate, Query(alias="to", description="Last day of the window")],
) -> DateWindow:
    if date_to < date_from:
        raise ValidationFailed(
            [field_error(["query", "to"], "must not be before from", "date_order")]
        )
    return DateWindow(date_from, date_to)


UnitScopeDep = Annotated[UnitScope, Depends(unit_scope)]
DateWindowDep = Annotated[DateWindow, Depends(date_window)]


class Keyed(BaseModel):
    """One row of a breakdown: the key, its labels, and the measures."""

    key: str
    label_vi: str | None = None
    label_en: str | None = None


def place_label(dimension: str, key: str) -> tuple[str | None, str | None]:
    """Labels of the place dimensions every service shares: 2025 wards, legacy districts."""
    if key == UNKNOWN_KEY:
        return "Không xác định", "Unknown"
    if dimension == "ward" and (ward := units_2025().wards.get(key)) is not None:
        return ward.name, ward.name
    if dimension == "former_district" and (district := legacy_districts().get(key)) is not None:
        return f"{district.name} (cũ)", f"{district.name} (former)"
    return None, None
