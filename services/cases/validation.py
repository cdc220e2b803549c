"""Field rules shared by the cases schemas: codes must exist, dates must be possible."""

from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt, ValidationInfo

from contracts.categories import CategoryCode as CategoryCode
from services.cases.reference.codes import FUNDING_SOURCES, SERVICE_TYPES
from shared import values
from shared.admin_units import legacy_communes, units_2025
from shared.labels import CodeOf
from shared.values import NationalId as NationalId
from shared.values import PastDate as PastDate
from shared.values import Phone as Phone
from shared.values import WardCode as WardCode


def _unique_categories(values: list[str]) -> list[str]:
    return sorted(set(values))


ServiceTypeCode = Annotated[str, CodeOf("ServiceType", SERVICE_TYPES, "service type")]
FundingSourceCode = Annotated[str, CodeOf("FundingSource", FUNDING_SOURCES, "funding source")]
Categories = Annotated[list[CategoryCode], Field(max_length=20), AfterValidator(_unique_categories)]
ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", description="2025 scheme")]
# What a service delivered to a person cost, in đồng.
AmountVnd = Annotated[StrictInt, Field(ge=0, le=10_000_000_000, description="Amount in đồng")]


def check_ward(ward_code: str | None, info: ValidationInfo) -> str | None:
    """The ward must exist in the 2025 scheme and lie in province_code when one is given."""
    if ward_code is None:
        return None
    ward = units_2025().wards[values.known_ward(ward_code)]
    province = info.data.get("province_code")
    if province is not None and ward.province_code != province:
        raise ValueError(f"ward {ward_code} is not in province {province}")
    return ward_code


def check_province(code: str | None) -> str | None:
    if code is not None and code not in units_2025().provinces:
        raise ValueError(f"unknown province code '{code}' (2025 scheme)")
    return code


def check_legacy_ward(legacy: str | None, info: ValidationInfo) -> str | None:
    """A legacy commune must exist and be one whose area went into the ward given with it."""
    if legacy is None:
        return None
    commune = legacy_communes()[values.known_legacy_commune(legacy)]
    ward = info.data.get("ward_code")
    if ward is not None and ward not in commune.successor_ward_codes:
        raise ValueError(f"commune {legacy} did not go into ward {ward}")
    return legacy


LegacyWardCode = Annotated[
    values.LegacyWardCode,
    Field(
        description="The commune (before 07/2025) the person lived in; it must have gone "
        "into ward_code. Needed only where the ward took communes of two former provinces",
    ),
]
