"""What clients send and receive for facilities."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationInfo

from services.workforce.reference.codes import FacilityKind, Ownership, Sector
from services.workforce.validation import (
    FacilityName,
    LegacyWardCode,
    ServiceCode,
    WageRegion,
    WardCode,
    check_legacy_ward,
)
from shared.dates import Day
from shared.pagination import Page
from shared.values import left_out

OverrideReason = Annotated[
    str,
    Field(
        min_length=3,
        max_length=300,
        description="Why the facility's region differs from its ward's (recorded in history)",
    ),
]


def _after_start(end: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get("active_from")
    if end and start and end < start:
        raise ValueError("must not be before active_from")
    return end


def _went_into_ward(legacy: str | None, info: ValidationInfo) -> str | None:
    check_legacy_ward(info.data.get("ward_code"), legacy)
    return legacy


def _reason_with_override(reason: str | None, info: ValidationInfo) -> str | None:
    if "wage_region_override" in info.data and (
        (info.data["wage_region_override"] is None) != (reason is None)
    ):
        raise ValueError("an override needs a reason, and a reason an override")
    return reason


class FacilityFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, examples=["31-BTXH-001"])
    name: FacilityName
    kind: FacilityKind
    sector: Sector
    ownership: Ownership = Ownership.PUBLIC
    in_sector: StrictBool = Field(default=False, description="Under the state management of CTXH")
    in_network_plan: StrictBool = Field(
        default=False, description="In the network plan (quy hoạch)"
    )
    provides_services: StrictBool = Field(default=False, description="Provides CTXH services")
    services: list[ServiceCode] = Field(default_factory=list, max_length=20)
    ward_code: WardCode
    legacy_ward_code: Annotated[LegacyWardCode | None, AfterValidator(_went_into_ward)] = None
    wage_region_override: WageRegion | None = Field(
        default=None,
        description="Only when the region the ward has on a date is not the facility's; "
        "otherwise the region comes from GET /ward-wage-regions",
    )
    wage_region_override_reason: Annotated[
        OverrideReason | None, AfterValidator(_reason_with_override)
    ] = Field(default=None, validate_default=True)
    address_line: str | None = Field(default=None, max_length=300)
    active_from: Day | None = None
    active_to: Annotated[Day | None, AfterValidator(_after_start)] = Field(
        default=None, description="Closing date: its open positions end on it"
    )


class FacilityCreate(FacilityFields):
    """A facility; its province is the ward's."""


class FacilityUpdate(BaseModel):
    """Only the fields sent change; what a facility must have may be left out but not
    cleared (null is a 422)."""

    model_config = ConfigDict(extra="forbid")

    name: FacilityName = left_out()
    kind: FacilityKind = left_out()
    sector: Sector = left_out()
    ownership: Ownership = left_out()
    in_sector: StrictBool = left_out()
    in_network_plan: StrictBool = left_out()
    provides_services: StrictBool = left_out()
    services: list[ServiceCode] = left_out(max_length=20)
    ward_code: WardCode = left_out()
    legacy_ward_code: LegacyWardCode | None = None
    wage_region_override: WageRegion | None = Field(
        default=None, description="Send null (with no reason) to go back to the ward's region"
    )
    wage_region_override_reason: OverrideReason | None = None
    address_line: str | None = Field(default=None, max_length=300)
    active_from: Day | None = None
    active_to: Day | None = Field(
        default=None, description="Closing date: its open positions end on it"
    )


class FacilityRead(BaseModel):
    id: UUID
    code: str
    name: str
    kind: FacilityKind
    sector: Sector
    ownership: Ownership
    in_sector: bool
    in_network_plan: bool
    provides_services: bool
    services: list[ServiceCode]
    wage_region_override: int | None
    wage_region_override_reason: str | None
    province_code: str
    ward_code: str
    legacy_ward_code: str | None
    address_line: str | None
    active_from: date | None
    active_to: date | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


FacilityPage = Page[FacilityRead]
