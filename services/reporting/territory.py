"""The territory a plan covers, as the 2025 units records carry.

A plan on a legacy province (Hải Dương, Bình Định) covers the current wards its former
communes became. A ward that also took communes from another legacy province is shared: a
record there counts when the legacy commune it carries lay in the plan's province, and a
record that carries none counts as the plan says (`include`, the default, or `exclude`). The
sources settle this (their `legacy_province` and `shared_wards` parameters) and say how many
unmarked records there were.
"""

from dataclasses import dataclass, field
from typing import Annotated, Literal

from shared.admin_units import UnknownLegacyProvince, legacy_territory, units_2025
from shared.errors import ValidationFailed, field_error
from shared.labels import CodeOf, codes
from shared.stats import SharedPolicy
from shared.stats import SharedWards as SharedWards  # the plans' and reports' field

Scheme = Literal["legacy", "2025", "national"]
ProvinceScheme = Literal["legacy", "2025"]
SCHEMES = codes(
    ("legacy", "Đơn vị hành chính trước 01/07/2025", "Administrative units before 1 July 2025"),
    ("2025", "Đơn vị hành chính từ 01/07/2025", "Administrative units from 1 July 2025"),
    ("national", "Toàn quốc", "The whole country"),
)
# Literal for the type checker (routers pass these values along); named, with labels, in documents.
TerritoryScheme = Annotated[Scheme, CodeOf("TerritoryScheme", SCHEMES, "territory scheme")]
ProvinceSchemeCode = Annotated[
    ProvinceScheme,
    CodeOf(
        "ProvinceScheme",
        {code: SCHEMES[code] for code in ("legacy", "2025")},
        "scheme of a province code",
    ),
]


@dataclass(frozen=True)
class Territory:
    scheme: Scheme
    code: str | None
    name: str
    province_code: str | None  # in the 2025 scheme; None for the whole country
    ward_codes: tuple[str, ...] = ()  # empty: the whole province
    shared_wards: dict[str, list[str]] = field(default_factory=dict)
    shared_policy: SharedPolicy = "include"

    def params(self) -> list[tuple[str, str]]:
        params = [("province", self.province_code)] if self.province_code else []
        params += [("ward", code) for code in self.ward_codes]
        if self.scheme == "legacy" and self.code:
            params += [("legacy_province", self.code), ("shared_wards", self.shared_policy)]
        return params


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", "territory"], message, "territory")])


def resolve(scheme: Scheme, code: str | None, policy: SharedPolicy = "include") -> Territory:
    if scheme == "national":
        return Territory("national", None, "Toàn quốc", None)
    if scheme == "2025":
        province = units_2025().provinces.get(code or "")
        if province is None:
            raise _invalid(f"no province {code} in the 2025 scheme")
        return Territory("2025", province.code, province.name, province.code)
    try:
        legacy = legacy_territory(code or "")
    except UnknownLegacyProvince:
        raise _invalid(f"no legacy province {code}") from None
    if len(legacy.current_province_codes) != 1:
        raise _invalid(f"legacy province {code} spans several current provinces")
    shared = {ward: sorted(others) for ward, others in legacy.shared_wards.items()}
    return Territory(
        "legacy",
        legacy.legacy_code,
        legacy.legacy_name,
        next(iter(legacy.current_province_codes)),
        tuple(sorted(legacy.ward_codes)),
        shared,
        policy,
    )
