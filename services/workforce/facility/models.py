"""The facility registry."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from services.workforce.common import Tracked
from shared.models import table_of


class Facility(Tracked, table=True):
    __tablename__ = "facility"
    __table_args__ = (
        sa.CheckConstraint("wage_region_override BETWEEN 1 AND 4", name="wage_region_override"),
        sa.CheckConstraint(
            "(wage_region_override IS NULL) = (wage_region_override_reason IS NULL)",
            name="wage_region_override_reason",
        ),
    )

    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=300)
    name_key: str = Field(max_length=300, index=True)
    kind: str = Field(max_length=30, index=True)
    sector: str = Field(max_length=30, index=True)
    ownership: str = Field(max_length=10)
    # Under the state management of CTXH ("of the sector"), and in the network plan.
    in_sector: bool = False
    in_network_plan: bool = False
    provides_services: bool = False
    services: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # The region normally comes from the ward on the date (ward_wage_region); an officer may
    # override it, and must say why.
    wage_region_override: int | None = Field(default=None, ge=1, le=4)
    wage_region_override_reason: str | None = Field(default=None, max_length=300)
    province_code: str = Field(max_length=2, index=True)
    ward_code: str = Field(max_length=5, index=True)
    # The commune it stood in before 07/2025, where the ward took communes of two provinces.
    legacy_ward_code: str | None = Field(default=None, max_length=5)
    address_line: str | None = Field(default=None, max_length=300)
    active_from: date | None = None
    active_to: date | None = None


# The Core tables behind the models, derived once: queries import these.
facility_t = table_of(Facility)
