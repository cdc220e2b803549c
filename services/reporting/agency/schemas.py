"""What clients send and receive for agencies."""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.reporting.agency.kinds import AgencyKind
from shared.pagination import ListOf

# Kinds an agency registered today can be: the district level is gone since 01/07/2025.
REGISTERED_KINDS = frozenset(AgencyKind) - {AgencyKind.DISTRICT_COMMITTEE}


class AgencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
        description="The province's own short code, unique in the province (e.g. SYT, HLHPN)",
    )
    name_vi: str = Field(min_length=1, max_length=300)
    kind: AgencyKind
    ward_code: str | None = Field(
        default=None,
        pattern=r"^\d{5}$",
        description="The 2025 ward of a commune People's Committee; required for that kind only",
    )

    @model_validator(mode="after")
    def _fits_kind(self) -> "AgencyIn":
        if self.kind not in REGISTERED_KINDS:
            raise ValueError("district People's Committees no longer exist (since 01/07/2025)")
        if (self.kind == AgencyKind.COMMUNE_COMMITTEE) != (self.ward_code is not None):
            raise ValueError("a commune People's Committee, and only it, names its ward_code")
        return self


class AgencyRead(AgencyIn):
    model_config = ConfigDict(extra="ignore")

    id: UUID
    province_code: str
    version: int


class AgencyList(ListOf[AgencyRead]):
    pass
