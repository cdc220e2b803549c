"""Field rules of the workforce schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt

from services.workforce.reference.codes import CTXH_SERVICES
from shared import values
from shared.admin_units import legacy_communes
from shared.labels import CodeOf
from shared.values import NationalId as NationalId
from shared.values import PastDate as PastDate
from shared.values import Phone as Phone

FacilityName = Annotated[str, Field(min_length=1, max_length=300)]
# Strict: in a JSON body a number is a JSON number, never `true` or "3" (a query parameter,
# which is text, relaxes it with Strict(False)).
# An allowance or wage for a month, in đồng.
MonthlyVnd = Annotated[
    StrictInt, Field(ge=0, le=1_000_000_000, description="Monthly amount in đồng")
]
WageRegion = Annotated[StrictInt, Field(ge=1, le=4, description="Vùng I–IV as 1–4")]


WardCode = Annotated[values.WardCode, AfterValidator(values.known_ward)]
ServiceCode = Annotated[str, CodeOf("CtxhService", CTXH_SERVICES, "CTXH service")]


LegacyWardCode = Annotated[
    values.LegacyWardCode,
    Field(
        description="The commune (before 07/2025) it stood in; it must have gone into ward_code",
    ),
    AfterValidator(values.known_legacy_commune),
]


def check_legacy_ward(ward_code: str | None, legacy_ward_code: str | None) -> None:
    """A legacy commune must be one whose area went into the ward."""
    if ward_code is None or legacy_ward_code is None:
        return
    if ward_code not in legacy_communes()[legacy_ward_code].successor_ward_codes:
        raise ValueError(f"commune {legacy_ward_code} did not go into ward {ward_code}")
