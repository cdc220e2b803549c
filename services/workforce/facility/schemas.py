"""What clients send and receive for facilities."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from services.workforce.reference.codes import FacilityKind, Ownership, Sector
from services.workforce.validation import Name, ServiceCode, WageRegion, WardCode
from shared.pagination import Page


def _after_start(end: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get("active_from")
    if end and start and end < start:
        raise ValueError("must not be before active_from")
    return end


class FacilityFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, examples=["31-BTXH-001"])
    name: Name
    kind: FacilityKind
    sector: Sector
    ownership: Ownership = Ownership.PUBLIC
    in_sector: bool = Field(default=False, description="Under the state management of CTXH")
    in_network_plan: bool = Field(default=False, description="In the network plan (quy hoạch)")
    provides_services: bool = Field(default=False, description="Provides CTXH services")
    services: list[ServiceCode] = Field(default_factory=list, max_length=20)
    wage_region: WageRegion
    ward_code: WardCode
    address_line: str | None = Field(default=None, max_length=300)
    active_from: date | None = None
    active_to: Annotated[date | None, AfterValidator(_after_start)] = None


class FacilityCreate(FacilityFields):
    """A facility; its province is the ward's."""


class FacilityUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: FacilityKind | None = None
    sector: Sector | None = None
    ownership: Ownership | None = None
    in_sector: bool | None = None
    in_network_plan: bool | None = None
    provides_services: bool | None = None
    services: list[ServiceCode] | None = Field(default=None, max_length=20)
    wage_region: WageRegion | None = None
    ward_code: WardCode | None = None
    address_line: str | None = Field(default=None, max_length=300)
    active_from: date | None = None
    active_to: date | None = None


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
    services: list[str]
    wage_region: int
    province_code: str
    ward_code: str
    address_line: str | None
    active_from: date | None
    active_to: date | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


FacilityPage = Page[FacilityRead]
