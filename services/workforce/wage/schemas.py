"""What clients send and receive for wage rates and ward wage regions."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    model_validator,
)

from services.workforce.reference.codes import WageKind
from services.workforce.validation import MonthlyVnd, WageRegion, WardCode
from services.workforce.wage.regions import RegionSource
from shared.dates import Day
from shared.pagination import ListOf


class WageRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: WageKind
    region: StrictInt = Field(
        default=0, ge=0, le=4, description="1–4 for regional minimums, 0 for base"
    )
    amount_vnd: MonthlyVnd
    effective_from: Day
    legal_basis: str | None = Field(
        default=None, max_length=200, examples=["Nghị định 73/2024/NĐ-CP"]
    )

    @model_validator(mode="after")
    def _region_fits_kind(self) -> "WageRateIn":
        if (self.kind == WageKind.BASE) != (self.region == 0):
            raise ValueError("the base wage has region 0; regional minimums have regions 1–4")
        return self


class WageRateOut(WageRateIn):
    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)


class WageRates(ListOf[WageRateOut]):
    pass


class RatesInForce(BaseModel):
    on: date
    region: int
    base: int | None
    regional_minimum: int | None


def _not_before_from(end: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get("valid_from")
    if end is not None and start is not None and end < start:
        raise ValueError("must not be before valid_from")
    return end


class WardRegionIn(BaseModel):
    """One row of a ward-region load: the region a decree sets for a ward from a date."""

    model_config = ConfigDict(extra="forbid")

    ward_code: WardCode
    region: WageRegion
    valid_from: Day
    valid_to: Annotated[Day | None, AfterValidator(_not_before_from)] = None
    legal_source: str = Field(min_length=3, max_length=300, examples=["Nghị định 293/2025/NĐ-CP"])


class WardRegion(BaseModel):
    id: UUID
    ward_code: str
    ward_name: str
    province_code: str
    region: int = Field(description="Vùng I–IV as 1–4")
    valid_from: date
    valid_to: date | None
    legal_source: str


class FacilityRegionRead(BaseModel):
    facility_id: UUID
    on: date
    region: int | None = Field(description="Null when unresolved: the ward has no region that day")
    source: RegionSource
    basis: str | None = Field(description="The override's reason, or the ward region's source")
