"""The facility registry."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from services.workforce.common import Tracked


class Facility(Tracked, table=True):
    __tablename__ = "facility"
    __table_args__ = (sa.CheckConstraint("wage_region BETWEEN 1 AND 4", name="wage_region"),)

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
    wage_region: int = Field(ge=1, le=4)
    province_code: str = Field(max_length=2, index=True)
    ward_code: str = Field(max_length=5, index=True)
    address_line: str | None = Field(default=None, max_length=300)
    active_from: date | None = None
    active_to: date | None = None
