"""Field rules of the workforce schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field

from services.workforce.reference.codes import CTXH_SERVICES
from shared.admin_units import units_2025

Name = Annotated[str, Field(min_length=1, max_length=300)]
NationalId = Annotated[str, Field(pattern=r"^\d{12}$", description="CCCD: 12 digits")]
Phone = Annotated[str, Field(pattern=r"^(0|\+84)\d{9,10}$")]
VND = Annotated[int, Field(ge=0, le=1_000_000_000, description="Monthly amount in đồng")]
WageRegion = Annotated[int, Field(ge=1, le=4, description="Vùng I–IV as 1–4")]


def _ward(code: str) -> str:
    if code not in units_2025().wards:
        raise ValueError(f"unknown ward code '{code}' (2025 scheme)")
    return code


def _service(code: str) -> str:
    if code not in CTXH_SERVICES:
        raise ValueError(f"unknown CTXH service code '{code}'")
    return code


WardCode = Annotated[str, Field(pattern=r"^\d{5}$"), AfterValidator(_ward)]
ServiceCode = Annotated[str, AfterValidator(_service)]
